// Head-office users: a name and a password (argon2id), a role; sign-in paused for 15 minutes at an address after five
// wrong passwords there, and for new addresses when a name is guessed at from many.
import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";
import { hashPassword, verifyPassword } from "../../../server/platform/auth/passwords.ts";
import { type HqRoleName, hqRoles } from "../../../views/hq/context.ts";
import { hqAudit } from "../audit/audit.ts";
import { HQ_LOCK_NAMESPACE, type HqSql, type HqTransaction } from "../db/db.ts";

/** The roles and their order are the pages' too (views/hq/context.ts): one definition. */
export { hqAtLeast, hqRoles } from "../../../views/hq/context.ts";
export type HqRole = HqRoleName;

export const isHqRole = (x: string): x is HqRole => (hqRoles as readonly string[]).includes(x);

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 200; // argon2 hashes anything, but a megabyte "password" is only a way to burn CPU
/** Wrong passwords in a row for one name from one address before sign-in with it is paused there. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_MINUTES = 15;
/**
 * Wrong passwords for one name from all addresses in an hour before it is paused for addresses it has not signed in
 * from: one address gets at most 20 an hour (five per pause), so this takes many addresses guessing together.
 */
export const NAME_FAILURES_PER_HOUR = 100;
/** How long an address a name signed in from stays one it may sign in from while the name is under attack. */
export const KNOWN_ADDRESS_DAYS = 30;
/** Names longer than any user's are counted by their start. */
const MAX_NAME_KEY = 200;
export const FIRST_USER_LOCK = 3; // second advisory key under HQ_LOCK_NAMESPACE: the first-run admin

/** A person; `stores` are the stores they are limited to (null or absent: every store), as their session reads it. */
export type HqUser = { id: number; name: string; role: HqRole; stores?: string[] | null };
export type HqUserRow = HqUser & {
  stores: string[] | null;
  disabled: boolean;
  locked_until: Date | null;
  created_at: Date;
  created_by: string | null;
  password_set_at: Date | null;
  password_set_by: string | null;
};

// Compared against when the name is unknown, so a wrong name takes as long as a wrong password.
let dummy: Promise<string> | null = null;

/** Field problems of a new user, by field name; empty when all is well. */
export function checkNewUser(input: { name: string; role: string; password: string }): Record<string, string> {
  const problems: Record<string, string> = {};
  const name = input.name.trim();
  const nameProblem = textProblem(name, "The name", { max: 60 });
  if (!name || name.length > 60) problems.name = "A name of 1 to 60 characters, please.";
  else if (nameProblem) problems.name = nameProblem.message;
  if (!isHqRole(input.role)) problems.role = "The role is admin, catalog or viewer.";
  if (input.password.length < MIN_PASSWORD) problems.password = `A password of at least ${MIN_PASSWORD} characters, please.`;
  else if (input.password.length > MAX_PASSWORD) problems.password = `A password of at most ${MAX_PASSWORD} characters, please.`;
  return problems;
}

export class UserRefused extends Problem {
  constructor(readonly problems: Record<string, string>) {
    super("invalid_user", Object.values(problems)[0] ?? "The user is not valid.", problems);
  }
}

export async function countUsers(sql: HqSql): Promise<number> {
  const [r] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM hq_users`;
  return r!.n;
}

export async function listUsers(sql: HqSql): Promise<HqUserRow[]> {
  // paused until: the latest pause of the name at any address, or of the name as a whole
  return sql<HqUserRow[]>`
    SELECT u.id, u.name, u.role, u.stores::text[], u.disabled, u.created_at, u.created_by, u.password_set_at, u.password_set_by, greatest(
      (SELECT max(t.locked_at) + ${LOCK_MINUTES} * interval '1 minute' FROM hq_sign_in_tries t
        WHERE t.name_key = lower(u.name) AND t.tries >= ${MAX_FAILED_SIGN_INS}),
      (SELECT n.window_start + interval '1 hour' FROM hq_sign_in_names n
        WHERE n.name_key = lower(u.name) AND n.failures >= ${NAME_FAILURES_PER_HOUR})
    ) AS locked_until
    FROM hq_users u ORDER BY lower(u.name)`;
}

/**
 * Add a user. With `onlyIfNone` it is the first-run admin: added only while head office has no user at all, checked
 * under a lock so two first-run pages submitted at once make one admin.
 */
export async function addUser(sql: HqSql, input: { name: string; role: string; password: string; createdBy: string; onlyIfNone?: boolean }): Promise<HqUser> {
  const problems = checkNewUser(input);
  if (Object.keys(problems).length > 0) throw new UserRefused(problems);
  const name = input.name.trim();
  const passwordHash = await hashPassword(input.password);
  return sql.begin(async (tx) => {
    if (input.onlyIfNone) {
      await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, ${FIRST_USER_LOCK})`;
      const [any] = await tx`SELECT 1 FROM hq_users LIMIT 1`;
      if (any) throw new Problem("setup_done", "Head office has its first admin already; sign in instead.");
    }
    const rows = await tx<HqUser[]>`
      INSERT INTO hq_users (name, role, password_hash, created_by) VALUES (${name}, ${input.role}, ${passwordHash}, ${input.createdBy})
      ON CONFLICT DO NOTHING RETURNING id, name, role`;
    if (!rows[0]) throw new UserRefused({ name: `There is already a user called ${name}.` });
    await hqAudit(tx, { who: input.createdBy, action: "user.added", subject: `user ${name}`, after: { name, role: input.role } });
    return rows[0];
  });
}

