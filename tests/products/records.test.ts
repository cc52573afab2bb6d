// Products below the pages: the list's every query reads an index (never the whole table, never a sort of it), a
// product's other barcode scans at the register, its version moves with every change of its details whoever makes it
// (never with a sale), and the actions refuse a stale save or head office's fields with nothing written.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { withCheckDigit } from "../../src/domain/kernel/barcode.ts";
import { importProductsCsv } from "../../src/server/catalog/import.ts";
import { saveHeadOfficeLink } from "../../src/server/head-office/link.ts";
import { productActions } from "../../src/server/products/actions.ts";
import { FIRST_PAGE, listQuery, MOST_LOOKED_AT, type ProductFilter, productRecords } from "../../src/server/products/records.ts";
import type { ProductValues } from "../../src/server/products/rules.ts";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let clerk: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  clerk = await signIn(t.store, 1, { name: "Chris Cashier" });
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  t.close();
});

const boss = { userId: 1, userName: "Maria Manager", registerName: null };
const version = (id: number) => t.store.db.query<{ version: number }, [number]>("SELECT version FROM products WHERE id = ?").get(id)!.version;
const written = () => ({
  products: t.store.db.query("SELECT * FROM products ORDER BY id").all(),
  barcodes: t.store.db.query("SELECT * FROM product_barcodes ORDER BY barcode").all(),
  ...footprint(t.store),
});

describe("the list's queries", () => {
  const shows = ["active", "inactive", "all"] as const;
  const filters: ProductFilter[] = [];
  for (const search of ["", "milk"]) {
    for (const show of shows) {
      for (const categoryId of [null, 1]) {
        for (const lowStock of [false, true]) filters.push({ search, show, categoryId, lowStock });
      }
    }
  }

  test("every filter, searched or not, reads an index range: no scan of the products, no sort, no OFFSET", () => {
    for (const f of filters) {
      const q = listQuery(f, { name: "M", id: 3 })!;
      expect(q.sql).not.toMatch(/OFFSET/i);
      const plan = t.store.db
        .query<{ detail: string }, (string | number)[]>(`EXPLAIN QUERY PLAN ${q.sql}`)
        .all(...q.args)
        .map((r) => r.detail);
      const what = `${JSON.stringify(f)}: ${plan.join(" | ")}`;
      expect({ what, sorted: plan.some((d) => d.includes("TEMP B-TREE")) }).toEqual({ what, sorted: false });
      // the products (p) are read through an index or by id, the search through its own index
      const products = plan.filter((d) => /\b(p|f)\b/.test(d.split(" ")[1] ?? ""));
      expect({ what, reads: products.every((d) => /USING (INDEX|COVERING INDEX|INTEGER PRIMARY KEY)|VIRTUAL TABLE INDEX/.test(d)) }).toEqual({
        what,
        reads: true,
      });
      if (f.search === "") expect({ what, index: /SEARCH p USING INDEX/.test(plan.join(" ")) }).toEqual({ what, index: true });
    }
  });

  test("the list by name uses the index its filter calls for", () => {
    const plan = (f: Partial<ProductFilter>) =>
      t.store.db
        .query<{ detail: string }, (string | number)[]>(
          `EXPLAIN QUERY PLAN ${listQuery({ search: "", show: "all", categoryId: null, lowStock: false, ...f }, FIRST_PAGE)!.sql}`,
        )
        .all(...listQuery({ search: "", show: "all", categoryId: null, lowStock: false, ...f }, FIRST_PAGE)!.args)
        .map((r) => r.detail)
        .join(" | ");
    expect(plan({})).toContain("USING INDEX products_name");
    expect(plan({ show: "inactive" })).toContain("USING INDEX products_inactive");
    expect(plan({ lowStock: true })).toContain("USING INDEX products_low_stock");
    expect(plan({ categoryId: 2 })).toContain("USING INDEX products_category");
  });

  test("a page looks through at most MOST_LOOKED_AT products for its fifty, and the next goes on from where it stopped", () => {
    t.store.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MOST_LOOKED_AT + 100})
      INSERT INTO products(sku, name, price, tax_class, category_id, updated_at, active)
      SELECT 'BULK-' || i, printf('Bulk %05d', i), 100, 'STD', 6, '2026-11-01T00:00:00Z', i <= ${MOST_LOOKED_AT + 90} FROM n`);
    const records = productRecords(t.store.db);
    const filter: ProductFilter = { search: "", show: "inactive", categoryId: 6, lowStock: false };
    const first = records.list(filter, null);
    expect(first.products).toEqual([]);
    expect(first.next).not.toBeNull();
    const second = records.list(filter, first.next);
    expect(second.products.map((p) => p.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Bulk ${MOST_LOOKED_AT + 91 + i}`));
    expect(second.next).toBeNull();
    // searched, the same
    const searched = records.list({ ...filter, search: "bulk" }, null);
    expect([searched.products.length, searched.next !== null]).toEqual([0, true]);
    expect(records.list({ ...filter, search: "bulk" }, searched.next).products).toHaveLength(10);
  });

  test("a page after a product the list no longer has is empty, not the first page again", () => {
    expect(productRecords(t.store.db).list({ search: "", show: "all", categoryId: null, lowStock: false }, 999_999)).toEqual({ products: [], next: null });
  });
});

