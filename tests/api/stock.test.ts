// Stock through the JSON API: deliveries and adjustments by the back office's own actions (the same ledger, cost and
// audit), stock on hand with its movements, and the products CSV; in-process against a real SQLite file.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createToken } from "../../src/server/api/tokens.ts";
import { codes, footprint, makeTestStore, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let admin = "";
beforeEach(() => {
  t = makeTestStore();
  admin = createToken(t.store.db, "ERP", t.clock.now().toISOString(), ["admin"]).token;
});
afterEach(() => t.close());

const post = (path: string, json: unknown, headers: Record<string, string> = {}, token = admin) =>
  t.api(path, { method: "POST", json, headers: { Authorization: `Bearer ${token}`, ...headers } });

/** The stock tables and what moves with them: "nothing written" means none of these moved. */
function stockPrint(): Record<string, number> {
  const n = (sql: string) => t.store.db.query<{ n: number }, []>(sql).get()!.n;
  return {
    ...footprint(t.store),
    deliveries: n("SELECT count(*) AS n FROM deliveries"),
    delivery_lines: n("SELECT count(*) AS n FROM delivery_lines"),
    costs: n("SELECT coalesce(sum(cost), 0) AS n FROM products"),
  };
}

const delivery = {
  supplier: "Dairy Co",
  reference: "DN-4411",
  lines: [
    { sku: "MILK-1L", qty: 24, unit_cost: 60 },
    { barcode: codes.bread, qty: 10 },
    { sku: "APPLES-KG", qty: 12.5, unit_cost: 120 },
  ],
};

describe("POST /api/v1/stock/deliveries", () => {
  test("takes a delivery in: on hand up, a movement per line naming it, the cost moved to the moving average, the audit row", async () => {
    const milk = t.store.catalog.bySku("MILK-1L")!;
    t.store.db.query("UPDATE products SET cost = 50 WHERE id = ?").run(milk.id); // 50 on hand at 0.50
    const res = await post("/api/v1/stock/deliveries", delivery);
    expect(res.status).toBe(201);
    const d = await res.json();
    expect(d).toMatchObject({ supplier: "Dairy Co", reference: "DN-4411", total_cost: 24 * 60 + 1500 });
    expect(d.lines.map((l: { sku: string; qty: number; unit_cost: number | null }) => [l.sku, l.qty, l.unit_cost])).toEqual([
      ["MILK-1L", 24, 60],
      ["BREAD-SOUR", 10, null],
      ["APPLES-KG", 12.5, 120],
    ]);
    // (50 × 0.50 + 24 × 0.60) / 74 = 0.5324… → 53
    expect(t.store.db.query<{ cost: number; stock_milli: number }, [number]>("SELECT cost, stock_milli FROM products WHERE id = ?").get(milk.id)).toEqual({
      cost: 53,
      stock_milli: 74_000,
    });
    const moves = t.store.db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM stock_movements WHERE document = ? AND reason = 'delivery'").get(d.id)!;
    expect(moves.n).toBe(3);
    const audit = t.store.db
      .query<{ user_name: string; user_id: number | null }, [string]>(
        "SELECT user_name, user_id FROM audit_log WHERE action = 'stock.delivery_received' AND subject = ?",
      )
      .get(d.id);
    expect(audit).toEqual({ user_name: "API token ERP", user_id: null });
    expect(t.store.ledger.disagreements()).toEqual([]);
  });

  test("refused lines are each named with their field, and nothing is taken in", async () => {
    const before = stockPrint();
    const res = await post("/api/v1/stock/deliveries", {
      supplier: "Dairy Co",
      lines: [
        { sku: "MILK-1L", qty: 24 },
        { sku: "NO-SUCH", qty: 1 },
        { sku: "BREAD-SOUR", qty: 1.5 },
        { sku: "WINE-RED", qty: 0 },
        { sku: "MILK-1L", qty: 6, unit_cost: 70 },
        { sku: "WINE-RED", barcode: codes.wine, qty: 1 },
        { sku: "PAPER-DAILY", qty: "2" },
        { sku: "MILK-1L", qty: 1, unit_cost: 80 },
      ],
    });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_rows");
    expect(error.details.rows.map((r: { row: number; field: string }) => [r.row, r.field])).toEqual([
      [2, "sku"],
      [3, "qty"],
      [4, "qty"],
      [6, "sku"],
      [7, "qty"],
      [8, "unit_cost"],
    ]);
    expect(error.details.rows[1].message).toBe("Sourdough Bread 800 g comes in whole units.");
    expect(error.message).toBe("6 lines need another look; nothing was taken in. Line 2, sku: No product has the SKU NO-SUCH.");
    expect(stockPrint()).toEqual(before);
    // a delivery from no one is refused too
    const nobody = await post("/api/v1/stock/deliveries", { ...delivery, supplier: " " });
    expect(nobody.status).toBe(400);
    expect(stockPrint()).toEqual(before);
  });

  test("Idempotency-Key: a replay answers the same delivery and takes nothing in twice", async () => {
    const first = await post("/api/v1/stock/deliveries", delivery, { "Idempotency-Key": "dn-4411" });
    const d = await first.json();
    const before = stockPrint();
    const again = await post("/api/v1/stock/deliveries", delivery, { "Idempotency-Key": "dn-4411" });
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await again.json()).id).toBe(d.id);
    expect(stockPrint()).toEqual(before);
    const other = await post("/api/v1/stock/deliveries", { ...delivery, reference: "DN-4412" }, { "Idempotency-Key": "dn-4411" });
    expect([other.status, (await other.json()).error.code]).toEqual([422, "idempotency_key_reused"]);
    expect(stockPrint()).toEqual(before);
  });

  test("a token without the admin scope is refused (403), and nothing is taken in", async () => {
    const before = stockPrint();
    for (const [path, body] of [
      ["/api/v1/stock/deliveries", delivery],
      ["/api/v1/stock/adjustments", { sku: "MILK-1L", qty: -1, reason: "damaged" }],
    ] as const) {
      const res = await post(path, body, {}, t.token);
      expect([res.status, (await res.json()).error.code]).toEqual([403, "scope_missing"]);
    }
    expect(stockPrint()).toEqual(before);
  });
});

