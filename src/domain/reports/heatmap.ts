// The hour of the week as the shop's clock reads it: sums per quarter hour of UTC (as the database groups instants)
// put into weekday × hour cells on the store's clock, so a day the clocks change (23 or 25 hours) lands right, and a
// time zone half or three quarters of an hour off UTC too.
import { addSums, noSums, type Sums } from "./figures.ts";

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** One cell: weekday 0 (Monday) … 6 (Sunday), hour 0 … 23 on the store's clock. */
export type HourCell = { weekday: number; hour: number; sums: Sums };

const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** The weekday and hour the store's clock reads at an instant. */
export function wallHour(at: Date, timeZone: string): { weekday: number; hour: number } {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", hourCycle: "h23" });
    formats.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const weekday = WEEKDAY_INDEX[parts.find((p) => p.type === "weekday")!.value]!;
  return { weekday, hour: Number(parts.find((p) => p.type === "hour")!.value) % 24 };
}

/**
 * The 168 cells of a week (Monday 0:00 first), each the sum of the quarter hours that fall in it on the store's clock.
 * `slot` is the instant a quarter hour of UTC begins ("2026-11-25T09:15:00Z"); every time zone's offset is a whole
 * number of quarter hours, so a quarter hour lies in one hour of the store's clock.
 */
export function hourOfWeek(slots: readonly { slot: string; sums: Sums }[], timeZone: string): HourCell[] {
  const cells: HourCell[] = [];
  for (let weekday = 0; weekday < 7; weekday++) for (let hour = 0; hour < 24; hour++) cells.push({ weekday, hour, sums: noSums });
  for (const s of slots) {
    const { weekday, hour } = wallHour(new Date(s.slot), timeZone);
    const cell = cells[weekday * 24 + hour]!;
    cell.sums = addSums(cell.sums, s.sums);
  }
  return cells;
}

/** How dark a cell is drawn: 0 (nothing) to 5 (the busiest), by its share of the busiest cell. */
export function intensity(value: number, max: number): 0 | 1 | 2 | 3 | 4 | 5 {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(5, Math.max(1, Math.ceil((value * 5) / max))) as 1 | 2 | 3 | 4 | 5;
}
