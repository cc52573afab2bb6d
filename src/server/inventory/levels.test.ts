// Stock on hand as a sale moves it: one movement per line, the level down by as much, and the store's policy for
// selling below zero, all in the sale's own transaction.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeTestStore, type TestStore } from "../../../tests/helpers/store.ts";
import { writeSetting } from "../settings/settings.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

const movements = () =>
  t.store.db
    .query<{ sku: string; qty_milli: number; reason: string; sale_id: string | null }, []>(
      // (the catalog's opening stock is the ledger's first movement of each product: not what a sale moved)
      "SELECT p.sku, m.qty_milli, m.reason, m.sale_id FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE m.reason <> 'opening' ORDER BY m.id",
    )
    .all();
const level = (sku: string) => t.store.catalog.bySku(sku)!.stockMilli;

describe("a completed sale takes its lines off the shelf", () => {
  test("each line a movement naming the sale; the level goes down by the quantity, weighed items in grams", () => {
    const { sale } = t.store.checkout.sell(
      t.registerId,
      [
        { sku: "MILK-1L", qty: 2 },
        { sku: "APPLES-KG", qty: 1.25 },
        { sku: "MILK-1L", qty: 1 },
      ],
      [{ method: "cash", amount: 5000 }],
    );
    expect(movements()).toEqual([
      { sku: "MILK-1L", qty_milli: -2000, reason: "sale", sale_id: sale.id },
      { sku: "APPLES-KG", qty_milli: -1250, reason: "sale", sale_id: sale.id },
      { sku: "MILK-1L", qty_milli: -1000, reason: "sale", sale_id: sale.id },
    ]);
    expect(level("MILK-1L")).toBe(47_000);
    expect(level("APPLES-KG")).toBe(78_750);
  });

  test("a sale refused (not paid in full) moves nothing", () => {
    expect(() => t.store.checkout.sell(t.registerId, [{ sku: "WINE-RED", qty: 1 }], [{ method: "cash", amount: 1 }])).toThrow();
    expect(movements()).toEqual([]);
    expect(level("WINE-RED")).toBe(5_000);
  });
});

describe("selling more than the books hold", () => {
  test("block: refused naming the product and how many are left; nothing moves", () => {
    writeSetting(t.store.db, "negative_stock", "block");
    t.store.reloadSettings();
    let code = "";
    try {
      // two lines of the same product count together: 3 + 3 > 5
      t.store.checkout.sell(
        t.registerId,
        [
          { sku: "WINE-RED", qty: 3 },
          { sku: "WINE-RED", qty: 3 },
        ],
        [{ method: "cash", amount: 10_000 }],
      );
    } catch (e) {
      code = (e as { code: string }).code;
      expect((e as Error).message).toBe("Only 5 of Rioja Crianza 0.75 L in stock; 6 wanted.");
    }
    expect(code).toBe("insufficient_stock");
    expect(movements()).toEqual([]);
    expect(level("WINE-RED")).toBe(5_000);
  });

  test("warn: sold, with a warning naming the product, and the level below zero", () => {
    const { warnings } = t.store.checkout.sell(t.registerId, [{ sku: "WINE-RED", qty: 6 }], [{ method: "cash", amount: 10_000 }]);
    expect(warnings.map((w) => [w.code, w.message])).toEqual([
      ["negative_stock", "Rioja Crianza 0.75 L: the books say 5 in stock and this sale has 6; have the shelf count checked."],
    ]);
    expect(level("WINE-RED")).toBe(-1_000);
  });

  test("allow: sold without a word", () => {
    writeSetting(t.store.db, "negative_stock", "allow");
    t.store.reloadSettings();
    const { warnings } = t.store.checkout.sell(t.registerId, [{ sku: "WINE-RED", qty: 6 }], [{ method: "cash", amount: 10_000 }]);
    expect(warnings).toEqual([]);
    expect(level("WINE-RED")).toBe(-1_000);
  });
});
