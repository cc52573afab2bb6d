// What an admin changes about a person — role, password, enabled again, the stores they see — and a person's own new
// password. Each change is one transaction with its line in the audit log; a password is never logged, only that it
// was set.
import { Problem } from "../../../domain/kernel/problem.ts";
import { hashPassword, verifyPassword } from "../../../server/platform/auth/passwords.ts";
import { hqAudit } from "../audit/audit.ts";
import { HQ_LOCK_NAMESPACE, type HqSql, type HqTransaction } from "../db/db.ts";
import { FIRST_USER_LOCK, type HqUser, isHqRole, liftPauses, MAX_PASSWORD, MIN_PASSWORD, UserRefused } from "./users.ts";

type Person = HqUser & { disabled: boolean; stores: string[] | null };

/** The person, locked for the change; admins' changes take the first-user lock so "the last admin" is counted once. */
async function lockPerson(tx: HqTransaction, id: number): Promise<Person> {
  await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, ${FIRST_USER_LOCK})`;
  const [u] = await tx<Person[]>`SELECT id, name, role, disabled, stores::text[] FROM hq_users WHERE id = ${id} FOR UPDATE`;
  if (!u) throw new Problem("user_not_found", "There is no such user.");
  return u;
}

/** Refused when `u` is the last admin who can sign in and would stop being one. */
async function keepAnAdmin(tx: HqTransaction, u: Person): Promise<void> {
  if (u.role !== "admin" || u.disabled) return;
  const [other] = await tx`SELECT 1 FROM hq_users WHERE role = 'admin' AND NOT disabled AND id <> ${u.id} LIMIT 1`;
  if (!other) throw new Problem("last_admin", `${u.name} is the last admin; make another person an admin first.`);
}

/** A new password's sentence when it is too short or too long, else null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD) return `A password of at least ${MIN_PASSWORD} characters, please.`;
  if (password.length > MAX_PASSWORD) return `A password of at most ${MAX_PASSWORD} characters, please.`;
  return null;
}

/** A password made for a person by head office: 20 letters and digits a person can read out, about 100 bits. */
export function madePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: read over the phone
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join("")).join("-");
}

export async function changeRole(sql: HqSql, id: number, role: string, by: string): Promise<HqUser> {
  if (!isHqRole(role)) throw new UserRefused({ role: "The role is admin, catalog or viewer." });
  return sql.begin(async (tx) => {
    const u = await lockPerson(tx, id);
    if (u.role === role) return u;
    if (role !== "admin") await keepAnAdmin(tx, u);
    await tx`UPDATE hq_users SET role = ${role} WHERE id = ${id}`;
    await hqAudit(tx, { who: by, action: "user.role_changed", subject: `user ${u.name}`, before: { role: u.role }, after: { role } });
    return { id: u.id, name: u.name, role };
  });
}

/**
 * An admin sets a person's password: the one typed (twice, checked by the form) or, when none, one made here and shown
 * once. Their sessions end and pauses lift: whoever held the old password is out, the person signs in with the new one.
 */
export async function resetPassword(sql: HqSql, id: number, typed: string | null, by: string, at: Date): Promise<{ user: HqUser; password: string | null }> {
  const password = typed ?? madePassword();
  const problem = passwordProblem(password);
  if (problem) throw new UserRefused({ password: problem });
  const hash = await hashPassword(password);
  return sql.begin(async (tx) => {
    const u = await lockPerson(tx, id);
    await tx`UPDATE hq_users SET password_hash = ${hash}, password_set_at = ${at}, password_set_by = ${by} WHERE id = ${id}`;
    const ended = await tx`UPDATE hq_sessions SET ended_at = ${at} WHERE user_id = ${id} AND ended_at IS NULL`;
    await liftPauses(tx, id);
    await hqAudit(tx, {
      who: by,
      action: "user.password_reset",
      subject: `user ${u.name}`,
      before: { sessions: ended.count },
      after: { password: typed ? "typed by admin" : "made by head office", sessions: 0 },
    });
    return { user: { id: u.id, name: u.name, role: u.role }, password: typed ? null : password };
  });
}

/** A disabled or paused person may sign in again: enabled, and every pause on their name lifted. */
export async function enableUser(sql: HqSql, id: number, by: string): Promise<HqUser> {
  return sql.begin(async (tx) => {
    const u = await lockPerson(tx, id);
    await tx`UPDATE hq_users SET disabled = false WHERE id = ${id}`;
    await liftPauses(tx, id);
    await hqAudit(tx, { who: by, action: "user.enabled", subject: `user ${u.name}`, before: { disabled: u.disabled }, after: { disabled: false } });
    return { id: u.id, name: u.name, role: u.role };
  });
}

/**
 * Limit a person to some stores (null: every store). Every id must be a registered store; the log names them too, as
 * ids alone say little a year later.
 */
export async function limitStores(sql: HqSql, id: number, stores: string[] | null, by: string): Promise<HqUser & { stores: string[] | null }> {
  const wanted = stores === null ? null : [...new Set(stores.map((s) => s.toLowerCase()))].sort();
  if (wanted?.length === 0) throw new UserRefused({ stores: "Tick at least one store, or choose every store." });
  return sql.begin(async (tx) => {
    const u = await lockPerson(tx, id);
    const named = async (ids: string[] | null) =>
      ids === null
        ? "every store"
        : (await tx<{ name: string }[]>`SELECT name FROM stores WHERE store_id = ANY(${ids}::uuid[]) ORDER BY name`).map((r) => r.name);
    if (wanted) {
      const [known] = await tx<{ n: number }[]>`SELECT count(*)::int8 AS n FROM stores WHERE store_id = ANY(${wanted}::uuid[])`;
      if (known!.n !== wanted.length) throw new UserRefused({ stores: "One of the ticked stores is not registered at head office; reload the page." });
    }
    const before = await named(u.stores);
    await tx`UPDATE hq_users SET stores = ${wanted}::uuid[] WHERE id = ${id}`;
    await hqAudit(tx, {
      who: by,
      action: "user.stores_limited",
      subject: `user ${u.name}`,
      before: { stores: before },
      after: { stores: await named(wanted) },
    });
    return { id: u.id, name: u.name, role: u.role, stores: wanted };
  });
}

/**
 * A person changes their own password, saying the current one first (a session left open on a shared PC is not enough
 * to take over the name). Their other sessions end; this one goes on.
 */
export async function changeOwnPassword(
  sql: HqSql,
  me: HqUser,
  input: { current: string; password: string; sessionCookieHash: string | null },
  at: Date,
): Promise<void> {
  const [row] = await sql<{ password_hash: string }[]>`SELECT password_hash FROM hq_users WHERE id = ${me.id} AND NOT disabled`;
  const matches = row ? await verifyPassword(input.current.slice(0, MAX_PASSWORD), row.password_hash) : false;
  if (!matches) throw new Problem("wrong_password", "That is not your current password; nothing was changed.");
  const problem = passwordProblem(input.password);
  if (problem) throw new UserRefused({ password: problem });
  if (input.password === input.current) throw new UserRefused({ password: "The new password is the current one; choose another." });
  const hash = await hashPassword(input.password);
  await sql.begin(async (tx) => {
    await tx`UPDATE hq_users SET password_hash = ${hash}, password_set_at = ${at}, password_set_by = ${me.name} WHERE id = ${me.id}`;
    await tx`UPDATE hq_sessions SET ended_at = ${at}
      WHERE user_id = ${me.id} AND ended_at IS NULL AND id_hash IS DISTINCT FROM ${input.sessionCookieHash}`;
    await hqAudit(tx, { who: me.name, action: "user.password_changed", subject: `user ${me.name}`, after: { password: "changed by themselves" } });
  });
}
