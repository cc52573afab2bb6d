// Head-office sign-in sessions and the per-address pace of sign-in attempts. Cookies carry random secrets; the
// database keeps only their hashes. Times come from the app's clock so tests can move it.
import { Problem } from "../../../domain/kernel/problem.ts";
import { newSession, type SessionPolicy, sessionCutoffs, sessionIdHash } from "../../../server/platform/auth/sessions.ts";
import type { HqSql } from "../db/db.ts";
import type { HqRole, HqUser } from "./users.ts";

export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 12;
export const SIGN_INS_PER_MINUTE = 10;
const POLICY: SessionPolicy = { idleMinutes: IDLE_MINUTES, absoluteHours: ABSOLUTE_HOURS };

export type HqSession = { user: HqUser; csrf: string };

/** A new session at every sign-in (a cookie set before sign-in is never promoted): the cookie's secret and its CSRF token. */
export async function startSession(sql: HqSql, userId: number, at: Date): Promise<{ cookie: string; csrf: string }> {
  const { cookie, idHash, csrf } = newSession();
  await sql`INSERT INTO hq_sessions (id_hash, user_id, csrf, created_at, last_seen_at) VALUES (${idHash}, ${userId}, ${csrf}, ${at}, ${at})`;
  return { cookie, csrf };
}

/**
 * The live session of a cookie, or null when it is unknown, ended, idle too long, too old, or its user is disabled.
 * Finding it and marking it seen are one statement.
 */
export async function findSession(sql: HqSql, cookie: string | undefined, now: Date): Promise<HqSession | null> {
  const idHash = sessionIdHash(cookie);
  if (!idHash) return null;
  const { idleSince, bornAfter } = sessionCutoffs(POLICY, now);
  const [r] = await sql<{ id: number; name: string; role: HqRole; stores: string[] | null; csrf: string }[]>`
    UPDATE hq_sessions s SET last_seen_at = ${now}
    FROM hq_users u
    WHERE s.id_hash = ${idHash} AND s.ended_at IS NULL AND u.id = s.user_id AND NOT u.disabled
      AND s.last_seen_at > ${idleSince} AND s.created_at > ${bornAfter}
    RETURNING u.id, u.name, u.role, u.stores::text[], s.csrf`;
  return r ? { user: { id: r.id, name: r.name, role: r.role, stores: r.stores }, csrf: r.csrf } : null;
}

export async function endSession(sql: HqSql, cookie: string | undefined, at: Date): Promise<void> {
  const idHash = sessionIdHash(cookie);
  if (idHash) await sql`UPDATE hq_sessions SET ended_at = ${at} WHERE id_hash = ${idHash} AND ended_at IS NULL`;
}

/**
 * Count one sign-in attempt from `address`; throws 429 once it has tried SIGN_INS_PER_MINUTE times in the last minute.
 * The attempt is recorded even then, so an address that keeps hammering stays refused.
 */
export async function countSignInAttempt(sql: HqSql, address: string, now: Date): Promise<void> {
  const minuteAgo = new Date(now.getTime() - 60_000);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const [r] = await sql<{ n: number }[]>`
    WITH gone AS (DELETE FROM hq_sign_in_attempts WHERE at < ${hourAgo}),
      tried AS (INSERT INTO hq_sign_in_attempts (address, at) VALUES (${address}, ${now}))
    SELECT count(*) AS n FROM hq_sign_in_attempts WHERE address = ${address} AND at > ${minuteAgo}`;
  if (r!.n >= SIGN_INS_PER_MINUTE) throw new Problem("too_many_tries", "Too many sign-in attempts from this address; wait a minute and try again.");
}
