// What people do about people, each one transaction with its audit row: add a user, sign in and out, disable and
// unlock. PINs are hashed and checked (argon2, awaited) before the transaction opens; nothing is awaited inside it.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import type { User, UserRecords } from "./records.ts";
import type { Device, SessionRecords } from "./sessions.ts";

export type PeopleActionDeps = { db: Database; clock: Clock; users: UserRecords; sessions: SessionRecords; audit: AuditLog };

export function peopleActions(deps: PeopleActionDeps) {
  const { db, clock, users, sessions, audit } = deps;
  const now = () => clock.now().toISOString();

  return {
    /** Add a user; `by` is the admin who does (null: the first-run page or the command line, named in `via`). */
    async addUser(by: User | null, input: { name: string; role: string; pin: string }, via?: string): Promise<User> {
      const pinHash = await users.hashNewPin(input);
      return db
        .transaction(() => {
          const u = users.insert(input.name, input.role, pinHash, now());
          // the first-run admin makes themselves; from the command line nobody signed in does
          const actor = by ?? (via === "first-run page" ? u : null);
          audit.record({
            at: now(),
            userId: actor?.id ?? null,
            userName: actor?.name ?? null,
            action: "user.created",
            subject: u.name,
            detail: via ? { role: u.role, via } : { role: u.role },
          });
          return u;
        })
        .immediate();
    },

    /**
     * Sign in with a PIN on this device (a paired register, or none: the back office). A new session every time, the
     * one this browser had before ended; a failure is in the audit log too.
     */
    async signIn(
      input: { userId: number; pin: string },
      on: { device: Device | null; endingSession: string | undefined },
    ): Promise<{ user: User; cookie: string }> {
      let user: User;
      try {
        user = await users.signIn(input.userId, input.pin, clock.now(), on.device ? "register" : "away");
      } catch (e) {
        audit.record({
          at: now(),
          userId: null,
          userName: users.byId(input.userId)?.name ?? null,
          register: on.device?.registerName ?? null,
          action: "user.sign_in_failed",
          subject: null,
          detail: { code: e instanceof Problem ? e.code : "error" },
        });
        throw e;
      }
      return db
        .transaction(() => {
          sessions.end(on.endingSession, now());
          const s = sessions.start(user.id, on.device?.id ?? null, now());
          audit.record({
            at: now(),
            userId: user.id,
            userName: user.name,
            register: on.device?.registerName ?? null,
            action: "user.signed_in",
            subject: null,
            detail: {},
          });
          return { user, cookie: s.cookie };
        })
        .immediate();
    },

    signOut(user: User | null, device: Device | null, cookie: string | undefined, at: string): void {
      db.transaction(() => {
        audit.record({
          at,
          userId: user?.id ?? null,
          userName: user?.name ?? null,
          register: device?.registerName ?? null,
          action: "user.signed_out",
          subject: null,
          detail: {},
        });
        sessions.end(cookie, at);
      }).immediate();
    },

    /** Disabling a user ends every session of theirs at once. */
    disableUser(by: User, u: User): void {
      db.transaction(() => {
        users.disable(u.id, now());
        audit.record({ at: now(), userId: by.id, userName: by.name, action: "user.disabled", subject: u.name, detail: {} });
      }).immediate();
    },

    unlockUser(by: User, u: User): void {
      db.transaction(() => {
        users.unlock(u.id);
        audit.record({ at: now(), userId: by.id, userName: by.name, action: "user.unlocked", subject: u.name, detail: {} });
      }).immediate();
    },
  };
}

export type PeopleActions = ReturnType<typeof peopleActions>;
