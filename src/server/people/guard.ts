// Who is asking: the paired device and the signed-in user from their cookies; CSRF and Origin checks on every
// state-changing request; the least role each route needs.

import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { Problem } from "../../domain/kernel/problem.ts";
import type { PageContext } from "../../views/ui/context.ts";
import type { Actor, SetUpActor } from "../audit/audit-log.ts";
import type { Shop } from "../compose.ts";
import { setPrivateCookie } from "../platform/auth/sessions.ts";
import { checkOwnPage, cookieCsrfToken } from "../platform/http/csrf.ts";
import type { User } from "./records.ts";
import { atLeast, type Role } from "./roles.ts";
import type { Device } from "./sessions.ts";

/** What the store's pages know of a request: who asks (guard.ts) and what every page shows (views/ui/context.ts). */
export type PagesEnv = { Variables: PeopleEnv["Variables"] & { page: PageContext } };

export type PeopleEnv = { Variables: { user: User | null; device: Device | null; csrf: string; sessionCookie: string | undefined } };

export const COOKIES = { device: "sf_device", session: "sf_session", csrf: "sf_csrf" } as const;

/**
 * Who is asking, from the cookies. Signed in, the CSRF token is the session's own (new at every sign-in, gone with the
 * session); before sign-in (setup, pairing, sign-in forms) it is the browser's double-submit cookie.
 */
export const identify =
  (store: Shop): MiddlewareHandler<PeopleEnv> =>
  async (c, next) => {
    const device = store.sessions.device(getCookie(c, COOKIES.device));
    const sessionCookie = getCookie(c, COOKIES.session);
    const session = store.sessions.get(sessionCookie, store.clock.now());
    // a session belongs to the device it started on
    const user = session && (session.deviceId === null || session.deviceId === device?.id) ? store.users.byId(session.userId) : null;
    const signedIn = user && !user.disabled ? session : null;
    const csrf = signedIn ? signedIn.csrf : cookieCsrfToken(c, COOKIES.csrf, (token) => setPrivateCookie(c, COOKIES.csrf, token));
    c.set("csrf", csrf);
    c.set("device", device);
    c.set("user", user && !user.disabled ? user : null);
    c.set("sessionCookie", sessionCookie);
    await next();
  };

/** Every state-changing request must come from our own pages: matching Origin, and the CSRF token htmx sends. */
export const checkCsrf = checkOwnPage<PeopleEnv>({ notOurs: "This request did not come from a ShopFlow page of this store; nothing was changed." });

/** The least role a route needs, and whether it must come from a paired register. */
export const requireRole =
  (role: Role, options: { device?: boolean } = {}): MiddlewareHandler<PeopleEnv> =>
  async (c, next) => {
    const htmx = c.req.header("HX-Request") === "true";
    const go = (to: string, code: "not_paired" | "sign_in", message: string) => {
      if (htmx) {
        c.header("HX-Redirect", to);
        throw new Problem(code, message);
      }
      if (c.req.method === "GET") return c.redirect(to, 303);
      throw new Problem(code, message);
    };
    if (options.device && !c.get("device")) return go("/pair", "not_paired", "This browser is not a register yet: a manager pairs it first.");
    const user = c.get("user");
    if (!user) return go("/login", "sign_in", "Sign in with your PIN first.");
    if (!atLeast(user.role, role)) throw new Problem("forbidden", `This needs a ${role} or above; ${user.name} is a ${user.role}.`);
    await next();
  };

/** The signed-in user on their register, as the audit log names them (behind a gate that needs both). */
export function actorOf(user: User | null, device: Device | null): Actor {
  if (!user || !device) throw new Problem("not_paired", "This needs a signed-in user on a paired register.");
  return { userId: user.id, userName: user.name, registerId: device.registerId, registerName: device.registerName };
}

/** The signed-in person changing how the store is set up, from any browser (a register's name when it is one). */
export function setUpActorOf(user: User | null, device: Device | null): SetUpActor {
  if (!user) throw new Problem("sign_in", "Sign in with your PIN first.");
  return { userId: user.id, userName: user.name, registerName: device?.registerName ?? null };
}
