// The users' rows and their PINs: hashed with argon2id (platform/auth/passwords.ts), locked after five wrong tries counted in one
// statement. Building blocks: what a person does with them is one transaction in actions.ts.

import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { hashPassword, verifyPassword } from "../platform/auth/passwords.ts";
import { atLeast, isRole, type Role } from "./roles.ts";

export const MAX_FAILED_PINS = 5;
export const LOCK_MINUTES = 15;

/** `lockedUntil`: locked at the registers; `lockedAwayUntil`: locked for sign-in and pairing away from them. */
export type User = { id: number; name: string; role: Role; disabled: boolean; lockedUntil: string | null; lockedAwayUntil: string | null };

/** Where a PIN was typed: at a paired register (sign-in, approvals) or away from the registers (back office, pairing). */
export type PinPlace = "register" | "away";

type Row = {
  id: number;
  name: string;
  role: Role;
  pin_hash: string;
  disabled: number;
  failed_attempts: number;
  locked_until: string | null;
  away_failed_attempts: number;
  away_locked_until: string | null;
};

const toUser = (r: Row): User => ({
  id: r.id,
  name: r.name,
  role: r.role,
  disabled: r.disabled === 1,
  lockedUntil: r.locked_until,
  lockedAwayUntil: r.away_locked_until,
});

export function validPin(pin: string): boolean {
  return /^\d{4,8}$/.test(pin);
}