describe("POST /api/v1/stock/adjustments", () => {
  test("writes the movement and the audit row naming the token; worth more than the approval value, an admin token goes through", async () => {
    const wine = t.store.catalog.bySku("WINE-RED")!;
    // 5 × 12.99 = 64.95, over the shop's 50.00 for a supervisor without a manager
    const res = await post("/api/v1/stock/adjustments", { sku: "WINE-RED", qty: -5, reason: "damaged", note: "dropped pallet" });
    expect(res.status).toBe(201);
    const a = await res.json();
    expect(a).toMatchObject({ product_id: wine.id, sku: "WINE-RED", qty: -5, reason: "damaged", note: "dropped pallet", on_hand: 0 });
    const move = t.store.db
      .query<{ qty_milli: number; reason: string; note: string; user_id: number | null }, [string]>(
        "SELECT qty_milli, reason, note, user_id FROM stock_movements WHERE document = ?",
      )
      .get(a.id);
    expect(move).toEqual({ qty_milli: -5000, reason: "adjustment", note: "Damaged: dropped pallet", user_id: null });
    const audit = t.store.db
      .query<{ user_name: string; detail: string }, [string]>("SELECT user_name, detail FROM audit_log WHERE action = 'stock.adjusted' AND subject = ?")
      .get(String(wine.id))!;
    expect(audit.user_name).toBe("API token ERP");
    expect(JSON.parse(audit.detail)).toMatchObject({ qty: -5, reason: "damaged", value: 6495, adjustment: a.id });
    expect(t.store.ledger.disagreements()).toEqual([]);
  });

  test("the back office's checks: the reason's direction, whole units, a known reason and product; nothing written", async () => {
    const before = stockPrint();
    const cases: [unknown, number, string][] = [
      [{ sku: "MILK-1L", qty: 3, reason: "damaged" }, 422, "invalid_quantity"],
      [{ sku: "MILK-1L", qty: -1.5, reason: "damaged" }, 422, "invalid_quantity"],
      [{ sku: "MILK-1L", qty: -1, reason: "eaten" }, 422, "invalid_input"],
      [{ sku: "NO-SUCH", qty: -1, reason: "damaged" }, 422, "unknown_sku"],
      [{ sku: "MILK-1L", qty: 0, reason: "correction" }, 422, "invalid_quantity"],
      [{ sku: "APPLES-KG", qty: -0.0005, reason: "damaged" }, 422, "fractional_quantity"],
      [{ qty: -1, reason: "damaged" }, 422, "unknown_sku"],
      [{ sku: "MILK-1L", qty: "-1", reason: "damaged" }, 400, "invalid_request"],
    ];
    for (const [body, status, code] of cases) {
      const res = await post("/api/v1/stock/adjustments", body);
      expect([JSON.stringify(body), res.status, (await res.json()).error.code]).toEqual([JSON.stringify(body), status, code]);
    }
    expect(stockPrint()).toEqual(before);
  });

  test("Idempotency-Key: a replay answers the same adjustment and moves nothing more", async () => {
    const body = { barcode: codes.milk, qty: 2, reason: "found" };
    const first = await (await post("/api/v1/stock/adjustments", body, { "Idempotency-Key": "count-fix-9" })).json();
    const before = stockPrint();
    const again = await post("/api/v1/stock/adjustments", body, { "Idempotency-Key": "count-fix-9" });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(first);
    expect(stockPrint()).toEqual(before);
    expect(t.store.catalog.bySku("MILK-1L")!.stockMilli).toBe(52_000);
  });
});

describe("GET /api/v1/products/:id/stock", () => {
  test("on hand and the latest movements, newest first, paged; a selling token may read it", async () => {
    const milk = t.store.catalog.bySku("MILK-1L")!;
    await post("/api/v1/stock/deliveries", delivery);
    await post("/api/v1/stock/adjustments", { sku: "MILK-1L", qty: -2, reason: "damaged" });
    const res = await t.api(`/api/v1/products/${milk.id}/stock?limit=2`);
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s).toMatchObject({ product_id: milk.id, sku: "MILK-1L", on_hand: 72, weighed: false });
    expect(s.movements.map((m: { qty: number; reason: string; user: string | null }) => [m.qty, m.reason])).toEqual([
      [-2, "adjustment"],
      [24, "delivery"],
    ]);
    const older = await (await t.api(`/api/v1/products/${milk.id}/stock?limit=2&cursor=${s.next_cursor}`)).json();
    expect(older.movements.map((m: { qty: number; reason: string }) => [m.qty, m.reason])).toEqual([[50, "opening"]]);
    expect(older.next_cursor).toBeNull();
    expect((await t.api("/api/v1/products/99999/stock")).status).toBe(404);
    expect((await t.api(`/api/v1/products/${milk.id}/stock?cursor=nope`)).status).toBe(400);
  });
});

describe("GET /api/v1/products/export.csv", () => {
  test("every product with its stock, for a reading token too", async () => {
    const res = await t.api("/api/v1/products/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      '"sku","barcode","other_barcodes","name","price","tax_class","category","cost","on_hand","reorder_point","reorder_level","location","weighed","active"',
    );
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe(`"MILK-1L","${codes.milk}","","Fresh Milk 1 L","1.19","RED","Dairy","","50","","","","unit","yes"`);
  });
});
