import { describe, expect, test } from "bun:test";
import { isCalendarDate, isInstant, nextDay, startOfDay, tradingYears, wallClock } from "./calendar.ts";

describe("dates people type are checked against the calendar", () => {
  test("days that exist, and days that do not", () => {
    for (const d of ["2026-11-25", "2028-02-29", "2000-02-29", "2026-12-31"]) expect({ d, ok: isCalendarDate(d) }).toEqual({ d, ok: true });
    for (const d of ["2026-02-30", "2026-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-11-25", "2026-11-25 "]) {
      expect({ d, ok: isCalendarDate(d) }).toEqual({ d, ok: false });
    }
  });
  test("sales and reports are dated 2000 to 2199; a period may name any year", () => {
    expect(isCalendarDate("1999-12-31", tradingYears)).toBe(false);
    expect(isCalendarDate("9999-12-31")).toBe(true);
    expect(isInstant("2200-01-01T00:00:00Z", tradingYears)).toBe(false);
  });
  test("instants with a zone", () => {
    expect(isInstant("2026-11-25T09:00:00Z")).toBe(true);
    expect(isInstant("2026-11-25T09:00Z")).toBe(true);
    expect(isInstant("2026-11-25T09:00:00.123+01:00")).toBe(true);
    expect(isInstant("2026-02-30T09:00:00Z")).toBe(false);
    expect(isInstant("2026-11-25T24:00:00Z")).toBe(false);
    expect(isInstant("2026-11-25T09:00:00")).toBe(false);
  });
  test("the next day crosses months and years", () => {
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });
});

describe("the instant a store's clock reads a time", () => {
  test("an ordinary day, and across midnight", () => {
    expect(wallClock("2026-11-25", 14 * 60 + 5, "Europe/Madrid")).toBe("2026-11-25T13:05:00.000Z");
    expect(wallClock("2026-11-25", -10, "Europe/Madrid")).toBe("2026-11-24T22:50:00.000Z");
    expect(wallClock("2026-11-25", 0, "UTC")).toBe("2026-11-25T00:00:00.000Z");
  });

  test("clocks going forward: a time after the jump, and one the clocks skipped (the moment they jumped)", () => {
    expect(wallClock("2026-03-29", 3 * 60 + 5, "Europe/Madrid")).toBe("2026-03-29T01:05:00.000Z");
    expect(wallClock("2026-03-29", 2 * 60 + 30, "Europe/Madrid")).toBe("2026-03-29T01:00:00.000Z");
    expect(wallClock("2026-03-08", 2 * 60 + 30, "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    expect(wallClock("2026-03-08", 1 * 60 + 30, "America/New_York")).toBe("2026-03-08T06:30:00.000Z");
  });

  test("clocks going back: the time that happens twice, the first or the second as asked", () => {
    expect(wallClock("2026-10-25", 2 * 60 + 30, "Europe/Madrid", "earliest")).toBe("2026-10-25T00:30:00.000Z");
    expect(wallClock("2026-10-25", 2 * 60 + 30, "Europe/Madrid", "latest")).toBe("2026-10-25T01:30:00.000Z");
    expect(startOfDay("2026-10-25", "Europe/Madrid")).toBe("2026-10-24T22:00:00.000Z");
    expect(startOfDay("2026-03-29", "Europe/Madrid")).toBe("2026-03-28T23:00:00.000Z");
  });
});
