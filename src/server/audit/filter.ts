// The audit page's filter from its query: days as the date inputs send them (2026-11-25) or as the pages write them
// (25/11/2026), meaning the store's calendar days in its time zone, as every time on the page is shown.
import { isCalendarDate, nextDay, startOfDay, tradingYears, validDay } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { AuditFilterView } from "../../views/audit/page.tsx";
import type { AuditFilter } from "./audit-log.ts";

/** What to look up, and what the form shows back. */
export type AuditQuery = { find: AuditFilter; shown: AuditFilterView };

const pageDay = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** "2026-11-25" or "25/11/2026" as a calendar day (ISO), null when empty; a Problem naming the field otherwise. */
export function dayParam(label: string, raw: string | undefined): string | null {
  const v = (raw ?? "").trim();
  if (v === "") return null;
  if (isCalendarDate(v, tradingYears)) return v;
  const m = pageDay.exec(v);
  if (m && validDay(Number(m[3]), Number(m[2]), Number(m[1]), tradingYears)) return `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  throw new Problem(
    "invalid_period",
    `${label}: “${v.slice(0, 30)}” is not a day. Choose one in the date picker, or type it as day/month/year, e.g. 25/11/2026.`,
    { [label.toLowerCase()]: v.slice(0, 30) },
  );
}

/** The filter of a request: user, action, and from/to as whole store days. Throws `invalid_period` (400) for a bad day. */
export function auditQuery(query: (key: string) => string | undefined, timeZone: string): AuditQuery {
  const q = (k: string) => query(k)?.slice(0, 60).trim() || undefined;
  const from = dayParam("From", q("from"));
  const to = dayParam("To", q("to"));
  if (from && to && from > to) throw new Problem("invalid_period", "From is after To: choose a From day on or before the To day.", { from, to });
  const user = q("user");
  const action = q("action");
  return {
    find: {
      user,
      action,
      from: from ? startOfDay(from, timeZone) : undefined,
      to: to ? startOfDay(nextDay(to), timeZone) : undefined,
    },
    shown: { user, action, from: from ?? undefined, to: to ?? undefined },
  };
}
