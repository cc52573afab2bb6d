// The period a head-office report covers: business days, both ends included, named (today, yesterday, this week, this
// month, last 30 days, this year) or chosen (from–to), with the period of the same length just before it beside it.
import { isCalendarDate } from "../../../domain/kernel/calendar.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import { shiftDay } from "../stores/overview.ts";

export type ReportPeriod = { from: string; to: string; name: PeriodName | "custom" };
export const PERIOD_NAMES = ["today", "yesterday", "week", "month", "last30", "year"] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];
/** Longest period a report covers: two years and a day, so a year beside the year before fits. */
export const MAX_PERIOD_DAYS = 731;

const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
const usable = (s: string) => isCalendarDate(s) && s >= "2000-01-01" && s <= "2199-12-31";

/** The Monday on or before a day. */
function weekStart(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday
  return shiftDay(day, -((dow + 6) % 7));
}

/** A named period ending today (the chain's business day). */
export function namedPeriod(name: PeriodName, today: string): ReportPeriod {
  switch (name) {
    case "today":
      return { from: today, to: today, name };
    case "yesterday":
      return { from: shiftDay(today, -1), to: shiftDay(today, -1), name };
    case "week":
      return { from: weekStart(today), to: today, name };
    case "month":
      return { from: `${today.slice(0, 7)}-01`, to: today, name };
    case "last30":
      return { from: shiftDay(today, -29), to: today, name };
    case "year":
      return { from: `${today.slice(0, 4)}-01-01`, to: today, name };
  }
}

/**
 * The period a request asks for: `period=<name>`, or `from` and `to` (YYYY-MM-DD), or this month when neither. Every
 * other answer is a 400 invalid_period with a sentence saying what to choose.
 */
export function periodOf(q: { period?: string | undefined; from?: string | undefined; to?: string | undefined }, today: string): ReportPeriod {
  const { period, from, to } = q;
  if (period && period !== "custom") {
    if (!(PERIOD_NAMES as readonly string[]).includes(period)) {
      throw new Problem(
        "invalid_period",
        `Choose the period as one of ${PERIOD_NAMES.join(", ")}, or give from and to dates: "${period.slice(0, 40)}" is not one.`,
      );
    }
    if (from || to) throw new Problem("invalid_period", "Give either a named period or from and to dates, not both.");
    return namedPeriod(period as PeriodName, today);
  }
  if (!from && !to) return namedPeriod("month", today);
  if (!from || !to) throw new Problem("invalid_period", "Give both ends of the period: from and to, as year-month-day.");
  for (const [field, d] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (!usable(d)) {
      throw new Problem("invalid_period", `Write ${field} as a date year-month-day between 2000 and 2199, like ${today}: "${d.slice(0, 40)}" is not one.`, {
        field,
      });
    }
  }
  if (from > to) throw new Problem("invalid_period", `The period starts (${from}) after it ends (${to}): swap the two dates.`);
  if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) {
    throw new Problem("invalid_period", `A report covers at most ${MAX_PERIOD_DAYS} days; choose a shorter period than ${from} to ${to}.`);
  }
  return { from, to, name: "custom" };
}

/** The period of the same length just before (for "this month so far", the same days of the month before). */
export function previousPeriod(p: ReportPeriod): { from: string; to: string } {
  const days = daysBetween(p.from, p.to) + 1;
  return { from: shiftDay(p.from, -days), to: shiftDay(p.from, -1) };
}

/**
 * How a period splits between the monthly rollup and the daily one: whole months read a row per store and product
 * each; the days before the first whole month and after the last read the daily rows.
 */
export function splitMonths(p: { from: string; to: string }): { months: [string, string] | null; days: [string, string][] } {
  const firstWhole = p.from.endsWith("-01") ? p.from : nextMonth(p.from);
  const after = shiftDay(p.to, 1);
  const lastWholeEnd = after.endsWith("-01") ? after : `${p.to.slice(0, 7)}-01`;
  if (firstWhole >= lastWholeEnd) return { months: null, days: [[p.from, p.to]] };
  const days: [string, string][] = [];
  if (p.from < firstWhole) days.push([p.from, shiftDay(firstWhole, -1)]);
  if (lastWholeEnd <= p.to) days.push([lastWholeEnd, p.to]);
  return { months: [firstWhole, `${shiftDay(lastWholeEnd, -1).slice(0, 7)}-01`], days };
}

function nextMonth(day: string): string {
  const [y, m] = day.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}
