import { expect, test } from "bun:test";
import { businessDate } from "../../domain/kernel/calendar.ts";
import { recentBusinessDays } from "./day-totals.ts";

const days = (iso: string, tz: string) => recentBusinessDays(new Date(iso), (d) => businessDate(d, tz));

test("yesterday and today in the store's time zone", () => {
  expect(days("2026-11-25T10:00:00Z", "UTC")).toEqual(["2026-11-24", "2026-11-25"]);
  expect(days("2026-11-25T20:30:00Z", "Pacific/Auckland")).toEqual(["2026-11-25", "2026-11-26"]);
});

test("half an hour into the day after clocks went forward, yesterday (23 hours long) is still looked at", () => {
  // Europe/Berlin went to summer time on 2026-03-29; 2026-03-30 00:30 local is 2026-03-29T22:30Z
  expect(days("2026-03-29T22:30:00Z", "Europe/Berlin")).toContain("2026-03-29");
  expect(days("2026-03-29T22:30:00Z", "Europe/Berlin")).toContain("2026-03-30");
});
