// Head office's audit log: one line for every change a person or a program makes, written in the transaction of the
// change (so the log never says what did not happen), and read back newest first by who, action and day.
import type { HqSql, HqTransaction } from "../db/db.ts";

/** One change: who made it, what it was (e.g. "user.role_changed"), what it concerned, and the subject before and after. */
export type HqAuditEntry = {
  who: string;
  action: string;
  /** The store the change concerns, when it concerns one (a person limited to stores sees only its lines). */
  storeId?: string | null;
  /** What was changed, in words: "user Ann", "dead letter 12 (sale R-1 seq 4)". */
  subject: string;
  before?: unknown;
  after?: unknown;
};

const asJson = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Write one line of the audit log inside `tx`, the transaction of the change it records. */
export async function hqAudit(tx: HqTransaction, e: HqAuditEntry): Promise<void> {
  await tx`INSERT INTO hq_audit (who, action, store_id, subject, before, after)
    VALUES (${e.who}, ${e.action}, ${e.storeId ?? null}::uuid, ${e.subject},
      ${asJson(e.before)}::text::jsonb, ${asJson(e.after)}::text::jsonb)`;
}

export type AuditRow = {
  id: number;
  at: Date;
  who: string;
  action: string;
  store_id: string | null;
  store_name: string | null;
  subject: string;
  before: unknown;
  after: unknown;
};

/** What the audit page is asked for: each filter empty when not used; `day` is YYYY-MM-DD in head office's time zone. */
export type AuditFilter = { who: string; action: string; day: string };

export const AUDIT_PAGE = 200;
/** The CSV export reads at most this many lines (a year of a busy head office is far less). */
export const AUDIT_EXPORT_LIMIT = 100_000;

/** Lines of the log, newest first, matching the filter; `before` (an id) pages on to older lines. */
export async function listAudit(sql: HqSql, f: AuditFilter & { timeZone: string; limit?: number; olderThan?: number | null }): Promise<AuditRow[]> {
  const who = f.who ? sql`AND lower(a.who) = lower(${f.who})` : sql``;
  const action = f.action ? sql`AND a.action = ${f.action}` : sql``;
  const day = f.day ? sql`AND (a.at AT TIME ZONE ${f.timeZone})::date = ${f.day}::date` : sql``;
  const older = f.olderThan ? sql`AND a.id < ${f.olderThan}` : sql``;
  return sql<AuditRow[]>`
    SELECT a.id, a.at, a.who, a.action, a.store_id::text, st.name AS store_name, a.subject, a.before, a.after
    FROM hq_audit a LEFT JOIN stores st ON st.store_id = a.store_id
    WHERE true ${who} ${action} ${day} ${older}
    ORDER BY a.at DESC, a.id DESC LIMIT ${f.limit ?? AUDIT_PAGE}`;
}

/** The names and actions the log holds, for the filters' choices. */
export async function auditChoices(sql: HqSql): Promise<{ who: string[]; actions: string[] }> {
  const [r] = await sql<{ who: string[] | null; actions: string[] | null }[]>`
    SELECT (SELECT array_agg(DISTINCT who ORDER BY who) FROM hq_audit) AS who,
      (SELECT array_agg(DISTINCT action ORDER BY action) FROM hq_audit) AS actions`;
  return { who: r?.who ?? [], actions: r?.actions ?? [] };
}
