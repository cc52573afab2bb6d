// Who is asking head office: a person signed in to the dashboard (session cookie, CSRF token and Origin on every
// change, the least role per route), or an integrator's program with an API token.

import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/bun";
import { getCookie } from "hono/cookie";
import type { Clock } from "../../../domain/kernel/clock.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import { bearerSecret } from "../../../server/platform/auth/bearer.ts";
import { setPrivateCookie } from "../../../server/platform/auth/sessions.ts";
import { checkOwnPage, cookieCsrfToken } from "../../../server/platform/http/csrf.ts";
import type { Logger } from "../../../server/platform/log/log.ts";
import type { HqPageContext } from "../../../views/hq/context.ts";
import { type ApiToken, apiTokenFor } from "../api/tokens.ts";
import type { HqSql } from "../db/db.ts";
import { ABSOLUTE_HOURS, findSession } from "./sessions.ts";
import { countUsers, type HqRole, type HqUser, hqAtLeast } from "./users.ts";

/**
 * Who asks (identify; on /api/v1 the API token, set by requireApiToken) and what every page shows (views/hq/context.ts,
 * set by the pages part of app.ts).
 */
export type HqEnv = {
  Variables: { user: HqUser | null; apiToken?: ApiToken; csrf: string; sessionCookie: string | undefined; hqPage: HqPageContext };
};

/** What the dashboard routes are built from; tests pass their own clock. */
export type HqDeps = {
  sql: HqSql;
  clock: Clock;
  /** Prices are typed and shown in this currency's minor units (EUR: 2 decimals). */
  currency: string;
  /** Head office's own calendar ("today" on the dashboard); stores date their sales in their own time zones. */
  timeZone: string;
  /**
   * Behind a reverse proxy: take the client's address from X-Forwarded-For (its last entry, the one the proxy added)
   * and the host asked for from X-Forwarded-Host. Without it, neither header counts.
   */
  trustProxy: boolean;
  /** Head office's log (createHqApp's; without one, warnings and errors go to stderr). */
  log?: Logger;
};

export const HQ_COOKIES = { session: "sfhq_session", csrf: "sfhq_csrf" } as const;

export function startSessionCookie(c: Context, cookie: string): void {
  setPrivateCookie(c, HQ_COOKIES.session, cookie, ABSOLUTE_HOURS * 3600);
}

/** The network address sign-in attempts are counted against. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const last = c.req.header("X-Forwarded-For")?.split(",").at(-1)?.trim();
    if (last) return last.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // in-process requests have no socket
  }
}

/**
 * The signed-in user from the session cookie. A session has its own CSRF token; before sign-in the token is a random
 * cookie of the browser's (double submit), which is enough for the setup and sign-in forms.
 */
export const identify =
  (deps: HqDeps): MiddlewareHandler<HqEnv> =>
  async (c, next) => {
    const sessionCookie = getCookie(c, HQ_COOKIES.session);
    const session = await findSession(deps.sql, sessionCookie, deps.clock.now());
    c.set("user", session?.user ?? null);
    c.set("csrf", session?.csrf || cookieCsrfToken(c, HQ_COOKIES.csrf, (token) => setPrivateCookie(c, HQ_COOKIES.csrf, token)));
    c.set("sessionCookie", sessionCookie);
    await next();
  };

/**
 * Every state-changing request must come from our own pages: a matching Origin, and the CSRF token. The host a
 * reverse proxy says it was asked for (X-Forwarded-Host) counts only behind a proxy head office was told to trust:
 * otherwise anyone could name their own site in it.
 */
export const checkCsrf = (deps: Pick<HqDeps, "trustProxy">): MiddlewareHandler<HqEnv> =>
  checkOwnPage<HqEnv>({ notOurs: "This request did not come from a head-office page; nothing was changed.", forwardedHost: deps.trustProxy });

/** A page that is not a path back to itself elsewhere: only our own paths are followed after sign-in. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && next.length < 500 ? next : "/";
}

/** Sign-in needed: a page is sent to sign in (or to first-run setup while head office has no user), a change refused. */
export const requireSignIn =
  (deps: HqDeps): MiddlewareHandler<HqEnv> =>
  async (c, next) => {
    if (c.get("user")) return next();
    const to =
      (await countUsers(deps.sql)) === 0
        ? "/setup"
        : `/login${c.req.method === "GET" ? `?next=${encodeURIComponent(safeNext(c.req.path + new URL(c.req.url).search))}` : ""}`;
    if (c.req.header("HX-Request") === "true") {
      c.header("HX-Redirect", to);
      throw new Problem("sign_in", "Sign in to head office first.");
    }
    if (c.req.method === "GET" || c.req.method === "HEAD") return c.redirect(to, 303);
    throw new Problem("sign_in", "Sign in to head office first.");
  };

/** The least role a route needs; viewer < catalog < admin. */
export const requireRole =
  (role: HqRole): MiddlewareHandler<HqEnv> =>
  async (c, next) => {
    const user = c.get("user");
    if (!user) throw new Problem("sign_in", "Sign in to head office first.");
    const what = role === "admin" ? "an admin" : role === "catalog" ? "the catalog role or admin" : "a head-office user";
    if (!hqAtLeast(user.role, role)) throw new Problem("forbidden", `This needs ${what}; ${user.name} is a ${user.role}.`);
    await next();
  };

/**
 * /api/v1 at head office: `Authorization: Bearer <token>` from 'shopflow hq token create'. The token, with the stores
 * it is limited to, is what every route under it reads (people/store-filter.ts): no route looks it up again.
 */
export const requireApiToken =
  (sql: HqSql): MiddlewareHandler<HqEnv> =>
  async (c, next) => {
    const header = c.req.header("Authorization");
    if (!header) {
      c.header("WWW-Authenticate", 'Bearer realm="shopflow-hq"');
      throw new Problem("api_token_required", "Send an API token as 'Authorization: Bearer <token>'; an admin makes one with 'shopflow hq token create'.");
    }
    const secret = bearerSecret(header);
    const token = secret ? await apiTokenFor(sql, secret) : null;
    if (!token) {
      c.header("WWW-Authenticate", 'Bearer realm="shopflow-hq", error="invalid_token"');
      throw new Problem("api_token_invalid", "This API token is unknown or revoked; ask a head-office admin for a new one.");
    }
    c.set("apiToken", token);
    await next();
  };
