// Pairing a browser as a register, in one transaction with its audit row; a refused pairing is on record too.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import type { User, UserRecords } from "../people/records.ts";
import type { SessionRecords } from "../people/sessions.ts";
import { ensureRegister } from "./records.ts";

export function registerActions(deps: { db: Database; clock: Clock; users: UserRecords; sessions: SessionRecords; audit: AuditLog }) {
  const { db, clock, users, sessions, audit } = deps;
  const now = () => clock.now().toISOString();
  return {
    /** Pair this browser as register `name`, approved by the manager named typing their PIN: the device's secret. */
    async pair(name: string, by: { managerId: number; pin: string }): Promise<string> {
      let manager: User;
      try {
        manager = await users.approve(by.managerId, by.pin, clock.now(), "away");
      } catch (e) {
        if (e instanceof Problem) {
          audit.record({
            at: now(),
            userId: null,
            userName: users.byId(by.managerId)?.name ?? null,
            register: name,
            action: "device.pair_failed",
            subject: name,
            detail: { code: e.code },
          });
        }
        throw e;
      }
      return db
        .transaction(() => {
          const registerId = ensureRegister(db, name, now());
          const token = sessions.pair(registerId, manager.id, now());
          audit.record({ at: now(), userId: manager.id, userName: manager.name, register: name, action: "device.paired", subject: name, detail: {} });
          return token;
        })
        .immediate();
    },
  };
}

export type RegisterActions = ReturnType<typeof registerActions>;
