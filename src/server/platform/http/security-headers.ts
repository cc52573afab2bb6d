// The headers every response of the store and of head office carries: a Content-Security-Policy that allows no inline
// script or style and nothing from elsewhere, and no framing by other sites.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/** `hsts: false` where browsers reach us over plain HTTP (registers on the shop LAN): HSTS would lock them out. */
export const strictSecurityHeaders = ({ hsts }: { hsts: boolean }): MiddlewareHandler =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
    referrerPolicy: "same-origin",
    strictTransportSecurity: hsts,
    xFrameOptions: "DENY",
  });
