import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultEmbeddedPatterns, isValidGtin, makeEmbedded } from "../../domain/kernel/barcode.ts";
import { openDatabase } from "../db/open.ts";
import { seedDemoCatalog } from "./demo.ts";
import { catalogQueries } from "./queries.ts";

const now = "2025-03-01T08:00:00.000Z";
let dir: string;
const opened: Database[] = [];

function freshStore(name = "store.db"): Database {
  const db = openDatabase(join(dir, name));
  opened.push(db);
  return db;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "shopflow-demo-"));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

type ProductRow = {
  id: number;
  sku: string;
  barcode: string;
  name: string;
  price: number;
  tax_class: string;
  category: string;
  stock_milli: number;
  weighed: number;
  updated_at: string;
};
const allProducts = (db: Database) =>
  db
    .query<ProductRow, []>(
      `SELECT p.id, p.sku, p.barcode, p.name, p.price, p.tax_class, c.name AS category, p.stock_milli, p.weighed, p.updated_at
     FROM products p JOIN categories c ON c.id = p.category_id ORDER BY p.id`,
    )
    .all();

describe("the demo catalog", () => {
  test("fills an empty store with about 2,000 products in a dozen or more departments", () => {
    const db = freshStore();
    expect(seedDemoCatalog(db, { now })).toEqual({ products: 2000 });
    const products = allProducts(db);
    expect(products).toHaveLength(2000);
    const departments = new Set(products.map((p) => p.category));
    expect(departments.size).toBeGreaterThanOrEqual(12);
    for (const d of ["Fruit & Vegetables", "Bakery", "Dairy", "Beer & Wine", "Household", "Newspapers & Magazines"]) {
      expect(departments).toContain(d);
    }
    expect(new Set(products.map((p) => p.name)).size).toBeGreaterThan(1900);
    expect(products.every((p) => p.updated_at === now)).toBe(true);
  });

  test("sets up tax classes, the store name and the currency", () => {
    const db = freshStore();
    seedDemoCatalog(db, { now });
    expect(db.query("SELECT code, rate_bp FROM tax_classes ORDER BY code").all()).toEqual([
      { code: "RED", rate_bp: 1000 },
      { code: "STD", rate_bp: 2000 },
      { code: "ZERO", rate_bp: 0 },
    ]);
    const settings = Object.fromEntries(
      db
        .query<{ key: string; value: string }, []>("SELECT key, value FROM settings")
        .all()
        .map((r) => [r.key, r.value]),
    );
    expect(settings).toMatchObject({ store_name: "ShopFlow Demo Store", currency: "EUR" });
  });

  test("keeps settings and tax classes the store already has", () => {
    const db = freshStore();
    db.run("INSERT INTO settings(key, value) VALUES ('store_name', 'Corner Shop')");
    db.run("INSERT INTO tax_classes(code, name, rate_bp) VALUES ('STD', 'Standard', 1900)");
    seedDemoCatalog(db, { products: 50, now });
    expect(db.query("SELECT value FROM settings WHERE key = 'store_name'").get()).toEqual({ value: "Corner Shop" });
    expect(db.query("SELECT rate_bp FROM tax_classes WHERE code = 'STD'").get()).toEqual({ rate_bp: 1900 });
  });

  test("gives every product a valid barcode of its own, a SKU and a shop-like price", () => {
    const db = freshStore();
    seedDemoCatalog(db, { now });
    const products = allProducts(db);
    expect(products.every((p) => isValidGtin(p.barcode) && p.barcode.length === 13)).toBe(true);
    expect(new Set(products.map((p) => p.barcode)).size).toBe(products.length);
    expect(products.every((p) => /^SKU-\d{6}$/.test(p.sku))).toBe(true);
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
    expect(products.every((p) => p.price > 0 && p.price % 10 === 9)).toBe(true);
    expect(products.filter((p) => !p.weighed).every((p) => p.stock_milli % 1000 === 0)).toBe(true);
  });

  test("taxes food at the reduced rate, household goods at the standard rate, newspapers at zero", () => {
    const db = freshStore();
    seedDemoCatalog(db, { now });
    const taxes = (category: string) =>
      new Set(
        allProducts(db)
          .filter((p) => p.category === category)
          .map((p) => p.tax_class),
      );
    expect(taxes("Dairy")).toEqual(new Set(["RED"]));
    expect(taxes("Household")).toEqual(new Set(["STD"]));
    expect(taxes("Beer & Wine")).toEqual(new Set(["STD"]));
    expect(taxes("Newspapers & Magazines")).toEqual(new Set(["ZERO"]));
  });

  test("weighed goods scan from the label a scale prints, by weight or by price", () => {
    const db = freshStore();
    seedDemoCatalog(db, { now });
    const catalog = catalogQueries(db);
    const weighed = allProducts(db).filter((p) => p.weighed === 1);
    expect(weighed.length).toBeGreaterThan(50);
    expect(weighed.some((p) => p.name.includes("(loose)") && p.category === "Fruit & Vegetables")).toBe(true);
    const kinds = new Set<string>();
    for (const p of weighed) {
      const pattern = defaultEmbeddedPatterns.find((pt) => p.barcode.startsWith(pt.prefix));
      expect(pattern).toBeDefined();
      const label = makeEmbedded(p.barcode, 1234, pattern!);
      expect(label).not.toBe(p.barcode);
      const scan = catalog.scan(label, defaultEmbeddedPatterns);
      expect(scan?.product.sku).toBe(p.sku);
      expect(scan?.embedded).toEqual({ kind: pattern!.kind, value: 1234 });
      kinds.add(pattern!.kind);
    }
    expect(kinds).toEqual(new Set(["weight", "price"]));
  });

  test("packaged goods scan by their own barcode", () => {
    const db = freshStore();
    seedDemoCatalog(db, { now });
    const p = allProducts(db).find((r) => r.weighed === 0)!;
    expect(catalogQueries(db).scan(p.barcode, defaultEmbeddedPatterns)).toMatchObject({ product: { sku: p.sku }, embedded: null });
  });

  test("search finds accented names, typed with or without the accents", () => {
    const db = freshStore();
    seedDemoCatalog(db, { now });
    const catalog = catalogQueries(db);
    for (const q of ["müsli", "musli", "MÜSLI"]) {
      const found = catalog.search(q, 0, 10);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((p) => p.name.includes("Müsli"))).toBe(true);
    }
    expect(catalog.search("creme fraiche", 0, 5).some((p) => p.name.includes("Crème fraîche"))).toBe(true);
    expect(catalog.search("jalapeno", 0, 5).some((p) => p.name.includes("Jalapeño"))).toBe(true);
  });

  test("is the same catalog in every fresh store", () => {
    const a = freshStore("a.db");
    const b = freshStore("b.db");
    seedDemoCatalog(a, { now });
    seedDemoCatalog(b, { now });
    expect(allProducts(a)).toEqual(allProducts(b));
  });

  test("leaves a store that already has products alone, so a restart changes nothing", () => {
    const db = freshStore();
    seedDemoCatalog(db, { products: 300, now });
    const before = allProducts(db);
    expect(seedDemoCatalog(db, { now: "2025-03-02T08:00:00.000Z" })).toEqual({ products: 0 });
    expect(allProducts(db)).toEqual(before);
  });

  test("can make a catalog of 100,000 products for load tests", () => {
    const db = freshStore();
    expect(seedDemoCatalog(db, { products: 100_000, now })).toEqual({ products: 100_000 });
    const facts = db
      .query<{ n: number; barcodes: number; skus: number }, []>(
        "SELECT count(*) AS n, count(DISTINCT barcode) AS barcodes, count(DISTINCT sku) AS skus FROM products",
      )
      .get();
    expect(facts).toEqual({ n: 100_000, barcodes: 100_000, skus: 100_000 });
    expect(catalogQueries(db).search("müsli", 0, 5)).toHaveLength(5);
  });
});
