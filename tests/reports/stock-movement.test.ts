// Dead stock and slow movers from hand-made stock and sales: what did not sell in the period, the slowest that did,
// with the value at cost, and the same lists as CSV.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { stockMovement } from "../../src/domain/reports/stock-movement.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

const DAY = 86_400_000;

function sell(s: SignedIn, code: string, times: number): void {
  for (let i = 0; i < times; i++) {
    t.store.till.scan(s.registerId, code);
    t.store.till.pay(s.registerId, { method: "cash", amount: 5000 }, s.userId);
  }
}

test("given bread last sold 40 days ago, milk sold 6 times and wine once in the last 30 days, the report says so", async () => {
  const set = t.store.db.query("UPDATE products SET cost = ?, stock_milli = ? WHERE sku = ?");
  set.run(200, 20_000, "BREAD-SOUR"); // 20 loaves at 2.00: 40.00 dead
  set.run(70, 50_000, "MILK-1L");
  set.run(800, 5_000, "WINE-RED");
  set.run(null, 0, "HAM-PACK"); // nothing on hand: in neither list
  set.run(null, 100_000, "PAPER-DAILY"); // never sold, no cost
  t.store.db.query("UPDATE products SET active = 0 WHERE sku = 'APPLES-KG'").run(); // no longer sold: left out
  const cashier = await signIn(t.store, 1);
  sell(cashier, codes.bread, 1);
  t.clock.advance(40 * DAY);
  sell(cashier, codes.milk, 6);
  sell(cashier, codes.wine, 1);
  const manager = await signIn(t.store, 9, { role: "manager", shift: false });

  const res = await t.app.request("/reports/stock-movement", { headers: manager.headers });
  expect(res.status).toBe(200);
  const html = await res.text();
  const skus = (table: string) =>
    [
      ...html
        .split(`data-testid="${table}"`)[1]!
        .split("</table>")[0]!
        .matchAll(/data-sku="([^"]+)"/g),
    ].map((m) => m[1]);
  expect(skus("dead-table")).toEqual(["BREAD-SOUR", "PAPER-DAILY"]);
  expect(skus("slow-table")).toEqual(["WINE-RED", "MILK-1L"]);
  expect(html).toContain("worth €38.00 at"); // 19 loaves left at 2.00
  expect(html).toContain("(1 with no cost known)");

  const csv = await (await t.app.request("/reports/stock-movement/dead.csv", { headers: manager.headers })).text();
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe('"sku","name","category","on_hand","unit_cost_minor","value_at_cost_minor","last_sold"');
  expect(lines[1]).toStartWith('"BREAD-SOUR","Sourdough Bread 800 g","Bakery","19.000","200","3800","2026-11-25T10:00:00.000Z"');
  expect(lines[2]).toStartWith('"PAPER-DAILY"');
  const slow = (await (await t.app.request("/reports/stock-movement/slow.csv", { headers: manager.headers })).text()).trim().split("\r\n");
  // wine: 1 in 30 days, 4 left: 120 days of stock
  expect(slow[1]).toBe('"WINE-RED","Rioja Crianza 0.75 L","Drinks","1.000","0.033","4.000","120","3200"');
  expect(slow).toHaveLength(3);
});

test("the period is the manager's to choose: with bread's day in it, bread is a slow mover, not dead", async () => {
  const cashier = await signIn(t.store, 1);
  sell(cashier, codes.bread, 1);
  t.clock.advance(40 * DAY);
  const manager = await signIn(t.store, 9, { role: "manager", shift: false });
  const html = await (await t.app.request("/reports/stock-movement?from=2026-11-01&to=2027-01-04", { headers: manager.headers })).text();
  expect(html.split('data-testid="slow-table"')[1]).toContain('data-sku="BREAD-SOUR"');
  expect(html.split('data-testid="dead-table"')[1]!.split("</table>")[0]).not.toContain('data-sku="BREAD-SOUR"');
  const bad = await t.app.request("/reports/stock-movement/dead.csv?to=yesterday", { headers: manager.headers });
  expect(bad.status).toBe(400);
});

test("the calculation alone: dead dearest first, unknown cost last; slow fewest a day first, limited", () => {
  const item = (sku: string, stockMilli: number, soldMilli: number, cost: number | null) => ({
    productId: sku.length,
    sku,
    name: sku,
    category: null,
    weighed: false,
    stockMilli,
    cost,
    soldMilli,
  });
  const r = stockMovement([item("a", 1000, 0, null), item("b", 2000, 0, 10), item("c", 3000, 3000, 5), item("d", 1000, 1000, 5), item("e", 0, 0, 1)], 10, 1);
  expect(r.dead.map((i) => i.sku)).toEqual(["b", "a"]);
  expect(r.deadValue).toBe(20);
  expect(r.slow.map((i) => [i.sku, i.perDay, i.daysOfCover])).toEqual([["d", 0.1, 10]]);
  expect(() => stockMovement([], 0)).toThrow(RangeError);
});
