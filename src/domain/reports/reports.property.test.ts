// Property tests of the reports' pure sums: the period before is as long and ends the day before; figures add up;
// the hour of the week keeps every quarter hour's sums, in the hour the store's clock reads, in any time zone.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { businessDate } from "../kernel/calendar.ts";
import { figuresOf, noSums, type Sums } from "./figures.ts";
import { hourOfWeek, intensity, wallHour } from "./heatmap.ts";
import { addDays, daysBetween, daysOf, inWeeks, previousPeriod, readPeriod } from "./period.ts";

const zones = ["UTC", "Europe/Madrid", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham"];
const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays("2024-01-01", n));
const sums: fc.Arbitrary<Sums> = fc.record({
  sold: fc.integer({ min: 0, max: 1_000_000 }),
  discounts: fc.integer({ min: 0, max: 100_000 }),
  salesTax: fc.integer({ min: 0, max: 200_000 }),
  refunded: fc.integer({ min: 0, max: 100_000 }),
  refundTax: fc.integer({ min: 0, max: 20_000 }),
  itemsMilli: fc.integer({ min: 0, max: 1_000_000 }),
  baskets: fc.integer({ min: 0, max: 1000 }),
  costedNet: fc.integer({ min: 0, max: 500_000 }),
  cost: fc.integer({ min: 0, max: 500_000 }),
  costedLines: fc.integer({ min: 0, max: 100 }),
});

describe("periods", () => {
  test("the period before is as long and ends the day before", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 365 }), (from, extra) => {
        const to = addDays(from, extra);
        const p = readPeriod({ from, to }, new Date("2026-11-25T10:00:00Z"), "UTC");
        const before = previousPeriod(p);
        expect(p.days).toBe(extra + 1);
        expect(before.days).toBe(p.days);
        expect(daysBetween(before.from, before.to) + 1).toBe(p.days);
        expect(addDays(before.to, 1)).toBe(p.from);
      }),
    );
  });

  test("whole weeks and the days either side cover the period, each day once", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 365 }), (from, extra) => {
        const to = addDays(from, extra);
        const split = inWeeks(from, to);
        const covered = split.days.flatMap((d) => daysOf(d));
        if (split.weeks) {
          for (let w = split.weeks.first; w <= split.weeks.last; w = addDays(w, 7)) {
            expect(new Date(`${w}T12:00:00Z`).getUTCDay()).toBe(1);
            covered.push(...daysOf({ from: w, to: addDays(w, 6) }));
          }
        }
        expect(covered.sort()).toEqual(daysOf({ from, to }));
        expect(split.days.length).toBeLessThanOrEqual(2);
      }),
    );
  });

  test("today, this week and this month are the store's days, also around midnight in far time zones", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("2026-01-01"), max: Date.parse("2027-12-31") }), fc.constantFrom(...zones), (ms, tz) => {
        const now = new Date(ms);
        const today = businessDate(now, tz);
        expect(readPeriod({ period: "today" }, now, tz)).toMatchObject({ from: today, to: today, days: 1 });
        const week = readPeriod({ period: "week" }, now, tz);
        expect(new Date(`${week.from}T12:00:00Z`).getUTCDay()).toBe(1);
        expect(week.days).toBeLessThanOrEqual(7);
        expect(week.to).toBe(today);
        expect(readPeriod({ period: "month" }, now, tz).from).toBe(`${today.slice(0, 7)}-01`);
        expect(readPeriod({ period: "yesterday" }, now, tz).to).toBe(addDays(today, -1));
      }),
    );
  });
});

describe("figures", () => {
  test("gross = discounts + refunds + tax + net; the average basket is the takings per basket, rounded half-up", () => {
    fc.assert(
      fc.property(sums, (s) => {
        const f = figuresOf(s);
        expect(f.discounts + f.refunds + f.tax + f.net).toBe(f.gross);
        if (s.baskets === 0) expect(f.averageBasket).toBeNull();
        else expect(Math.abs(f.averageBasket! * s.baskets - (s.sold - s.discounts))).toBeLessThanOrEqual(s.baskets / 2);
        expect(f.margin === null).toBe(s.costedLines === 0);
      }),
    );
  });
});

describe("the hour of the week", () => {
  const slot = fc.integer({ min: Date.parse("2026-01-01") / 900_000, max: Date.parse("2027-12-31") / 900_000 }).map((q) => new Date(q * 900_000).toISOString());
  test("every quarter hour's sums land once, in the hour the store's clock reads all through it", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ slot, sums }), { maxLength: 40 }), fc.constantFrom(...zones), (slots, tz) => {
        const cells = hourOfWeek(slots, tz);
        expect(cells).toHaveLength(168);
        const total = (pick: (s: Sums) => number, list: Sums[]) => list.reduce((n, s) => n + pick(s), 0);
        expect(
          total(
            (s) => s.sold,
            cells.map((c) => c.sums),
          ),
        ).toBe(
          total(
            (s) => s.sold,
            slots.map((s) => s.sums),
          ),
        );
        expect(
          total(
            (s) => s.baskets,
            cells.map((c) => c.sums),
          ),
        ).toBe(
          total(
            (s) => s.baskets,
            slots.map((s) => s.sums),
          ),
        );
        for (const s of slots) {
          const start = wallHour(new Date(s.slot), tz);
          // the quarter hour's last second reads the same weekday and hour (offsets are whole quarter hours)
          expect(wallHour(new Date(Date.parse(s.slot) + 899_000), tz)).toEqual(start);
        }
        expect(
          cells.every(
            (c) =>
              (c.sums === noSums) ===
              !slots.some((s) => JSON.stringify(wallHour(new Date(s.slot), tz)) === JSON.stringify({ weekday: c.weekday, hour: c.hour })),
          ),
        ).toBe(true);
      }),
    );
  });

  test("the clocks going back: 02:30 twice on the same Sunday in Madrid, both in the 02:00 cell", () => {
    const cells = hourOfWeek(
      [
        { slot: "2026-10-25T00:30:00Z", sums: { ...noSums, sold: 100 } },
        { slot: "2026-10-25T01:30:00Z", sums: { ...noSums, sold: 200 } },
      ],
      "Europe/Madrid",
    );
    expect(cells[6 * 24 + 2]!.sums.sold).toBe(300);
  });

  test("intensity: nothing is 0, the busiest is 5, more is never lighter", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (a, b, max) => {
        const [lo, hi] = [Math.min(a, b, max), Math.min(Math.max(a, b), max)];
        expect(intensity(lo, max)).toBeLessThanOrEqual(intensity(hi, max));
        expect(intensity(max, max)).toBe(5);
        expect(intensity(0, max)).toBe(0);
      }),
    );
  });
});
