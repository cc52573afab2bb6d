// Head-office users: a name and a password (argon2id), a role, locked for 15 minutes after five wrong passwords.
import { AppError } from "../../server/errors.ts";
import { HQ_LOCK_NAMESPACE, type HqSql } from "./db.ts";

/** In order of what they may do: a viewer reads, catalog also edits and publishes the catalog, admin does everything. */
export const hqRoles = ["viewer", "catalog", "admin"] as const;
export type HqRole = (typeof hqRoles)[number];

export const isHqRole = (x: string): x is HqRole => (hqRoles as readonly string[]).includes(x);
export const hqAtLeast = (role: HqRole, needed: HqRole) => hqRoles.indexOf(role) >= hqRoles.indexOf(needed);

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 200; // argon2 hashes anything, but a megabyte "password" is only a way to burn CPU
export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_MINUTES = 15;
const FIRST_USER_LOCK = 3; // second advisory key under HQ_LOCK_NAMESPACE: the first-run admin

export type HqUser = { id: number; name: string; role: HqRole };
export type HqUserRow = HqUser & { disabled: boolean; locked_until: Date | null; created_at: Date; created_by: string | null };

const hash = (password: string) => Bun.password.hash(password, { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 });
// Compared against when the name is unknown, so a wrong name takes as long as a wrong password.
let dummy: Promise<string> | null = null;

/** Field problems of a new user, by field name; empty when all is well. */
export function checkNewUser(input: { name: string; role: string; password: string }): Record<string, string> {
  const problems: Record<string, string> = {};
  const name = input.name.trim();
  if (!name || name.length > 60) problems.name = "A name of 1 to 60 characters, please.";
  if (!isHqRole(input.role)) problems.role = "The role is admin, catalog or viewer.";
  if (input.password.length < MIN_PASSWORD) problems.password = `A password of at least ${MIN_PASSWORD} characters, please.`;
  else if (input.password.length > MAX_PASSWORD) problems.password = `A password of at most ${MAX_PASSWORD} characters, please.`;
  return problems;
}

export class UserRefused extends AppError {
  constructor(readonly problems: Record<string, string>) {
    super(422, "invalid_user", Object.values(problems)[0] ?? "The user is not valid.", problems);
  }
}

export async function countUsers(sql: HqSql): Promise<number> {
  const [r] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM hq_users`;
  return r!.n;
}

export async function listUsers(sql: HqSql): Promise<HqUserRow[]> {
  return sql<HqUserRow[]>`SELECT id, name, role, disabled, locked_until, created_at, created_by FROM hq_users ORDER BY lower(name)`;
}

/**
 * Add a user. With `onlyIfNone` it is the first-run admin: added only while head office has no user at all, checked
 * under a lock so two first-run pages submitted at once make one admin.
 */
export async function addUser(
  sql: HqSql,
  input: { name: string; role: string; password: string; createdBy: string; onlyIfNone?: boolean },
): Promise<HqUser> {
  const problems = checkNewUser(input);
  if (Object.keys(problems).length > 0) throw new UserRefused(problems);
  const name = input.name.trim();
  const passwordHash = await hash(input.password);
  return sql.begin(async (tx) => {
    if (input.onlyIfNone) {
      await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, ${FIRST_USER_LOCK})`;
      const [any] = await tx`SELECT 1 FROM hq_users LIMIT 1`;
      if (any) throw new AppError(409, "setup_done", "Head office has its first admin already; sign in instead.");
    }
    const rows = await tx<HqUser[]>`
      INSERT INTO hq_users (name, role, password_hash, created_by) VALUES (${name}, ${input.role}, ${passwordHash}, ${input.createdBy})
      ON CONFLICT DO NOTHING RETURNING id, name, role`;
    if (!rows[0]) throw new UserRefused({ name: `There is already a user called ${name}.` });
    return rows[0];
  });
}

/**
 * Check a name and password. Five wrong in a row lock the user for 15 minutes; a locked user is refused without the
 * password being looked at. Unknown names and wrong passwords get the same sentence.
 */
export async function signIn(sql: HqSql, name: string, password: string, now: Date): Promise<HqUser> {
  const wrong = () => new AppError(401, "wrong_password", "That name and password do not match.");
  const [r] = name.length > 0 && name.length <= 60
    ? await sql<(HqUser & { password_hash: string; disabled: boolean; locked_until: Date | null })[]>`
        SELECT id, name, role, password_hash, disabled, locked_until FROM hq_users WHERE lower(name) = lower(${name.trim()})`
    : [];
  if (!r || r.disabled) {
    dummy ??= hash("not anybody's password");
    await Bun.password.verify(password.slice(0, MAX_PASSWORD), await dummy);
    throw wrong();
  }
  if (r.locked_until && r.locked_until > now) {
    throw new AppError(423, "user_locked", `Too many wrong passwords: ${r.name} is locked until ${r.locked_until.toISOString().slice(11, 16)} UTC, or until an admin unlocks.`);
  }
  // always one argon2 verification, as for an unknown name: the time taken never tells whether a name exists
  const matches = await Bun.password.verify(password.slice(0, MAX_PASSWORD), r.password_hash);
  if (matches && password.length <= MAX_PASSWORD) {
    await sql`UPDATE hq_users SET failed_attempts = 0, locked_until = NULL WHERE id = ${r.id}`;
    return { id: r.id, name: r.name, role: r.role };
  }
  // counted in one statement under the row lock, so wrong passwords sent at once are all counted
  const until = new Date(now.getTime() + LOCK_MINUTES * 60_000);
  const [after] = await sql<{ locked: boolean }[]>`
    UPDATE hq_users SET
      failed_attempts = CASE WHEN failed_attempts + 1 >= ${MAX_FAILED_SIGN_INS} THEN 0 ELSE failed_attempts + 1 END,
      locked_until = CASE WHEN failed_attempts + 1 >= ${MAX_FAILED_SIGN_INS} THEN ${until}::timestamptz ELSE locked_until END
    WHERE id = ${r.id}
    RETURNING locked_until IS NOT NULL AND locked_until > ${now}::timestamptz AS locked`;
  if (after?.locked) throw new AppError(423, "user_locked", `Five wrong passwords: ${r.name} is locked for ${LOCK_MINUTES} minutes, or until an admin unlocks.`);
  throw wrong();
}

export async function unlockUser(sql: HqSql, id: number): Promise<HqUser | null> {
  const [u] = await sql<HqUser[]>`UPDATE hq_users SET failed_attempts = 0, locked_until = NULL WHERE id = ${id} RETURNING id, name, role`;
  return u ?? null;
}

/** Disable a user and end their sessions at once. The last admin who can sign in is never disabled. */
export async function disableUser(sql: HqSql, id: number, at: Date): Promise<HqUser | null> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, ${FIRST_USER_LOCK})`;
    const [u] = await tx<(HqUser & { disabled: boolean })[]>`SELECT id, name, role, disabled FROM hq_users WHERE id = ${id} FOR UPDATE`;
    if (!u) return null;
    if (u.role === "admin" && !u.disabled) {
      const [other] = await tx`SELECT 1 FROM hq_users WHERE role = 'admin' AND NOT disabled AND id <> ${id} LIMIT 1`;
      if (!other) throw new AppError(409, "last_admin", `${u.name} is the last admin; add another admin first.`);
    }
    await tx`UPDATE hq_users SET disabled = true WHERE id = ${id}`;
    await tx`UPDATE hq_sessions SET ended_at = ${at} WHERE user_id = ${id} AND ended_at IS NULL`;
    return { id: u.id, name: u.name, role: u.role };
  });
}
