// The sales history's search and paging, on a real store database: what a typed or scanned text is read as, and pages
// that list every completed sale once, newest first, also when many sales share the same second.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codes, makeTestStore, type TestStore } from "../../../tests/helpers/store.ts";
import { type HistoryCursor, readSalesSearch } from "./history.ts";

describe("reading the search box", () => {
  test("a receipt number, a receipt's own digits (also a card's last four when four), an amount, nothing", () => {
    expect(readSalesSearch("003-000123", 2)).toEqual({ kind: "receipt", number: "003-000123" });
    expect(readSalesSearch(" 123 ", 2)).toEqual({ kind: "digits", seq: 123, last4: null });
    expect(readSalesSearch("4242", 2)).toEqual({ kind: "digits", seq: 4242, last4: "4242" });
    expect(readSalesSearch("12.50", 2)).toEqual({ kind: "amount", total: 1250 });
    expect(readSalesSearch("€12,5", 2)).toEqual({ kind: "amount", total: 1250 });
    expect(readSalesSearch("1.005", 3)).toEqual({ kind: "amount", total: 1005 });
    expect(readSalesSearch("14:05", 2)).toEqual({ kind: "time", minutes: 845 });
    expect(readSalesSearch("9:30", 2)).toEqual({ kind: "time", minutes: 570 });
    expect(readSalesSearch("", 2)).toEqual({ kind: "all" });
  });

  test("anything else is refused with what a receipt is found by", () => {
    for (const bad of ["bananas", "12.345", "1234567", "003-00012", "4242 4242", "25:00", "12:60"]) {
      expect(() => readSalesSearch(bad, 2)).toThrow("is not something a receipt is found by");
    }
  });
});

describe("finding sales", () => {
  let t: TestStore;
  beforeAll(() => {
    t = makeTestStore();
    // 7 sales in the same second (the test clock stands still): paging must still list each once
    for (let i = 0; i < 7; i++) {
      const card = i % 3 === 0;
      t.store.checkout.sell(
        t.registerId,
        [{ barcode: i % 2 ? codes.milk : codes.bread }],
        [card ? { method: "card", amount: i % 2 ? 119 : 349, card: { last4: "4242" } } : { method: "cash", amount: 500 }],
      );
    }
  });
  afterAll(() => t.close());

  test("pages of 3 list all 7 newest first, each once", () => {
    const seen: string[] = [];
    let after: HistoryCursor | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const page: ReturnType<typeof t.store.history.find> = t.store.history.find({ kind: "all" }, { after, limit: 3 });
      seen.push(...page.sales.map((s) => s.receiptNumber));
      after = page.next;
      if (!after) break;
    }
    expect(seen.length).toBe(7);
    expect(new Set(seen).size).toBe(7);
    const all = t.store.history.find({ kind: "all" }).sales.map((s) => s.receiptNumber);
    expect(seen).toEqual(all);
  });

  test("by amount, by card's last four, by receipt, by day", () => {
    const numbers = (s: { receiptNumber: string }[]) => s.map((x) => x.receiptNumber).sort();
    expect(t.store.history.find({ kind: "amount", total: 119 }).sales.length).toBe(3);
    const byCard = t.store.history.find({ kind: "digits", seq: 4242, last4: "4242" }).sales;
    expect(byCard.map((s) => s.tenders)).toEqual([
      [{ method: "card", last4: "4242", amount: 349 }],
      [{ method: "card", last4: "4242", amount: 119 }],
      [{ method: "card", last4: "4242", amount: 349 }],
    ]);
    const one = t.store.history.find({ kind: "all" }).sales[2]!;
    expect(numbers(t.store.history.find({ kind: "receipt", number: one.receiptNumber }).sales)).toEqual([one.receiptNumber]);
    expect(t.store.history.find({ kind: "digits", seq: 3, last4: null }).sales.map((s) => s.receiptNumber)).toEqual([
      t.store.history.find({ kind: "all" }).sales.find((s) => s.receiptNumber.endsWith("-000003"))!.receiptNumber,
    ]);
    expect(t.store.history.find({ kind: "all" }, { day: one.businessDate }).sales.length).toBe(7);
    expect(t.store.history.find({ kind: "all" }, { day: "2001-01-01" }).sales).toEqual([]);
  });
});
