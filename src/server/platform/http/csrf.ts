// Proof that a change comes from one of our own pages, for the store's guard and head office's alike: a matching
// Origin, and the CSRF token htmx sends as a header or a form sends as its _csrf field.

import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { Problem } from "../../../domain/kernel/problem.ts";
import { randomSecret } from "../auth/secrets.ts";

/** What the guards put in the context: the token this browser's pages carry. */
export type CsrfEnv = { Variables: { csrf: string } };

/**
 * The browser's own token before it has a session's (double submit): the one in its cookie, or a new one that `keep`
 * sets as that cookie, each side with its own cookie options.
 */
export function cookieCsrfToken(c: Context, cookie: string, keep: (token: string) => void): string {
  const token = getCookie(c, cookie);
  if (token && /^[A-Za-z0-9_-]{20,64}$/.test(token)) return token;
  const fresh = randomSecret(24);
  keep(fresh);
  return fresh;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function fromOurOrigin(c: Context, forwardedHost: boolean): boolean {
  const origin = c.req.header("Origin");
  if (origin === undefined) {
    const site = c.req.header("Sec-Fetch-Site");
    return !site || site === "same-origin";
  }
  let originHost = "";
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  const hosts = [c.req.header("Host"), forwardedHost ? c.req.header("X-Forwarded-Host")?.split(",")[0]?.trim() : undefined].filter(Boolean);
  return originHost !== "" && hosts.includes(originHost);
}

async function sentToken(c: Context): Promise<string | undefined> {
  const header = c.req.header("X-CSRF-Token");
  if (header) return header;
  const type = (c.req.header("Content-Type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return undefined;
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const field = (body as Record<string, unknown>)._csrf;
  return typeof field === "string" ? field : undefined;
}

/**
 * Every state-changing request must come from our own pages. `notOurs` is the sentence for a request from another
 * site; `forwardedHost` lets the Origin match the host a reverse proxy says it was asked for.
 */
export const checkOwnPage =
  <E extends CsrfEnv>({ notOurs, forwardedHost = false }: { notOurs: string; forwardedHost?: boolean }): MiddlewareHandler<E> =>
  async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    if (!fromOurOrigin(c, forwardedHost)) throw new Problem("bad_origin", notOurs);
    const token = await sentToken(c);
    if (!token || !same(token, c.get("csrf"))) {
      throw new Problem("csrf_failed", "The page was out of date or not ours; reload it and try again. Nothing was changed.");
    }
    await next();
  };
