// The audit log: who did what, when, on which register, approved by whom. Append-only (SQLite triggers).

import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import type { AuditRow } from "../../views/audit/page.tsx";
import { csvTable } from "../platform/http/csv.ts";

/** One row of the log, as the audit page shows it, with its number. */
export type AuditEntry = AuditRow & { id: number };

export type AuditFilter = { user?: string; action?: string; from?: string; to?: string; limit?: number };

export function auditLog(db: Database) {
  const insert = db.query("INSERT INTO audit_log(at, user_id, user_name, approved_by, register, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  return {
    record(e: {
      at: string;
      userId: number | null;
      userName: string | null;
      approvedBy?: string | null;
      register?: string | null;
      action: string;
      subject?: string | null;
      detail?: unknown;
    }): void {
      insert.run(e.at, e.userId, e.userName, e.approvedBy ?? null, e.register ?? null, e.action, e.subject ?? null, JSON.stringify(e.detail ?? {}));
    },
    find(f: AuditFilter): AuditEntry[] {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (f.user) {
        where.push("user_name = ?");
        args.push(f.user);
      }
      if (f.action) {
        where.push("action LIKE ? ESCAPE '\\'");
        args.push(`${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      if (f.from) {
        where.push("at >= ?");
        args.push(f.from);
      }
      if (f.to) {
        where.push("at < ?");
        args.push(f.to);
      }
      args.push(Math.min(f.limit ?? 500, 10_000));
      return db
        .query<
          {
            id: number;
            at: string;
            user_name: string | null;
            approved_by: string | null;
            register: string | null;
            action: string;
            subject: string | null;
            detail: string;
          },
          (string | number)[]
        >(
          `SELECT id, at, user_name, approved_by, register, action, subject, detail FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`,
        )
        .all(...args)
        .map((r) => ({
          id: r.id,
          at: r.at,
          user: r.user_name,
          approvedBy: r.approved_by,
          register: r.register,
          action: r.action,
          subject: r.subject,
          detail: r.detail,
        }));
    },
  };
}

export type AuditLog = ReturnType<typeof auditLog>;

/** The log as CSV for spreadsheets (platform/http/csv.ts). */
export function toCsv(rows: AuditEntry[]): string {
  return csvTable(
    ["at", "user", "approved_by", "register", "action", "subject", "detail"],
    rows.map((r) => [r.at, r.user, r.approvedBy, r.register, r.action, r.subject, r.detail]),
  );
}

/** Who does something, as the audit log writes it: the signed-in user and the register they are on. */
export type Actor = { userId: number; userName: string; registerId: number; registerName: string };

/**
 * Who changes how the store is set up (tax classes, categories, products): a signed-in person from any browser, on a
 * register or not, or the command line, which is no one.
 */
export type SetUpActor = { userId: number | null; userName: string | null; registerName: string | null };

/** The command line as the audit log names it: no one, on no register. */
export const commandLine: SetUpActor = { userId: null, userName: null, registerName: null };

/** How set-up actions write their rows: recordAs for an actor who may be on no register, or no one. */
export function recordSetUp(audit: AuditLog, clock: Clock) {
  return (who: SetUpActor, action: string, subject: string | null, detail: unknown): void =>
    audit.record({ at: clock.now().toISOString(), userId: who.userId, userName: who.userName, register: who.registerName, action, subject, detail });
}

/** The manager who approved, when it was not the actor. */
export type Approver = { id: number; name: string } | null;

/** How actions write their rows: who did it, on which register, approved by whom (only when someone else). */
export function recordAs(audit: AuditLog, clock: Clock) {
  return (who: Actor, action: string, subject: string | null, detail: unknown, approver: Approver = null): void =>
    audit.record({
      at: clock.now().toISOString(),
      userId: who.userId,
      userName: who.userName,
      approvedBy: approver && approver.id !== who.userId ? approver.name : null,
      register: who.registerName,
      action,
      subject,
      detail,
    });
}
