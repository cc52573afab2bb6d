// The stock count, as a specification: given a count opened over a scope, when items are counted (from any number of
// devices), a line set, the count reviewed and approved or cancelled, then these events, variances and values (or this
// refusal).
import { describe, expect, test } from "bun:test";
import { Problem } from "../kernel/problem.ts";
import {
  type CountCommand,
  type CountEvent,
  type CountedProduct,
  type CountScope,
  type CountState,
  decide,
  defaultUncounted,
  evolve,
  MAX_COUNT_MILLI,
  type ReviewInput,
  reviewCount,
  run,
  tally,
} from "./count.ts";

const at = "2026-11-25T10:00:00.000Z";
const milk: CountedProduct = { productId: 1, name: "Fresh Milk 1 L", weighed: false, categoryId: 1, location: "Chiller 1" };
const bread: CountedProduct = { productId: 2, name: "Sourdough Bread", weighed: false, categoryId: 2, location: "Aisle 3" };
const apples: CountedProduct = { productId: 5, name: "Apples (kg)", weighed: true, categoryId: 4, location: "Aisle 1" };

const dairy: CountScope = { kind: "category", categoryId: 1, name: "Dairy" };

/** The count after these commands, from nothing. */
function given(...commands: CountCommand[]): CountState {
  return commands.reduce<CountState>((s, c) => run(s, c).state, { status: "none" });
}
const opened = (scope: CountScope = { kind: "all" }) => given({ type: "OpenCount", at, countId: "c1", scope, userId: 7 });
/** A scan of `qtyMilli` onto a line that holds `countedMilli` so far. */
const scan = (product: CountedProduct, qtyMilli = 1000, countedMilli = 0): CountCommand => ({ type: "CountItem", at, product, qtyMilli, countedMilli });

function refusal(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof Problem) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a refusal, but it was accepted");
}

const line = (productId: number, countedMilli: number | null, expectedMilli: number, cost: number | null): ReviewInput => ({
  productId,
  countedMilli,
  expectedMilli,
  cost,
});

describe("opening a count", () => {
  test("given nothing, when a whole-store count is opened, then it is open over the whole store, uncounted meaning zero", () => {
    const [e] = decide({ type: "OpenCount", at, countId: "c1", scope: { kind: "all" }, userId: 7 }, { status: "none" });
    expect(e).toEqual({ type: "CountOpened", at, countId: "c1", scope: { kind: "all" }, userId: 7 });
    expect(evolve({ status: "none" }, e!)).toEqual({ status: "open", countId: "c1", scope: { kind: "all" }, openedAt: at });
    expect(defaultUncounted({ kind: "all" })).toBe("zero");
  });

  test("a partial count (a category, a location) leaves what it did not count as the books say, unless told otherwise", () => {
    expect(defaultUncounted(dairy)).toBe("leave");
    expect(defaultUncounted({ kind: "location", location: "Aisle 3" })).toBe("leave");
  });

  test("a category or location must be named", () => {
    const open = (scope: CountScope) => () => decide({ type: "OpenCount", at, countId: "c1", scope, userId: 7 }, { status: "none" });
    expect(refusal(open({ kind: "category", categoryId: 0, name: "" })).code).toBe("invalid_input");
    expect(refusal(open({ kind: "location", location: "  " })).message).toBe("Choose the shelf location to count from the list.");
  });
});

