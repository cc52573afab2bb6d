// What to reorder, in-process on a real store database: a sale that takes a product to its reorder point puts it on
// the list with how many to order up to its level; the CSV says the same, its cells safe to open in a spreadsheet.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let supervisor: SignedIn;

beforeAll(async () => {
  t = makeTestStore();
  supervisor = await signIn(t.store, 1, { role: "supervisor", shift: false });
  // wine: 5 on hand, reorder at 4 up to 12; bread: 20 on hand, reorder at 5 (no level)
  t.store.db.exec("UPDATE products SET reorder_point = 4000, reorder_level = 12000, location = '=Aisle 3' WHERE sku = 'WINE-RED'");
  t.store.db.exec("UPDATE products SET reorder_point = 5000 WHERE sku = 'BREAD-SOUR'");
});
afterAll(() => t.close());

const get = (path: string) => t.app.request(path, { headers: supervisor.headers });

describe("low stock", () => {
  test("a sale down to the reorder point puts the product on the list, with how many to order up to its level", async () => {
    expect(await (await get("/stock/low")).text()).toContain("Nothing is at or under its reorder point.");
    t.store.checkout.sell(t.registerId, [{ barcode: codes.wine }], [{ method: "cash", amount: 1299 }]);
    const html = await (await get("/stock/low")).text();
    expect([...html.matchAll(/data-testid="low-stock-row"/g)].length).toBe(1);
    expect(html).toContain("Rioja Crianza 0.75 L");
    expect(/data-testid="low-stock-to-order">([^<]*)</.exec(html)![1]).toBe("8");
  });

  test("the CSV lists the same, a cell that would run as a formula defused", async () => {
    const res = await get("/stock/low.csv");
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    const csv = await res.text();
    expect(csv).toBe(
      '"sku","name","location","on_hand","reorder_point","reorder_level","to_order"\r\n"WINE-RED","Rioja Crianza 0.75 L","\'=Aisle 3","4","4","12","8"\r\n',
    );
  });

  test("the list reads the low-stock index, never the whole catalog", () => {
    const plan = t.store.db
      .query<{ detail: string }, []>(
        "EXPLAIN QUERY PLAN SELECT id FROM products INDEXED BY products_low_stock WHERE reorder_point IS NOT NULL AND stock_milli <= reorder_point ORDER BY name LIMIT 10",
      )
      .all()
      .map((r) => r.detail);
    expect(plan.join(" ")).toContain("products_low_stock");
    expect(plan.join(" ")).not.toContain("TEMP B-TREE");
  });
});