/** What someone typed on the sign-in page, and where from (the address sign-in attempts are counted against). */
export type SignInAttempt = { name: string; password: string; address: string; now: Date };

const timeUtc = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;
// argon2 hashes anything, but only the first MAX_PASSWORD characters are ever looked at
const typedPassword = (a: SignInAttempt) => a.password.slice(0, MAX_PASSWORD);

/**
 * Check a name and password. Attempts are counted per name as typed (lower case) and address, in one statement before
 * the password is looked at, so attempts sent at once are all counted: the fifth in a row that is not the right
 * password pauses that name at that address for 15 minutes (a stranger elsewhere cannot lock anyone out), and while
 * paused no password is checked there. Past NAME_FAILURES_PER_HOUR wrong passwords for a name from all addresses, only
 * addresses it signed in from in the last KNOWN_ADDRESS_DAYS days get through. A name nobody has (or a disabled one)
 * is counted and answered exactly like a real one, and no answer names the user: nobody learns which names exist.
 */
export async function signIn(sql: HqSql, a: SignInAttempt): Promise<HqUser> {
  const name = a.name.trim();
  const key = name.slice(0, MAX_NAME_KEY);
  const address = a.address.slice(0, 64);
  const now = a.now;
  const pausedSince = new Date(now.getTime() - LOCK_MINUTES * 60_000);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const knownSince = new Date(now.getTime() - KNOWN_ADDRESS_DAYS * 86_400_000);
  await forgetOldTries(sql, dayAgo, knownSince);
  // The name as a whole is counted in the same statement, before any password is looked at, so tries sent at once
  // from many addresses are all counted: past the hourly limit only addresses the name signed in from get through.
  const [t] = await sql<{ name_paused_until: Date | null; tries: number | null; locked_at: Date | null }[]>`
    WITH known AS (
      SELECT 1 FROM hq_sign_in_tries
      WHERE name_key = lower(${key}) AND address = ${address} AND signed_in_at > ${knownSince}::timestamptz
    ), whole_name AS (
      INSERT INTO hq_sign_in_names AS n (name_key, failures, window_start) VALUES (lower(${key}), 1, ${now}::timestamptz)
      ON CONFLICT (name_key) DO UPDATE SET
        failures = CASE WHEN n.window_start <= ${hourAgo}::timestamptz THEN 1 ELSE n.failures + 1 END,
        window_start = CASE WHEN n.window_start <= ${hourAgo}::timestamptz THEN ${now}::timestamptz ELSE n.window_start END
      RETURNING failures, window_start + interval '1 hour' AS until
    ), paused AS (
      SELECT (SELECT until FROM whole_name WHERE failures > ${NAME_FAILURES_PER_HOUR}) AS until WHERE NOT EXISTS (SELECT 1 FROM known)
    ), tried AS (
      INSERT INTO hq_sign_in_tries AS t (name_key, address, tries, locked_at, last_try_at)
      SELECT lower(${key}), ${address}, 1, NULL, ${now}::timestamptz WHERE (SELECT until FROM paused) IS NULL
      ON CONFLICT (name_key, address) DO UPDATE SET
        tries = CASE WHEN t.locked_at <= ${pausedSince}::timestamptz OR (t.locked_at IS NULL AND t.last_try_at < ${dayAgo}::timestamptz) THEN 1
          ELSE t.tries + 1 END,
        locked_at = CASE WHEN t.locked_at <= ${pausedSince}::timestamptz OR (t.locked_at IS NULL AND t.last_try_at < ${dayAgo}::timestamptz) THEN NULL
          WHEN t.tries + 1 = ${MAX_FAILED_SIGN_INS} THEN ${now}::timestamptz ELSE t.locked_at END,
        last_try_at = ${now}::timestamptz
      RETURNING tries, locked_at
    )
    SELECT (SELECT until FROM paused) AS name_paused_until, (SELECT tries FROM tried), (SELECT locked_at FROM tried)`;
  if (t!.name_paused_until) {
    throw new Problem(
      "sign_in_paused",
      `Too many wrong passwords for this name from many addresses: signing in with it from a new address is paused until ${timeUtc(t!.name_paused_until)}. Sign in from where you did before, or ask an admin to unlock it.`,
    );
  }
  const tries = t!.tries!;
  if (tries > MAX_FAILED_SIGN_INS) {
    const until = new Date((t!.locked_at ?? now).getTime() + LOCK_MINUTES * 60_000);
    throw new Problem(
      "sign_in_paused",
      `Too many wrong passwords: signing in with this name from this address is paused until ${timeUtc(until)}, or until an admin unlocks it.`,
    );
  }

  const [r] =
    name.length > 0 && name.length <= 60
      ? await sql<(HqUser & { password_hash: string; disabled: boolean })[]>`
        SELECT id, name, role, password_hash, disabled FROM hq_users WHERE lower(name) = lower(${name})`
      : [];
  const real = r && !r.disabled ? r : null;
  // always one argon2 verification, a known name's or a stand-in's: the time taken never tells whether a name exists
  dummy ??= hashPassword("not anybody's password");
  const matches = await verifyPassword(typedPassword(a), real ? real.password_hash : await dummy);
  if (real && matches && a.password.length <= MAX_PASSWORD) {
    // the right password: this try was no failure, and the address is now one the name signs in from
    await sql`
      WITH pair AS (
        UPDATE hq_sign_in_tries SET tries = 0, locked_at = NULL, signed_in_at = ${now}::timestamptz
        WHERE name_key = lower(${key}) AND address = ${address}
      )
      UPDATE hq_sign_in_names SET failures = greatest(failures - 1, 0) WHERE name_key = lower(${key})`;
    return { id: real.id, name: real.name, role: real.role };
  }
  if (tries === MAX_FAILED_SIGN_INS) {
    throw new Problem(
      "sign_in_paused",
      `Five wrong passwords: signing in with this name from this address is paused for ${LOCK_MINUTES} minutes, or until an admin unlocks it.`,
    );
  }
  throw new Problem("wrong_password", "That name and password do not match.");
}