describe("counting", () => {
  test("given an open count, when milk is scanned, then one more milk is counted", () => {
    expect(decide(scan(milk), opened())).toEqual([{ type: "ItemCounted", at, productId: 1, qtyMilli: 1000 }]);
  });

  test("two devices scanning the same product in turns: every scan is kept, the line is their sum", () => {
    const deviceA = [scan(milk), scan(milk, 12_000), scan(milk)];
    const deviceB = [scan(milk), scan(bread), scan(milk, 6000)];
    const interleaved = [deviceA[0]!, deviceB[0]!, deviceB[1]!, deviceA[1]!, deviceB[2]!, deviceA[2]!];
    const state = opened();
    const lines = interleaved.flatMap((c) => decide(c, state)).reduce<Record<number, number>>(tally, {});
    expect(lines).toEqual({ 1: 21_000, 2: 1000 });
  });

  test("a line set to a typed number replaces what was scanned; later scans add to it", () => {
    const state = opened();
    const events: CountEvent[] = [
      ...decide(scan(milk, 5000), state),
      ...decide({ type: "SetLine", at, product: milk, qtyMilli: 3000 }, state),
      ...decide(scan(milk), state),
    ];
    expect(events.reduce<Record<number, number>>(tally, {})).toEqual({ 1: 4000 });
  });

  test("an empty shelf can be typed as 0, but a scan counts at least one", () => {
    expect(decide({ type: "SetLine", at, product: milk, qtyMilli: 0 }, opened())).toEqual([{ type: "LineSet", at, productId: 1, qtyMilli: 0 }]);
    expect(refusal(() => decide(scan(milk, 0), opened()))).toEqual({
      code: "invalid_quantity",
      message: "Count at least one of Fresh Milk 1 L, and fewer than a million.",
    });
    expect(refusal(() => decide({ type: "SetLine", at, product: milk, qtyMilli: -1000 }, opened())).code).toBe("invalid_quantity");
  });

  test("a row of an imported list adds like a scan; 0 says the product was counted and none found", () => {
    const state = opened();
    const events = [
      ...decide(scan(milk, 2000), state),
      ...decide({ type: "CountFromList", at, product: milk, qtyMilli: 3000, countedMilli: 2000 }, state),
      ...decide({ type: "CountFromList", at, product: bread, qtyMilli: 0, countedMilli: 0 }, state),
    ];
    expect(events.reduce<Record<number, number>>(tally, {})).toEqual({ 1: 5000, 2: 0 });
  });

  test("scans and list rows add up to at most a million on one line; each alone within it is not enough", () => {
    const full = MAX_COUNT_MILLI - 1000;
    expect(decide(scan(milk, 1000, full), opened())).toEqual([{ type: "ItemCounted", at, productId: 1, qtyMilli: 1000 }]);
    expect(refusal(() => decide(scan(milk, 2000, full), opened()))).toEqual({
      code: "quantity_too_large",
      message: "This would take the line of Fresh Milk 1 L past a million, more than any shelf holds; type the line's number on the sheet instead.",
    });
    expect(refusal(() => decide(scan(milk, MAX_COUNT_MILLI, MAX_COUNT_MILLI), opened())).code).toBe("quantity_too_large");
    expect(refusal(() => decide({ type: "CountFromList", at, product: milk, qtyMilli: 1000, countedMilli: MAX_COUNT_MILLI }, opened())).code).toBe(
      "quantity_too_large",
    );
    // a typed number replaces the line: the most one line takes, whatever was scanned before
    expect(decide({ type: "SetLine", at, product: milk, qtyMilli: MAX_COUNT_MILLI }, opened())).toHaveLength(1);
  });

  test("units are whole; weighed products are counted in kilos to the gram", () => {
    expect(refusal(() => decide(scan(milk, 1500), opened()))).toEqual({ code: "invalid_quantity", message: "Fresh Milk 1 L is counted in whole units." });
    expect(decide(scan(apples, 2345), opened())).toEqual([{ type: "ItemCounted", at, productId: 5, qtyMilli: 2345 }]);
  });

  test("a product outside the scope is refused with a sentence naming the scope", () => {
    expect(refusal(() => decide(scan(bread), opened(dairy)))).toEqual({
      code: "not_in_count",
      message: "Sourdough Bread is not in this count (category Dairy); put it back where it belongs, or count it in another count.",
    });
    expect(decide(scan(milk), opened(dairy))).toHaveLength(1);
    const aisle = opened({ kind: "location", location: "Aisle 3" });
    expect(decide(scan(bread), aisle)).toHaveLength(1);
    expect(refusal(() => decide(scan(apples, 1000), aisle)).code).toBe("not_in_count");
  });

  test("given an approved or cancelled count, counting on it is refused as a conflict", () => {
    const cancelled = given({ type: "OpenCount", at, countId: "c1", scope: { kind: "all" }, userId: 7 }, { type: "CancelCount", at, userId: 7 });
    expect(cancelled.status).toBe("cancelled");
    expect(refusal(() => decide(scan(milk), cancelled))).toEqual({
      code: "stock_count_closed",
      message: "This count was cancelled already; nothing more can be counted or changed on it. Start a new count.",
    });
    expect(refusal(() => decide({ type: "CancelCount", at, userId: 7 }, cancelled)).code).toBe("stock_count_closed");
  });
});

