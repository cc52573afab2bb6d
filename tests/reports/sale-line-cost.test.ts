// A sale's line keeps what the product cost the shop when it was sold: a later cost change moves new sales only.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { codes, makeTestStore, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

const costOf = (sku: string) =>
  t.store.db
    .query<{ unit_cost: number | null }, [string]>("SELECT unit_cost FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE l.sku = ? ORDER BY s.receipt_seq")
    .all(sku)
    .map((r) => r.unit_cost);

test("given milk costing 0.71, when it sells and its cost then moves to 0.80, the sold line still says 0.71 and the next sale 0.80", async () => {
  const cashier = await signIn(t.store, 1);
  t.store.db.query("UPDATE products SET cost = 71 WHERE sku = 'MILK-1L'").run();
  t.store.till.scan(cashier.registerId, codes.milk);
  t.store.till.pay(cashier.registerId, { method: "cash", amount: 500 }, cashier.userId);
  t.store.db.query("UPDATE products SET cost = 80 WHERE sku = 'MILK-1L'").run();
  expect(costOf("MILK-1L")).toEqual([71]);
  t.store.till.scan(cashier.registerId, codes.milk);
  t.store.till.pay(cashier.registerId, { method: "cash", amount: 500 }, cashier.userId);
  expect(costOf("MILK-1L")).toEqual([71, 80]);
});

test("a product with no cost sells with no cost on its line (unknown, never zero)", async () => {
  const cashier = await signIn(t.store, 1);
  t.store.till.scan(cashier.registerId, codes.bread);
  t.store.till.pay(cashier.registerId, { method: "cash", amount: 500 }, cashier.userId);
  expect(costOf("BREAD-SOUR")).toEqual([null]);
});
