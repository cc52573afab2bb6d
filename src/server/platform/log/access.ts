// One line per request (method, path, status, milliseconds) at debug level: off unless --log-level debug asks, since a
// busy store's requests would push the warnings out of its rotated files within hours.
import type { MiddlewareHandler } from "hono";
import type { Logger } from "./log.ts";

export const accessLog =
  (log: Logger): MiddlewareHandler =>
  async (c, next) => {
    if (!log.enabled("debug")) return next();
    const started = performance.now();
    await next();
    log.debug("http.request", { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10 });
  };