describe("the review", () => {
  test("variance is counted − expected, valued at cost; a product without a cost is valued 0 and flagged", () => {
    const review = reviewCount([line(1, 48_000, 50_000, 80), line(2, 21_000, 20_000, 150), line(3, 3000, 5000, null), line(4, 7000, 7000, 10)], "leave");
    expect(review.lines.map((l) => [l.productId, l.varianceMilli, l.value, l.noCost])).toEqual([
      [1, -2000, -160, false],
      [2, 1000, 150, false],
      [3, -2000, 0, true],
      [4, 0, 0, false],
    ]);
    expect(review.totals).toEqual({ gain: 150, loss: -160, net: -10, value: 310, noCost: 1, counted: 4, notCounted: 0 });
  });

  test("weighed products are valued to the minor unit, halves away from zero", () => {
    // 0.125 kg missing at 2.99 a kg: 0.37375 → 0.37
    expect(reviewCount([line(5, 1875, 2000, 299)], "leave").lines[0]).toMatchObject({ varianceMilli: -125, value: -37 });
  });

  test("products nobody counted: under 'zero' all the books say is missing; under 'leave' nothing changes", () => {
    const lines = [line(1, 10_000, 10_000, 80), line(2, null, 20_000, 150)];
    expect(reviewCount(lines, "zero").lines[1]).toMatchObject({ varianceMilli: -20_000, value: -3000 });
    expect(reviewCount(lines, "leave").lines[1]).toMatchObject({ varianceMilli: 0, value: 0 });
    expect(reviewCount(lines, "leave").totals).toMatchObject({ counted: 1, notCounted: 1 });
  });

  test("a sale while counting: the expected is what the books said when the product was counted, so the variance is the shelf's alone", () => {
    // 50 on the books at the start; 2 sold before the milk was counted; 48 counted: the books then said 48
    const review = reviewCount([line(1, 48_000, 50_000 - 2000, 80)], "leave");
    expect(review.lines[0]!.varianceMilli).toBe(0);
  });
});

describe("approving", () => {
  const approve = (review: ReturnType<typeof reviewCount>, approver: { id: number } | null = null): CountCommand => ({
    type: "ApproveCount",
    at,
    userId: 7,
    review,
    approvalOver: 5000,
    approver,
  });

  test("given a reviewed count within the limit, when a supervisor approves, then one movement per variance", () => {
    const review = reviewCount([line(1, 48_000, 50_000, 80), line(2, 20_000, 20_000, 150), line(3, null, 4000, 10)], "zero");
    const { state, events } = run(opened(), approve(review));
    expect(events).toEqual([
      {
        type: "CountApproved",
        at,
        userId: 7,
        approverId: null,
        uncounted: "zero",
        movements: [
          { productId: 1, qtyMilli: -2000 },
          { productId: 3, qtyMilli: -4000 },
        ],
        value: 200,
      },
    ]);
    expect(state.status).toBe("approved");
  });

  test("differences worth more than the shop's limit (found and missing alike) need a manager", () => {
    // 40.00 found and 40.00 missing: nothing net, 80.00 of differences
    const review = reviewCount([line(1, 60_000, 10_000, 80), line(2, 0, 50_000, 80)], "leave");
    expect(review.totals).toMatchObject({ net: 0, value: 8000 });
    expect(refusal(() => decide(approve(review), opened())).code).toBe("approval_needed");
    expect(decide(approve(review, { id: 3 }), opened())[0]).toMatchObject({ type: "CountApproved", approverId: 3 });
  });

  test("a count with nothing counted is not approved (a whole-store count would empty the shop)", () => {
    const review = reviewCount([line(1, null, 10_000, 80)], "zero");
    expect(refusal(() => decide(approve(review), opened()))).toEqual({
      code: "invalid_input",
      message: "Nothing has been counted yet: count the shelves first, or cancel the count.",
    });
  });

  test("differences beyond what can be valued exactly (2^53 minor units) are refused, not rounded onto the books", () => {
    // a hundred lines of a million found at a million each: 10^17 minor units
    const lines = Array.from({ length: 100 }, (_, i) => line(i + 1, MAX_COUNT_MILLI, 0, 100_000_000));
    const review = reviewCount(lines, "leave");
    expect(review.totals.value).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(refusal(() => decide(approve(review, { id: 3 }), opened()))).toEqual({
      code: "stock_count_too_large",
      message: "The differences on this count are too large to be right: look for a line counted or costed far too high, correct it, then approve.",
    });
    // up to the limit itself, summed exactly; one minor unit more is refused
    const near = reviewCount([line(1, 1000, 0, 9_007_199_254_740_000), line(2, 0, 991_000, 1)], "leave");
    expect(near.totals).toMatchObject({ gain: 9_007_199_254_740_000, loss: -991, value: Number.MAX_SAFE_INTEGER });
    expect(decide(approve(near, { id: 3 }), opened())[0]).toMatchObject({ type: "CountApproved", value: Number.MAX_SAFE_INTEGER });
    const over = reviewCount([line(1, 1000, 0, 9_007_199_254_740_000), line(2, 0, 992_000, 1)], "leave");
    expect(refusal(() => decide(approve(over, { id: 3 }), opened())).code).toBe("stock_count_too_large");
  });

  test("an approved count is approved once", () => {
    const review = reviewCount([line(1, 1000, 1000, 80)], "leave");
    const approved = run(opened(), approve(review)).state;
    expect(refusal(() => decide(approve(review), approved)).code).toBe("stock_count_closed");
  });

  test("a count that does not exist cannot be counted or approved", () => {
    expect(refusal(() => decide(scan(milk), { status: "none" })).code).toBe("stock_count_not_found");
  });
});