describe("another barcode", () => {
  test("scans at the register to its product, after the main barcodes; a scan of an unknown code still finds nothing", () => {
    const other = withCheckDigit("400000000099");
    t.store.db.query("INSERT INTO product_barcodes(barcode, product_id) VALUES (?, 2)").run(other);
    expect(t.store.catalog.byBarcode(other)?.sku).toBe("BREAD-SOUR");
    const sale = t.store.till.scan(clerk.registerId, other).sale!;
    expect(sale.lines.map((l) => [l.sku, l.barcode])).toEqual([["BREAD-SOUR", codes.bread]]);
    // the API's lookup finds it too, the same way
    expect(t.store.catalog.scan(other, t.store.settings().embeddedPatterns)?.product.sku).toBe("BREAD-SOUR");
    expect(t.store.catalog.byBarcode(withCheckDigit("400000000098"))).toBeNull();
    // a main barcode wins over another product's other barcode
    t.store.db.query("INSERT INTO product_barcodes(barcode, product_id) VALUES (?, 2)").run(codes.milk);
    expect(t.store.catalog.byBarcode(codes.milk)?.sku).toBe("MILK-1L");
  });

  test("is found by one probe of its primary key", () => {
    const plan = t.store.db
      .query<{ detail: string }, [string]>(
        "EXPLAIN QUERY PLAN SELECT p.id FROM products p WHERE p.id = (SELECT product_id FROM product_barcodes WHERE barcode = ?)",
      )
      .all("1")
      .map((r) => r.detail)
      .join(" | ");
    expect(plan).toContain("SEARCH product_barcodes USING PRIMARY KEY (barcode=?)");
    expect(plan).toContain("SEARCH p USING INTEGER PRIMARY KEY");
  });
});

describe("a product's version", () => {
  test("moves with every change of its details — a page's save, an import, a catalog release — and never with a sale", () => {
    expect(version(1)).toBe(1);
    t.store.till.scan(clerk.registerId, codes.milk);
    expect(t.store.till.pay(clerk.registerId, { method: "cash", amount: 500 }, clerk.userId).completed).toBeTruthy();
    expect(version(1)).toBe(1);
    // an import that changes nothing of it leaves it; one that changes its price moves it on
    const csv = (price: string) => `sku,name,price,tax class\nMILK-1L,Fresh Milk 1 L,${price},RED\n`;
    importProductsCsv(t.store.db, csv("1.19"), { now: "2026-11-25T10:00:00Z" });
    expect(version(1)).toBe(1);
    importProductsCsv(t.store.db, csv("1.25"), { now: "2026-11-25T10:00:00Z" });
    expect(version(1)).toBe(2);
    // a save moves it once, not twice
    const actions = productActions(t.store);
    const done = actions.update(boss, 1, 2, null, { location: "Fridge 1" });
    expect("saved" in done && done.saved.version).toBe(3);
  });
});

describe("a save", () => {
  const records = () => productRecords(t.store.db);

  test("over a version someone else moved on is refused, naming what differs from what the page showed, with nothing written", () => {
    const actions = productActions(t.store);
    const seen = records().byId(3)!.values;
    actions.update(boss, 3, 1, seen, { price: 1399, reorder_point: 6000 });
    const was = written();
    const refused = actions.update(boss, 3, 1, seen, { location: "Wine wall" });
    expect("stale" in refused && refused.stale.changed).toEqual(["price", "reorder_point"]);
    expect(written()).toEqual(was);
  });

  test("of head office's fields is refused when the store takes its catalog from head office; its own fields save", () => {
    saveHeadOfficeLink(t.store.db, { url: "https://hq.example.com", storeId: "0d3e5a40-7b8c-4d9e-8f00-112233445566", token: "store-secret-token-123" });
    const actions = productActions(t.store);
    const was = written();
    expect(actions.update(boss, 2, 1, null, { price: 299, category: "Bakery", barcodes: [withCheckDigit("400000000077")] })).toEqual({
      headOffice: ["barcodes", "price"],
    });
    expect(written()).toEqual(was);
    expect(() => actions.create(boss, { ...records().byId(2)!.values, sku: "NEW-1", barcode: null } as ProductValues)).toThrow("new products are added there");
    const saved = actions.update(boss, 2, 1, null, { reorder_point: 5000, reorder_level: 20000, location: "Bread rack" });
    expect("saved" in saved && saved.changes).toEqual(["reorder_point", "reorder_level", "location"]);
  });

  test("keeps a barcode a product had even when an import gave it to another since; a new one held elsewhere is refused", () => {
    const actions = productActions(t.store);
    // an import left the milk's barcode also among the bread's other barcodes (nothing here checks imports against them)
    t.store.db.query("INSERT INTO product_barcodes(barcode, product_id) VALUES (?, 2)").run(codes.milk);
    expect("saved" in actions.update(boss, 1, 1, null, { location: "Fridge 1" })).toBe(true);
    const refused = actions.update(boss, 4, 1, null, { barcodes: [codes.milk] });
    expect(refused).toEqual({ refused: { barcodes: `Barcode ${codes.milk} already belongs to Fresh Milk 1 L (SKU MILK-1L); a scan finds one product only.` } });
  });

  test("lists a product's movements newest first", () => {
    t.store.till.scan(clerk.registerId, codes.wine);
    t.store.till.pay(clerk.registerId, { method: "cash", amount: 2000 }, clerk.userId);
    const moves = records().movements(3, null);
    expect(moves[0]).toMatchObject({ qtyMilli: -1000, reason: "sale" });
    expect(moves.map((m) => m.id)).toEqual([...moves.map((m) => m.id)].sort((a, b) => b - a));
    expect(
      records()
        .movements(3, moves[0]!.id)
        .map((m) => m.id),
    ).toEqual(moves.slice(1).map((m) => m.id));
  });
});
