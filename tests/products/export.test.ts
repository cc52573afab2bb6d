// The products CSV in the back office (/products/export.csv): managers only, every product once with its stock, read a
// page at a time, cells a spreadsheet would run as formulas defused; in-process against a real SQLite file.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { withCheckDigit } from "../../src/domain/kernel/barcode.ts";
import { parseCsv } from "../../src/server/platform/csv-read.ts";
import { EXPORT_PAGE } from "../../src/server/products/export.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { browse, byTestId } from "./harness.ts";

let t: TestStore;
let manager: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  manager = await signIn(t.store, 1, { role: "manager", shift: false });
});
afterEach(() => t.close());

const HEAD =
  '"sku","barcode","other_barcodes","name","price","tax_class","category","cost","on_hand","reorder_point","reorder_level","location","weighed","active"';

/** The file's lines, each split into its cells (by the store's own CSV reader). */
const cells = (csv: string): string[][] => parseCsv(csv, ",").map((r) => r.fields);

describe("GET /products/export.csv", () => {
  test("a manager gets every product with its stock, money and quantities as typed, formula cells defused", async () => {
    const at = t.clock.now().toISOString();
    t.store.db
      .query(
        `INSERT INTO products(sku, barcode, name, price, tax_class, category_id, stock_milli, weighed, updated_at, cost, reorder_point, reorder_level, location, active)
         VALUES ('=SKU', NULL, '=HYPERLINK("http://evil.example","click")', 1050, 'STD', NULL, 2500, 1, ?, 720, 1000, 5500, '@shelf', 0)`,
      )
      .run(at);
    const id = t.store.catalog.bySku("=SKU")!.id;
    t.store.db
      .query("INSERT INTO product_barcodes(barcode, product_id) VALUES (?, ?), (?, ?)")
      .run(withCheckDigit("400000009991"), id, withCheckDigit("400000009992"), id);
    const res = await browse(t.app, manager, "/products/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="products.csv"');
    // the page defences every answer carries, a streamed one too
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    const csv = await res.text();
    expect(csv.split("\r\n")[0]).toBe(HEAD);
    const rows = cells(csv);
    expect(rows).toHaveLength(1 + 7);
    expect(rows[1]).toEqual(["MILK-1L", codes.milk, "", "Fresh Milk 1 L", "1.19", "RED", "Dairy", "", "50", "", "", "", "unit", "yes"]);
    expect(rows.at(-1)).toEqual([
      "'=SKU",
      "",
      `${withCheckDigit("400000009991")} ${withCheckDigit("400000009992")}`,
      `'=HYPERLINK("http://evil.example","click")`,
      "10.50",
      "STD",
      "",
      "7.20",
      "2.5",
      "1",
      "5.5",
      "'@shelf",
      "weighed",
      "no",
    ]);
  });

  test("more products than a page: each exactly once, in catalog order", async () => {
    const at = t.clock.now().toISOString();
    const ins = t.store.db.query("INSERT INTO products(sku, name, price, tax_class, stock_milli, weighed, updated_at) VALUES (?, ?, ?, 'STD', ?, 0, ?)");
    const many = EXPORT_PAGE * 2 + 500;
    t.store.db.transaction(() => {
      for (let i = 1; i <= many; i++) ins.run(`BULK-${String(i).padStart(5, "0")}`, `Bulk item ${i}`, i, i * 1000, at);
    })();
    const rows = cells(await (await browse(t.app, manager, "/products/export.csv")).text()).slice(1);
    expect(rows).toHaveLength(6 + many);
    const skus = rows.map((r) => r[0]!);
    expect(new Set(skus).size).toBe(skus.length);
    expect(rows.at(-1)!.slice(0, 5)).toEqual([`BULK-${String(many).padStart(5, "0")}`, "", "", `Bulk item ${many}`, (many / 100).toFixed(2)]);
    expect(rows.at(-1)![8]).toBe(String(many));
  });

  test("cashiers and supervisors are refused; the product list links to the file", async () => {
    for (const role of ["cashier", "supervisor"] as const) {
      const who = await signIn(t.store, 2, { role, shift: false });
      const res = await browse(t.app, who, "/products/export.csv");
      expect([role, res.status]).toEqual([role, 403]);
      expect(res.headers.get("Content-Type")).not.toContain("text/csv");
    }
    const stranger = await t.app.request("/products/export.csv");
    expect(stranger.headers.get("Content-Type") ?? "").not.toContain("text/csv");
    const list = await (await browse(t.app, manager, "/products")).text();
    expect(byTestId(list, "products-export")).toBe("Export CSV (all products, with stock)");
    expect(list).toContain('href="/products/export.csv"');
  });
});
