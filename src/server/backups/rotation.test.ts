// Rotation: the newest backup of each of the last N days, and of each of the last M weeks (Monday to Sunday, in the
// store's time zone); everything else goes, and the newest is always kept.
import { describe, expect, test } from "bun:test";
import { backupsToRemove } from "./rotation.ts";

const at = (iso: string) => ({ name: iso, at: new Date(iso) });
/** One backup a night at 02:30 UTC from the 1st of November 2026 (a Sunday) for `days` days, and a second one at noon on some. */
const nights = (days: number, extraAtNoon: number[] = []) => [
  ...Array.from({ length: days }, (_, i) => at(`2026-11-${String(i + 1).padStart(2, "0")}T02:30:00.000Z`)),
  ...extraAtNoon.map((d) => at(`2026-11-${String(d).padStart(2, "0")}T12:00:00.000Z`)),
];
const kept = (all: { name: string }[], removed: string[]) =>
  all
    .map((b) => b.name)
    .filter((n) => !removed.includes(n))
    .sort();

describe("given twenty nightly backups", () => {
  test("keeping 3 daily and 2 weekly keeps the last three nights and the newest of last week", () => {
    const all = nights(20);
    // 16 November 2026 is a Monday: this week's newest is the 20th, last week's (9th to 15th) the 15th
    expect(kept(all, backupsToRemove(all, { daily: 3, weekly: 2 }, "UTC"))).toEqual([
      "2026-11-15T02:30:00.000Z",
      "2026-11-18T02:30:00.000Z",
      "2026-11-19T02:30:00.000Z",
      "2026-11-20T02:30:00.000Z",
    ]);
  });

  test("two backups on one day count as one day: the newer is kept", () => {
    const all = nights(20, [20, 19]);
    expect(kept(all, backupsToRemove(all, { daily: 2, weekly: 0 }, "UTC"))).toEqual(["2026-11-19T12:00:00.000Z", "2026-11-20T12:00:00.000Z"]);
  });

  test("the days and weeks are the store's: 03:00 UTC on Monday is still Sunday in New York", () => {
    const all = [at("2026-11-16T03:00:00.000Z"), at("2026-11-17T03:00:00.000Z"), at("2026-11-10T03:00:00.000Z")];
    // in New York the first is Sunday the 15th, so it is last week's newest; the 10th is the week before's
    expect(kept(all, backupsToRemove(all, { daily: 1, weekly: 2 }, "America/New_York"))).toEqual(["2026-11-16T03:00:00.000Z", "2026-11-17T03:00:00.000Z"]);
    expect(kept(all, backupsToRemove(all, { daily: 1, weekly: 2 }, "UTC"))).toEqual(["2026-11-10T03:00:00.000Z", "2026-11-17T03:00:00.000Z"]);
  });

  test("the newest is kept even when nothing is asked for; nothing at all is nothing to remove", () => {
    const all = nights(5);
    expect(kept(all, backupsToRemove(all, { daily: 0, weekly: 0 }, "UTC"))).toEqual(["2026-11-05T02:30:00.000Z"]);
    expect(backupsToRemove([], { daily: 7, weekly: 4 }, "UTC")).toEqual([]);
  });
});
