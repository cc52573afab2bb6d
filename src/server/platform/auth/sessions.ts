// Sign-in sessions, the same at the store and head office: the cookie carries a random secret, the database keeps its
// hash; a session ends when idle too long or too old, whatever the cookie says.
import type { Context } from "hono";
import { setCookie } from "hono/cookie";
import { randomSecret, sha256Hex } from "./secrets.ts";

export type SessionPolicy = { idleMinutes: number; absoluteHours: number };

/** A new session's cookie secret, the hash it is stored under, and its own CSRF token. */
export function newSession(): { cookie: string; idHash: string; csrf: string } {
  const cookie = randomSecret();
  return { cookie, idHash: sha256Hex(cookie), csrf: randomSecret(24) };
}

/** The hash a session cookie is stored under, or null for a cookie no session could have. */
export function sessionIdHash(cookie: string | undefined): string | null {
  return cookie && cookie.length <= 100 ? sha256Hex(cookie) : null;
}

/** A session is alive when it was last seen after `idleSince` and started after `bornAfter`. */
export function sessionCutoffs(policy: SessionPolicy, now: Date): { idleSince: Date; bornAfter: Date } {
  return {
    idleSince: new Date(now.getTime() - policy.idleMinutes * 60_000),
    bornAfter: new Date(now.getTime() - policy.absoluteHours * 3_600_000),
  };
}

/** Served over https, directly or behind a proxy that says so: cookies then carry Secure. */
export function isHttps(c: Context): boolean {
  const forwarded = c.req.header("X-Forwarded-Proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https" || new URL(c.req.url).protocol === "https:";
}

/** A cookie scripts cannot read, sent only by our own pages, Secure over https. */
export function setPrivateCookie(c: Context, name: string, value: string, maxAgeSeconds?: number): void {
  setCookie(c, name, value, { httpOnly: true, sameSite: "Strict", path: "/", secure: isHttps(c), ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) });
}
