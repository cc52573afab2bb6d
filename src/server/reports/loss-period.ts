// The period of the loss-prevention and stock-movement reports: from and to as whole store days (the audit page's
// way of writing days), 30 days up to today unless asked, never longer than a year.
import { businessDate, nextDay, startOfDay } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { dayParam } from "../audit/filter.ts";

/** Days as the page shows them, and the instants they cover: [start, end) in UTC. */
export type ReportPeriod = { from: string; to: string; start: string; end: string; days: number };

export const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

const dayNumber = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

export function addDays(day: string, n: number): string {
  return new Date((dayNumber(day) + n) * 86_400_000).toISOString().slice(0, 10);
}

/** The period of a request; `invalid_period` (400) with a sentence for a day that is none, a reversed or too long one. */
export function readPeriod(query: (key: string) => string | undefined, now: Date, timeZone: string): ReportPeriod {
  const today = businessDate(now, timeZone);
  const to = dayParam("To", query("to")?.slice(0, 60)) ?? today;
  const from = dayParam("From", query("from")?.slice(0, 60)) ?? addDays(to, 1 - DEFAULT_DAYS);
  if (from > to) throw new Problem("invalid_period", "From is after To: choose a From day on or before the To day.", { from, to });
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days > MAX_DAYS) throw new Problem("invalid_period", `Choose a period of at most ${MAX_DAYS} days; this one has ${days}.`, { from, to });
  return { from, to, start: startOfDay(from, timeZone), end: startOfDay(nextDay(to), timeZone), days };
}
