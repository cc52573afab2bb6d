// Dates and instants as people and programs type them, checked against the calendar: 2026-02-30 is no date.

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoInstant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** Days in each month of a common year; February gains one in leap years. */
const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Which years count: any a date column takes, unless narrower (documents of sales: 2000–2199). */
export type Years = { from: number; to: number };
const anyYear: Years = { from: 1, to: 9999 };
/** The years a sale, a shift or a report may be dated in. */
export const tradingYears: Years = { from: 2000, to: 2199 };

/** A real day of the calendar, within `years`. */
export function validDay(y: number, m: number, d: number, years: Years = anyYear): boolean {
  if (y < years.from || y > years.to || m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= monthDays[m - 1]! + (leap ? 1 : 0);
}

/** "2026-11-25": a date that exists. */
export function isCalendarDate(s: string, years: Years = anyYear): boolean {
  const m = isoDay.exec(s);
  return !!m && validDay(Number(m[1]), Number(m[2]), Number(m[3]), years);
}

/** "2026-11-25T09:00:00Z" or with an offset: an instant whose date and time of day exist (seconds optional). */
export function isInstant(s: string, years: Years = anyYear): boolean {
  const m = isoInstant.exec(s);
  if (!m || !validDay(Number(m[1]), Number(m[2]), Number(m[3]), years)) return false;
  const [h, min, sec] = [Number(m[4]), Number(m[5]), Number(m[6] ?? "0")];
  const offsetOk = m[8] === "Z" || (Number(m[9]) < 24 && Number(m[10]) < 60);
  return h < 24 && min < 60 && sec < 60 && offsetOk;
}

/** The day after a calendar date, "2026-02-28" → "2026-03-01". */
export function nextDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The shop's calendar day of an instant, in the store's time zone: YYYY-MM-DD. */
export function businessDate(at: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, f);
  }
  return f.format(at);
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
  return wallClock(isoDay, 0, timeZone);
}

/**
 * The instant a store's clock reads `minutes` after midnight on `isoDay` ("2026-11-25", 14 × 60 + 5 for 14:05). On the
 * night the clocks go back a wall time happens twice: `pick` says which. A time the clocks skip (going forward) never
 * happens: the answer is the moment they jumped.
 */
export function wallClock(isoDay: string, minutes: number, timeZone: string, pick: "earliest" | "latest" = "earliest"): string {
  const [y, m, d] = isoDay.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  // every offset in force within a day of that wall time: any change that day lies between them
  const offsets = [...new Set([offsetAt(wall - 86_400_000, timeZone), offsetAt(wall, timeZone), offsetAt(wall + 86_400_000, timeZone)])];
  const candidates = offsets.map((o) => wall - o).sort((a, b) => a - b);
  const fits = candidates.filter((t) => offsetAt(t, timeZone) === wall - t);
  if (fits.length > 0) return new Date(pick === "earliest" ? fits[0]! : fits.at(-1)!).toISOString();
  // skipped: find the jump between the earliest and latest candidates (to the second)
  let lo = candidates[0]!;
  let hi = candidates.at(-1)!;
  const before = offsetAt(lo, timeZone);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi).toISOString();
}
