// The period a report covers, as the shop's business days (the store's calendar days in its time zone, as the sales
// history and X/Z reports date a sale), and the period before it of the same length to compare with.
import { businessDate, isCalendarDate, nextDay, tradingYears } from "../kernel/calendar.ts";
import { Problem } from "../kernel/problem.ts";

export const periodChoices = ["today", "yesterday", "week", "month", "custom"] as const;
export type PeriodChoice = (typeof periodChoices)[number];

/** Whole business days, both ends included: from "2026-11-01" to "2026-11-30". */
export type Period = { choice: PeriodChoice; from: string; to: string; days: number };

/** The longest period a report reads: a year, a leap day included. */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 86_400_000;
const utcOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Calendar days between two days: 0 for the same day. */
export const daysBetween = (from: string, to: string): number => Math.round((utcOf(to) - utcOf(from)) / DAY_MS);
/** The day `n` days after (or before, when negative) `day`. */
export const addDays = (day: string, n: number): string => dayOf(utcOf(day) + n * DAY_MS);

/** Monday of the week `day` falls in (the shop's week runs Monday to Sunday). */
export function mondayOf(day: string): string {
  const weekday = (new Date(utcOf(day)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -weekday);
}

function readDay(label: string, raw: string | undefined): string {
  const v = (raw ?? "").trim();
  if (v === "") throw new Problem("invalid_period", `${label} is missing: choose a day in the date picker.`, { [label.toLowerCase()]: "" });
  if (!isCalendarDate(v, tradingYears)) {
    throw new Problem("invalid_period", `${label}: “${v.slice(0, 30)}” is not a day. Choose one in the date picker (a day between 2000 and 2199).`, {
      [label.toLowerCase()]: v.slice(0, 30),
    });
  }
  return v;
}

/**
 * The period a report asks for: a choice relative to `now` on the store's calendar, or from–to (custom, also when only
 * from and to are given). Refused with `invalid_period`: an unknown choice, a day that is no day, From after To, more
 * than a year.
 */
export function readPeriod(ask: { period?: string | undefined; from?: string | undefined; to?: string | undefined }, now: Date, timeZone: string): Period {
  const today = businessDate(now, timeZone);
  const choice = (ask.period ?? "").trim() || (ask.from || ask.to ? "custom" : "today");
  const make = (c: PeriodChoice, from: string, to: string): Period => ({ choice: c, from, to, days: daysBetween(from, to) + 1 });
  switch (choice) {
    case "today":
      return make("today", today, today);
    case "yesterday": {
      const y = addDays(today, -1);
      return make("yesterday", y, y);
    }
    case "week":
      return make("week", mondayOf(today), today);
    case "month":
      return make("month", `${today.slice(0, 8)}01`, today);
    case "custom": {
      const from = readDay("From", ask.from);
      const to = readDay("To", ask.to);
      if (from > to) throw new Problem("invalid_period", "From is after To: choose a From day on or before the To day.", { from, to });
      const days = daysBetween(from, to) + 1;
      if (days > MAX_REPORT_DAYS) {
        throw new Problem("invalid_period", `That is ${days} days; a report covers at most ${MAX_REPORT_DAYS}. Choose a shorter period.`, { from, to, days });
      }
      return make("custom", from, to);
    }
    default:
      throw new Problem("invalid_period", "Choose a period: today, yesterday, this week, this month, or From and To days.", {
        period: choice.slice(0, 30),
      });
  }
}

/** The period of the same length just before: this week so far (Mon–Wed) beside Fri–Sun before it. */
export function previousPeriod(p: Period): Period {
  const to = addDays(p.from, -1);
  return { choice: "custom", from: addDays(to, -(p.days - 1)), to, days: p.days };
}

/** Every business day of the period, in order (for a chart by day). */
export function daysOf(p: Pick<Period, "from" | "to">): string[] {
  const out: string[] = [];
  for (let d = p.from; d <= p.to; d = nextDay(d)) out.push(d);
  return out;
}

/**
 * Days from–to as whole weeks (Monday to Sunday, named by their Mondays, first to last) and the days either side of
 * them, so a long period reads a row a week where it can. No whole week inside: every day on its own.
 */
export function inWeeks(from: string, to: string): { weeks: { first: string; last: string } | null; days: { from: string; to: string }[] } {
  const monday = mondayOf(from);
  const first = monday === from ? from : addDays(monday, 7);
  const last = mondayOf(addDays(to, 1)) === addDays(to, 1) ? addDays(to, -6) : addDays(mondayOf(to), -7);
  if (first > last) return { weeks: null, days: [{ from, to }] };
  const days: { from: string; to: string }[] = [];
  if (from < first) days.push({ from, to: addDays(first, -1) });
  if (addDays(last, 6) < to) days.push({ from: addDays(last, 7), to });
  return { weeks: { first, last }, days };
}
