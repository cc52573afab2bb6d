// The audit page's filter from its query: days as the date inputs send them (2026-11-25) or as the pages write them
// (25/11/2026), meaning the store's calendar days in its time zone, as every time on the page is shown.
import { isCalendarDate, nextDay, tradingYears, validDay } from "../../domain/kernel/calendar.ts";
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

/** The offset of `timeZone` from UTC at an instant, in milliseconds (Europe/Madrid in winter: +3,600,000). */
function offsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - Math.floor(at / 1000) * 1000;
}

/** The instant a store's calendar day begins: "2026-11-25" in Europe/Madrid is 2026-11-24T23:00:00.000Z. */
export function startOfDay(isoDay: string, timeZone: string): string {
  const [y, m, d] = isoDay.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - offsetAt(wall, timeZone);
  // a day on which the clocks change: the offset that holds at the day's start, not at midnight UTC
  return new Date(wall - offsetAt(first, timeZone)).toISOString();
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
