// POST /api/v1/products/bulk as an ERP sends its catalog: upserted by SKU in one transaction, or nothing with every
// refused row and field named; in-process against a real SQLite file.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { withCheckDigit } from "../../src/domain/kernel/barcode.ts";
import { createToken } from "../../src/server/api/tokens.ts";
import { makeTestStore, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let admin = "";
beforeEach(() => {
  t = makeTestStore();
  admin = createToken(t.store.db, "ERP", t.clock.now().toISOString(), ["admin"]).token;
});
afterEach(() => t.close());

const bulk = (json: unknown, headers: Record<string, string> = {}) =>
  t.api("/api/v1/products/bulk", { method: "POST", json, headers: { Authorization: `Bearer ${admin}`, ...headers } });

function footprint(): Record<string, number> {
  const n = (sql: string) => t.store.db.query<{ n: number }, []>(sql).get()!.n;
  return {
    products: n("SELECT count(*) AS n FROM products"),
    versions: n("SELECT coalesce(sum(version), 0) AS n FROM products"),
    prices: n("SELECT coalesce(sum(price), 0) AS n FROM products"),
    barcodes: n("SELECT count(*) AS n FROM product_barcodes"),
    categories: n("SELECT count(*) AS n FROM categories"),
    audit: n("SELECT count(*) AS n FROM audit_log"),
    keys: n("SELECT count(*) AS n FROM idempotency_keys"),
  };
}

const row = (i: number) => ({
  sku: `ERP-${String(i).padStart(5, "0")}`,
  name: `Item ${i}`,
  price: 100 + i,
  tax_class: i % 2 ? "STD" : "RED",
  barcode: withCheckDigit(`2900${String(i).padStart(8, "0")}`),
  category: `Range ${i % 7}`,
});

describe("POST /api/v1/products/bulk", () => {
  test("1,000 new rows are added in one call, each answered with its id; sending them again with new prices updates them", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => row(i + 1));
    const res = await bulk({ rows });
    expect(res.status).toBe(200);
    const reply = await res.json();
    expect([reply.created, reply.updated, reply.unchanged]).toEqual([1000, 0, 0]);
    expect(reply.rows[999]).toMatchObject({ row: 1000, sku: "ERP-01000", outcome: "created", version: 1 });
    expect(t.store.catalog.byId(reply.rows[0].id)).toMatchObject({ sku: "ERP-00001", price: 101, category: "Range 1", taxClass: "STD" });
    expect(t.store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log WHERE action = 'product.created'").get()!.n).toBe(1000);

    // an ERP's price list: SKU and price only; the rest of each product stays as it is
    const prices = rows.map((r, i) => (i < 10 ? { sku: r.sku, price: r.price + 50 } : { sku: r.sku, price: r.price }));
    const again = await (await bulk({ rows: prices })).json();
    expect([again.created, again.updated, again.unchanged]).toEqual([0, 10, 990]);
    expect(again.rows[0]).toMatchObject({ outcome: "updated", version: 2 });
    expect(t.store.catalog.bySku("ERP-00001")).toMatchObject({ price: 151, name: "Item 1", category: "Range 1" });
    expect(t.store.ledger.disagreements()).toEqual([]);
  });

  test("one bad row: 422 naming the row and the field, and nothing of the good rows is written", async () => {
    const before = footprint();
    const rows = [row(1), row(2), { ...row(3), price: -1 }, row(4), { sku: "MILK-1L", price: 125 }];
    const res = await bulk({ rows });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_rows");
    expect(error.details.rows).toEqual([{ row: 3, sku: "ERP-00003", field: "price", message: "The price cannot be below zero." }]);
    expect(error.message).toBe("One row needs another look; nothing was written. Row 3, price: The price cannot be below zero.");
    expect(footprint()).toEqual(before);
    expect(t.store.catalog.bySku("MILK-1L")!.price).toBe(119);
  });

  test("rows refused for their shape, a SKU or barcode twice, a stale version or a taken barcode: each named", async () => {
    const before = footprint();
    const milk = t.store.catalog.bySku("MILK-1L")!;
    const rows = [
      row(1),
      { ...row(2), sku: "ERP-00001" },
      { ...row(3), barcode: row(1).barcode },
      { sku: "MILK-1L", name: "Milk", version: 7 },
      { ...row(5), price: "1.05" },
      { ...row(6), colour: "blue" },
      { name: "no SKU" },
      "not a product",
      { ...row(9), barcode: t.store.catalog.bySku("BREAD-SOUR")!.barcode },
    ];
    const res = await bulk({ rows });
    expect(res.status).toBe(422);
    const errors: { row: number; field: string | null; message: string }[] = (await res.json()).error.details.rows;
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [2, "sku"],
      [3, "barcode"],
      [4, "version"],
      [5, "price"],
      [6, "colour"],
      [7, "sku"],
      [8, null],
      [9, "barcode"],
    ]);
    expect(errors[0]!.message).toBe("SKU ERP-00001 is already on row 1 of this request.");
    expect(errors[1]!.message).toBe(`Barcode ${row(1).barcode} is already on row 1 of this request (SKU ERP-00001).`);
    expect(errors[2]!.message).toContain(`Product ${milk.id} was changed since version 7`);
    expect(errors[7]!.message).toContain("already belongs to Sourdough Bread 800 g");
    expect(footprint()).toEqual(before);
  });

  test("too many rows, none, or no rows at all are refused before any is read", async () => {
    const before = footprint();
    for (const body of [{ rows: [] }, {}, { rows: Array.from({ length: 5001 }, () => ({ sku: "X" })) }, { rows: "all" }]) {
      const res = await bulk(body);
      expect([res.status, (await res.json()).error.code]).toEqual([400, "invalid_request"]);
    }
    expect(footprint()).toEqual(before);
  });

  test("Idempotency-Key: a replay answers the first answer and writes nothing more; another body with the key is refused", async () => {
    const rows = [row(1), row(2)];
    const first = await (await bulk({ rows }, { "Idempotency-Key": "price-list-2026-11" })).json();
    const before = footprint();
    const res = await bulk({ rows }, { "Idempotency-Key": "price-list-2026-11" });
    expect(res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await res.json()).toEqual(first);
    expect(first.created).toBe(2);
    expect(footprint()).toEqual(before);
    const other = await bulk({ rows: [row(3)] }, { "Idempotency-Key": "price-list-2026-11" });
    expect([other.status, (await other.json()).error.code]).toEqual([422, "idempotency_key_reused"]);
    expect(footprint()).toEqual(before);
  });

  test("5,000 rows of every field fit the body limit of an admin token's bulk call", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      ...row(i + 1),
      name: `Item ${i + 1} ${"with a long descriptive name ".repeat(3)}`.trim(),
      cost: 50,
      reorder_point: 4,
      reorder_level: 12,
      location: `Aisle ${i % 20}`,
      weighed: false,
      active: true,
      returnable: true,
      barcodes: [],
    }));
    const body = JSON.stringify({ rows });
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const res = await bulk({ rows });
    expect(res.status).toBe(200);
    expect((await res.json()).created).toBe(5000);
    // the same body from a token without the admin scope is refused at the 1 MB every other call has
    const seller = await t.api("/api/v1/products/bulk", { method: "POST", json: { rows } });
    expect([seller.status, (await seller.json()).error.code]).toEqual([413, "body_too_large"]);
  });
});