/**
 * Tries are forgotten a day on, unless they tell of an address a name signs in from. A statement of its own that skips
 * rows in use, so it never waits on a sign-in (nor one on it in a way that could deadlock).
 */
async function forgetOldTries(sql: HqSql, dayAgo: Date, knownSince: Date): Promise<void> {
  await sql`
    WITH tries AS (
      DELETE FROM hq_sign_in_tries WHERE (name_key, address) IN (
        SELECT name_key, address FROM hq_sign_in_tries
        WHERE last_try_at < ${dayAgo}::timestamptz AND (signed_in_at IS NULL OR signed_in_at < ${knownSince}::timestamptz)
        LIMIT 100 FOR UPDATE SKIP LOCKED)
    )
    DELETE FROM hq_sign_in_names WHERE name_key IN (
      SELECT name_key FROM hq_sign_in_names WHERE window_start < ${dayAgo}::timestamptz LIMIT 100 FOR UPDATE SKIP LOCKED)`;
}

/** Lift every pause on a user's name: at every address, and for the name as a whole. Addresses it signed in from stay known. */
export async function unlockUser(sql: HqSql, id: number, by: string): Promise<HqUser | null> {
  return sql.begin(async (tx) => {
    const u = await liftPauses(tx, id);
    if (u) await hqAudit(tx, { who: by, action: "user.unlocked", subject: `user ${u.name}`, before: { paused: true }, after: { paused: false } });
    return u;
  });
}

/** Every pause on a user's name lifted, inside a change's transaction; null: no such user. */
export async function liftPauses(tx: HqTransaction, id: number): Promise<HqUser | null> {
  const [u] = await tx<HqUser[]>`
    WITH u AS (SELECT id, name, role FROM hq_users WHERE id = ${id}),
      tries AS (UPDATE hq_sign_in_tries SET tries = 0, locked_at = NULL WHERE name_key IN (SELECT lower(name) FROM u)),
      names AS (DELETE FROM hq_sign_in_names WHERE name_key IN (SELECT lower(name) FROM u))
    SELECT id, name, role FROM u`;
  return u ?? null;
}

/** Disable a user and end their sessions at once. The last admin who can sign in is never disabled. */
export async function disableUser(sql: HqSql, id: number, at: Date, by: string): Promise<HqUser | null> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, ${FIRST_USER_LOCK})`;
    const [u] = await tx<(HqUser & { disabled: boolean })[]>`SELECT id, name, role, disabled FROM hq_users WHERE id = ${id} FOR UPDATE`;
    if (!u) return null;
    if (u.role === "admin" && !u.disabled) {
      const [other] = await tx`SELECT 1 FROM hq_users WHERE role = 'admin' AND NOT disabled AND id <> ${id} LIMIT 1`;
      if (!other) throw new Problem("last_admin", `${u.name} is the last admin; add another admin first.`);
    }
    await tx`UPDATE hq_users SET disabled = true WHERE id = ${id}`;
    await tx`UPDATE hq_sessions SET ended_at = ${at} WHERE user_id = ${id} AND ended_at IS NULL`;
    await hqAudit(tx, { who: by, action: "user.disabled", subject: `user ${u.name}`, before: { disabled: u.disabled }, after: { disabled: true } });
    return { id: u.id, name: u.name, role: u.role };
  });
}
