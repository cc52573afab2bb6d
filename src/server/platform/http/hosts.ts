// Only the names this server is known by: a page on the internet that makes its own name point at the shop's server
// (DNS rebinding) reaches it with its own name in the Host header, and is turned away before anything reads the request.
// IP addresses are always fine (a browser cannot be tricked into calling an address another site's), as are
// localhost, this machine's host name and the names the shop configures.

import { isIP } from "node:net";
import { hostname as machineName } from "node:os";
import type { MiddlewareHandler } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";

export type HostRules = {
  /** Names configured for this server (e.g. pos.shop.lan), read at each request so a change applies at once. */
  names: () => readonly string[];
  /** Behind a trusted reverse proxy, the name the proxy was asked for (X-Forwarded-Host) must be known too. */
  trustProxy?: boolean;
  /** The sentence on how to add a name, for the refusal. */
  howToAdd: string;
};

/** The host part of a Host header value, lower case, without port, brackets or a trailing dot. */
export function hostOnly(value: string): string {
  let h = value.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") > 0 ? h.indexOf("]") : undefined);
  const colon = h.lastIndexOf(":");
  if (colon >= 0 && h.indexOf(":") === colon) h = h.slice(0, colon);
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

export function knownHost(host: string, configured: readonly string[]): boolean {
  if (host === "") return false;
  if (isIP(host)) return true;
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const machine = machineName().toLowerCase();
  if (host === machine || host === `${machine}.local`) return true;
  return configured.some((n) => n.trim().toLowerCase().replace(/\.$/, "") === host);
}

export const allowKnownHosts =
  ({ names, trustProxy = false, howToAdd }: HostRules): MiddlewareHandler =>
  async (c, next) => {
    const asked = [c.req.header("Host") ?? new URL(c.req.url).host];
    if (trustProxy) {
      const forwarded = c.req.header("X-Forwarded-Host")?.split(",")[0]?.trim();
      if (forwarded) asked.push(forwarded);
    }
    const configured = names();
    for (const value of asked) {
      const host = hostOnly(value);
      if (!knownHost(host, configured)) {
        throw new Problem("unknown_host", `This server does not answer to the name "${host.slice(0, 100)}". Use its address or a name it knows; ${howToAdd}`);
      }
    }
    await next();
  };
