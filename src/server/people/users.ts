// Users and their PINs: hashed with Bun.password (argon2id), locked after five wrong tries, found by PIN for approvals.
import type { Database } from "bun:sqlite";
import { AppError } from "../errors.ts";
import { isRole, type Role } from "./roles.ts";

export const MAX_FAILED_PINS = 5;
export const LOCK_MINUTES = 15;

export type User = { id: number; name: string; role: Role; disabled: boolean; lockedUntil: string | null };

type Row = { id: number; name: string; role: Role; pin_hash: string; pin_tag: string; disabled: number; failed_attempts: number; locked_until: string | null };

const toUser = (r: Row): User => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, lockedUntil: r.locked_until });

export function validPin(pin: string): boolean {
  return /^\d{4,8}$/.test(pin);
}

export function userStore(db: Database, secret: () => string) {
  const byId = db.query<Row, [number]>("SELECT * FROM users WHERE id = ?");
  const byName = db.query<Row, [string]>("SELECT * FROM users WHERE name = ?");
  const byTag = db.query<Row, [string]>("SELECT * FROM users WHERE pin_tag = ? AND disabled = 0");
  const active = db.query<Row, []>("SELECT * FROM users WHERE disabled = 0 ORDER BY name");
  const all = db.query<Row, []>("SELECT * FROM users ORDER BY name");

  /** A keyed fingerprint of the PIN, so a manager is recognised by PIN alone and no two people share one. */
  const tag = (pin: string) => new Bun.CryptoHasher("sha256", secret()).update(pin).digest("hex");
  const hash = (pin: string) => Bun.password.hash(pin, { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 });

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
    /** The store has had an admin: the first-run page is gone for good (later admins come from an admin or the CLI). */
    hasAdmin: () => db.query("SELECT 1 FROM users WHERE role = 'admin'").get() !== null,

    async add(name: string, role: string, pin: string, at: string): Promise<User> {
      const n = name.trim();
      if (!n || n.length > 40) throw new AppError(422, "invalid_name", "A name of 1 to 40 characters, please.");
      if (!isRole(role)) throw new AppError(422, "invalid_role", "The role is cashier, supervisor, manager or admin.");
      if (!validPin(pin)) throw new AppError(422, "invalid_pin", "A PIN is 4 to 8 digits.");
      const pinHash = await hash(pin);
      return db.transaction(() => {
        if (byName.get(n)) throw new AppError(409, "user_exists", `There is already a user called ${n}.`);
        if (byTag.get(tag(pin))) throw new AppError(409, "pin_taken", "Someone already uses that PIN; choose another.");
        db.query("INSERT INTO users(name, role, pin_hash, pin_tag, created_at) VALUES (?, ?, ?, ?, ?)").run(n, role, pinHash, tag(pin), at);
        return toUser(byName.get(n)!);
      }).immediate();
    },

    /**
     * Check a user's PIN. Five wrong in a row lock the user for 15 minutes (or until a manager unlocks).
     * Returns the user, or throws with what the person at the till should know.
     */
    async signIn(userId: number, pin: string, now: Date): Promise<User> {
      const r = byId.get(userId);
      if (!r || r.disabled === 1) throw new AppError(401, "unknown_user", "That user cannot sign in.");
      if (r.locked_until && r.locked_until > now.toISOString()) {
        throw new AppError(423, "user_locked", `Too many wrong PINs: ${r.name} is locked until ${r.locked_until.slice(11, 16)} UTC, or until a manager unlocks.`);
      }
      const ok = validPin(pin) && (await Bun.password.verify(pin, r.pin_hash));
      if (ok) {
        db.query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?").run(userId);
        return toUser(r);
      }
      const failed = r.failed_attempts + 1;
      const lock = failed >= MAX_FAILED_PINS ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null;
      db.query("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?").run(lock ? 0 : failed, lock, userId);
      if (lock) throw new AppError(423, "user_locked", `Five wrong PINs: ${r.name} is locked for ${LOCK_MINUTES} minutes, or until a manager unlocks.`);
      throw new AppError(401, "wrong_pin", `Wrong PIN. ${MAX_FAILED_PINS - failed} more tries before ${r.name} is locked.`);
    },

    /** Whoever this PIN belongs to, if they hold at least `needed`: the approval of a restricted action. */
    async approver(pin: string, isEnough: (u: User) => boolean): Promise<User | null> {
      if (!validPin(pin)) return null;
      const r = byTag.get(tag(pin));
      if (!r || !(await Bun.password.verify(pin, r.pin_hash))) return null;
      const u = toUser(r);
      return isEnough(u) ? u : null;
    },

    unlock(userId: number): void {
      db.query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?").run(userId);
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

export type UserStore = ReturnType<typeof userStore>;
