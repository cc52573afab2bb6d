// Who is asking: the paired device and the signed-in user from their cookies; CSRF and Origin checks on every
// state-changing request; the least role each route needs.
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { timingSafeEqual } from "node:crypto";
import type { Store } from "../compose.ts";
import { AppError } from "../errors.ts";
import { atLeast, type Role } from "./roles.ts";
import type { Device } from "./sessions.ts";
import type { User } from "./users.ts";

export type PeopleEnv = { Variables: { user: User | null; device: Device | null; csrf: string; sessionCookie: string | undefined } };

export const COOKIES = { device: "sf_device", session: "sf_session", csrf: "sf_csrf" } as const;

const cookieOptions = { httpOnly: true, sameSite: "Strict" as const, path: "/" };

export function setSessionCookie(c: Context, name: string, value: string, maxAgeSeconds?: number): void {
  setCookie(c, name, value, { ...cookieOptions, ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) });
}

export const identify = (store: Store): MiddlewareHandler<PeopleEnv> => async (c, next) => {
  let csrf = getCookie(c, COOKIES.csrf);
  if (!csrf || !/^[A-Za-z0-9_-]{20,64}$/.test(csrf)) {
    csrf = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
    setSessionCookie(c, COOKIES.csrf, csrf);
  }
  const device = store.sessions.device(getCookie(c, COOKIES.device));
  const sessionCookie = getCookie(c, COOKIES.session);
  const session = store.sessions.get(sessionCookie, store.clock.now());
  // a session belongs to the device it started on
  const user = session && (session.deviceId === null || session.deviceId === device?.id) ? store.users.byId(session.userId) : null;
  c.set("csrf", csrf);
  c.set("device", device);
  c.set("user", user && !user.disabled ? user : null);
  c.set("sessionCookie", sessionCookie);
  await next();
};

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Every state-changing request must come from our own pages: matching Origin, and the CSRF token htmx sends. */
export const checkCsrf: MiddlewareHandler<PeopleEnv> = async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
  const origin = c.req.header("Origin");
  const host = c.req.header("Host");
  if (origin !== undefined) {
    let originHost = "";
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = "";
    }
    if (!host || originHost !== host) throw new AppError(403, "bad_origin", "This request did not come from a ShopFlow page of this store; nothing was changed.");
  } else if (c.req.header("Sec-Fetch-Site") && c.req.header("Sec-Fetch-Site") !== "same-origin") {
    throw new AppError(403, "bad_origin", "This request did not come from a ShopFlow page of this store; nothing was changed.");
  }
  let token = c.req.header("X-CSRF-Token");
  if (!token) {
    const type = (c.req.header("Content-Type") ?? "").toLowerCase();
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const field = (body as Record<string, unknown>)._csrf;
      token = typeof field === "string" ? field : undefined;
    }
  }
  if (!token || !same(token, c.get("csrf"))) {
    throw new AppError(403, "csrf_failed", "The page was out of date or not ours; reload it and try again. Nothing was changed.");
  }
  await next();
};

/** The least role a route needs, and whether it must come from a paired register. */
export const requireRole = (role: Role, options: { device?: boolean } = {}): MiddlewareHandler<PeopleEnv> => async (c, next) => {
  const htmx = c.req.header("HX-Request") === "true";
  const go = (to: string, status: 401 | 403, code: string, message: string) => {
    if (htmx) {
      c.header("HX-Redirect", to);
      throw new AppError(status, code, message);
    }
    if (c.req.method === "GET") return c.redirect(to, 303);
    throw new AppError(status, code, message);
  };
  if (options.device && !c.get("device")) return go("/pair", 403, "not_paired", "This browser is not a register yet: a manager pairs it first.");
  const user = c.get("user");
  if (!user) return go("/login", 401, "sign_in", "Sign in with your PIN first.");
  if (!atLeast(user.role, role)) throw new AppError(403, "forbidden", `This needs a ${role} or above; ${user.name} is a ${user.role}.`);
  await next();
};