export function userRecords(db: Database) {
  const byId = db.query<Row, [number]>("SELECT * FROM users WHERE id = ?");
  const byName = db.query<Row, [string]>("SELECT * FROM users WHERE name = ?");
  const active = db.query<Row, []>("SELECT * FROM users WHERE disabled = 0 ORDER BY name");
  const all = db.query<Row, []>("SELECT * FROM users ORDER BY name");
  const approvers = db.query<Row, []>("SELECT * FROM users WHERE disabled = 0 AND role IN ('manager', 'admin') ORDER BY name");
  /**
   * Every PIN typed counts as a wrong one before it is checked: one statement adds it to the user's count and locks
   * the user at the fifth, so PINs sent at once are all counted and no more than five are ever checked per lock.
   * A lock that has run out starts the count again. Returns nothing while the user is locked (or unknown, disabled).
   * Two counts: at the registers, and away from them.
   */
  const counter = (tries: string, lock: string) => ({
    count: db.query<{ tries: number; locked_until: string | null }, { $id: number; $now: string; $until: string; $max: number }>(
      `UPDATE users SET
         ${tries} = CASE WHEN ${lock} IS NOT NULL THEN 1 ELSE ${tries} + 1 END,
         ${lock} = CASE WHEN (CASE WHEN ${lock} IS NOT NULL THEN 1 ELSE ${tries} + 1 END) >= $max THEN $until ELSE NULL END
       WHERE id = $id AND disabled = 0 AND (${lock} IS NULL OR ${lock} <= $now)
       RETURNING ${tries} AS tries, ${lock} AS locked_until`,
    ),
    clear: db.query(`UPDATE users SET ${tries} = 0, ${lock} = NULL WHERE id = ?`),
    lockedUntil: (r: Row) => (lock === "locked_until" ? r.locked_until : r.away_locked_until),
  });
  const counters = { register: counter("failed_attempts", "locked_until"), away: counter("away_failed_attempts", "away_locked_until") };
  const clearAll = db.query("UPDATE users SET failed_attempts = 0, locked_until = NULL, away_failed_attempts = 0, away_locked_until = NULL WHERE id = ?");

  /**
   * Check the PIN of one named user. Five wrong in a row lock the user for 15 minutes (or until a manager unlocks);
   * every failure counts against that user, whichever form it was typed into. Throws what the person should know.
   */
  async function checkPin(userId: number, pin: string, now: Date, place: PinPlace, refusedAs: { code: "wrong_pin" | "approval_needed" }): Promise<User> {
    const r = byId.get(userId);
    if (!r || r.disabled === 1) throw new Problem(refusedAs.code === "wrong_pin" ? "unknown_user" : refusedAs.code, "That user cannot sign in.");
    const where = place === "register" ? "" : " away from the registers";
    const counter = counters[place];
    const until = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
    const counted = counter.count.get({ $id: userId, $now: now.toISOString(), $until: until, $max: MAX_FAILED_PINS });
    if (!counted) {
      const row = byId.get(userId);
      const locked = (row && counter.lockedUntil(row)) ?? until;
      throw new Problem("user_locked", `Too many wrong PINs: ${r.name} is locked${where} until ${locked.slice(11, 16)} UTC, or until a manager unlocks.`);
    }
    const ok = validPin(pin) && (await verifyPassword(pin, r.pin_hash));
    if (ok) {
      counter.clear.run(userId);
      return toUser(r);
    }
    if (counted.locked_until)
      throw new Problem("user_locked", `Five wrong PINs: ${r.name} is locked${where} for ${LOCK_MINUTES} minutes, or until a manager unlocks.`);
    const left = MAX_FAILED_PINS - counted.tries;
    // at the sign-in page the name is chosen just above; when approving, say whose PIN was wrong
    const whose = refusedAs.code === "wrong_pin" ? "Wrong PIN." : `Wrong PIN for ${r.name}.`;
    throw new Problem(refusedAs.code, `${whose} ${left} more ${left === 1 ? "try" : "tries"} before ${r.name} is locked.`);
  }

  return {
    byId: (id: number) => {
      const r = byId.get(id);
      return r ? toUser(r) : null;
    },
    byName: (name: string) => {
      const r = byName.get(name);
      return r ? toUser(r) : null;
    },
    active: () => active.all().map(toUser),
    all: () => all.all().map(toUser),
    /** Who may approve a restricted action or pair a register: active managers and admins. */
    approvers: () => approvers.all().map(toUser),
    /** The store has had an admin: the first-run page is gone for good (later admins come from an admin or the CLI). */
    hasAdmin: () => db.query("SELECT 1 FROM users WHERE role = 'admin'").get() !== null,

    /** Check a new user's name, role and PIN, and hash the PIN (slow: before any transaction). PINs need not be unique. */
    async hashNewPin(input: { name: string; role: string; pin: string }): Promise<string> {
      const n = input.name.trim();
      if (!n || n.length > 40) throw new Problem("invalid_name", "A name of 1 to 40 characters, please.");
      const problem = textProblem(n, "The name", { max: 40 });
      if (problem) throw new Problem(problem.code, problem.message);
      if (!isRole(input.role)) throw new Problem("invalid_role", "The role is cashier, supervisor, manager or admin.");
      if (!validPin(input.pin)) throw new Problem("invalid_pin", "A PIN is 4 to 8 digits.");
      return hashPassword(input.pin);
    },

    /** Write a checked new user (inside the caller's transaction). */
    insert(name: string, role: string, pinHash: string, at: string): User {
      const n = name.trim();
      if (byName.get(n)) throw new Problem("user_exists", `There is already a user called ${n}.`);
      db.query("INSERT INTO users(name, role, pin_hash, created_at) VALUES (?, ?, ?, ?)").run(n, role, pinHash, at);
      return toUser(byName.get(n)!);
    },

    /** Add a user in a transaction of its own (the command line, tests). */
    async add(name: string, role: string, pin: string, at: string): Promise<User> {
      const pinHash = await this.hashNewPin({ name, role, pin });
      return db.transaction(() => this.insert(name, role, pinHash, at)).immediate();
    },

    /** Sign in with a PIN at a register or away from them: the user, or a refusal (401 wrong PIN, 423 locked). */
    signIn: (userId: number, pin: string, now: Date, place: PinPlace): Promise<User> => checkPin(userId, pin, now, place, { code: "wrong_pin" }),

    /**
     * The approval of a restricted action by the named manager typing their PIN: that manager, or a refusal (403 when
     * the one named is no manager or the PIN is wrong, 423 when they are locked). Wrong PINs count against the manager.
     */
    async approve(approverId: number, pin: string, now: Date, place: PinPlace): Promise<User> {
      const a = byId.get(approverId);
      if (!a || a.disabled === 1 || !atLeast(a.role, "manager")) {
        throw new Problem("approval_needed", "Choose a manager to approve, and have them type their PIN.");
      }
      return checkPin(approverId, pin, now, place, { code: "approval_needed" });
    },

    /** A manager lifts both locks at once. */
    unlock(userId: number): void {
      clearAll.run(userId);
    },

    /** Disabling a user ends every session of theirs at once. */
    disable(userId: number, at: string): void {
      db.transaction(() => {
        db.query("UPDATE users SET disabled = 1 WHERE id = ?").run(userId);
        db.query("UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL").run(at, userId);
      }).immediate();
    },
  };
}

export type UserRecords = ReturnType<typeof userRecords>;
