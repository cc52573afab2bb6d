import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withCheckDigit } from "../../domain/kernel/barcode.ts";
import { openDatabase } from "../db/open.ts";
import { parseCsv } from "../platform/csv-read.ts";
import { importProductsCsv } from "./import.ts";
import { catalogQueries } from "./queries.ts";

const now = "2025-03-01T08:00:00.000Z";
let dir: string;
let db: Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "shopflow-import-"));
  db = openDatabase(join(dir, "store.db"));
  db.run("INSERT INTO tax_classes(code, name, rate_bp) VALUES ('STD', 'Standard', 2000), ('RED', 'Reduced', 1000), ('ZERO', 'Zero', 0)");
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const csv = (...lines: string[]) => `${lines.join("\n")}\n`;
const productCount = () => db.query<{ n: number }, []>("SELECT count(*) AS n FROM products").get()!.n;
const categoryCount = () => db.query<{ n: number }, []>("SELECT count(*) AS n FROM categories").get()!.n;
const bySku = (sku: string) => catalogQueries(db).bySku(sku);

// Real, valid EAN-13 and EAN-8 numbers.
const EAN_A = "4006381333931";
const EAN_B = "5901234123457";
const EAN_C = "96385074";

describe("importing products from a CSV file", () => {
  test("adds the good rows with prices in cents, stock in thousandths and their department", () => {
    const result = importProductsCsv(
      db,
      csv(
        "SKU,Barcode,Name,Price,Tax Class,Category,Stock,Unit/Weighed",
        `A-1,${EAN_A},Stabilo Marker,2.49,STD,Stationery,12,unit`,
        `A-2,${EAN_B},Bergkäse,24.90,RED,Deli,3.25,weighed`,
        `A-3,${EAN_C},Evening Post,1.8,ZERO,,,`,
      ),
      { now },
    );
    expect(result).toEqual({ imported: 3, updated: 0, rejected: [] });
    expect(bySku("A-1")).toMatchObject({
      barcode: EAN_A,
      name: "Stabilo Marker",
      price: 249,
      taxClass: "STD",
      category: "Stationery",
      stockMilli: 12_000,
      weighed: false,
    });
    expect(bySku("A-2")).toMatchObject({ price: 2490, taxClass: "RED", category: "Deli", stockMilli: 3250, weighed: true });
    expect(bySku("A-3")).toMatchObject({ price: 180, category: null, stockMilli: 0, weighed: false });
    expect(
      catalogQueries(db)
        .search("bergkase", 0, 5)
        .map((p) => p.sku),
    ).toEqual(["A-2"]);
  });

  test("finds columns by name in any order and case, and ignores columns it does not know", () => {
    const result = importProductsCsv(
      db,
      csv(
        " tax_class ,NOTES,price,name,sku,WEIGHED",
        "Reduced,ask Anna,1.29,Bananas,FR-1,kg", // a tax class by its name works too
      ),
      { now },
    );
    expect(result).toEqual({ imported: 1, updated: 0, rejected: [] });
    expect(bySku("FR-1")).toMatchObject({ name: "Bananas", price: 129, taxClass: "RED", weighed: true, barcode: null });
  });

  test("reports each bad row with its line and a reason a person can act on, and imports the rest", () => {
    const result = importProductsCsv(
      db,
      csv(
        "sku,barcode,name,price,tax class,stock,unit",
        `G-1,${EAN_A},Good one,1.00,STD,,`, // 2
        ",,No SKU,1.00,STD,,", // 3
        "B-4,,,1.00,STD,,", // 4
        "B-5,,Bad price,1.2.3,STD,,", // 5
        "B-6,,Unknown tax,1.00,VAT7,,", // 6
        "B-7,4006381333932,Wrong check digit,1.00,STD,,", // 7
        "B-8,40063813339X1,Letters,1.00,STD,,", // 8
        "G-1,,Same SKU again,1.00,STD,,", // 9
        `B-10,${EAN_A},Same barcode again,1.00,STD,,`, // 10
        "B-11,123456,Short barcode,1.00,STD,,", // 11
        "B-12,,Half a bottle,1.00,STD,1.5,unit", // 12
        "B-13,,Odd unit,1.00,STD,,box", // 13
        "B-14,4.00638E+12,Spreadsheet barcode,1.00,STD,,", // 14
        "B-15,,No price,,STD,,", // 15
        `G-16,${EAN_B},Another good one,0.99,red,2,unit`, // 16
      ),
      { now },
    );
    expect(result.imported).toBe(2);
    expect(result.updated).toBe(0);
    expect(result.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const reason = (line: number) => result.rejected.find((r) => r.line === line)!.reason;
    expect(reason(3)).toContain("SKU is empty");
    expect(reason(4)).toContain("Name is empty");
    expect(reason(5)).toContain('Price "1.2.3" is not an amount');
    expect(reason(6)).toContain('Tax class "VAT7" is not set up');
    expect(reason(6)).toContain("RED, STD, ZERO");
    expect(reason(7)).toContain("wrong check digit (the last digit should be 1)");
    expect(reason(8)).toContain("digits only");
    expect(reason(9)).toContain("SKU G-1 is already on line 2");
    expect(reason(10)).toContain(`Barcode ${EAN_A} is already on line 2`);
    expect(reason(11)).toContain("has 6 digits");
    expect(reason(12)).toContain("not a whole number of units");
    expect(reason(13)).toContain('Unit "box" is not known');
    expect(reason(14)).toContain("format the barcode column as text");
    expect(reason(15)).toContain("Price is empty");
    expect(bySku("G-16")).toMatchObject({ taxClass: "RED", price: 99, stockMilli: 2000 });
  });

  test("gives every problem of a row at once", () => {
    const result = importProductsCsv(db, csv("sku,name,price,tax class", "X-1,,abc,NOPE"), { now });
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.reason).toContain("Name is empty");
    expect(result.rejected[0]!.reason).toContain("Price");
    expect(result.rejected[0]!.reason).toContain("Tax class");
  });

  test("refuses a barcode that already belongs to another product in the catalog", () => {
    importProductsCsv(db, csv("sku,barcode,name,price,tax class", `OLD-1,${EAN_A},Marker,2.49,STD`), { now });
    const result = importProductsCsv(db, csv("sku,barcode,name,price,tax class", `NEW-1,${EAN_A},Marker copy,2.49,STD`), { now });
    expect(result.imported).toBe(0);
    expect(result.rejected).toEqual([{ line: 2, reason: expect.stringContaining(`already belongs to SKU OLD-1 (Marker)`) }]);
    expect(bySku("NEW-1")).toBeNull();
  });

  test("lets two products swap barcodes in one file", () => {
    importProductsCsv(db, csv("sku,barcode,name,price,tax class", `P-1,${EAN_A},One,1.00,STD`, `P-2,${EAN_B},Two,2.00,STD`), { now });
    const result = importProductsCsv(db, csv("sku,barcode,name,price,tax class", `P-1,${EAN_B},One,1.00,STD`, `P-2,${EAN_A},Two,2.00,STD`), { now });
    expect(result).toEqual({ imported: 0, updated: 2, rejected: [] });
    expect(catalogQueries(db).byBarcode(EAN_B)?.sku).toBe("P-1");
    expect(catalogQueries(db).byBarcode(EAN_A)?.sku).toBe("P-2");
  });

  test("reads quoted fields with commas, quotes and line breaks, and counts lines as the file has them", () => {
    const text =
      "\uFEFFsku,name,price,tax class,category\r\n" +
      'Q-1,"Crème fraîche, 30 %",1.49,RED,"Dairy, chilled"\r\n' + // 2
      'Q-2,"The ""Big"" Box",9.99,STD,Household\r\n' + // 3
      'Q-3,"Gift hamper\r\nwith card",29.99,STD,\r\n' + // 4-5
      "Q-4,Salt, fine,0.49,RED,Pantry\r\n" + // 6: an unquoted comma splits the name
      "\r\n" + // 7: blank
      "Q-5,,1.00,STD,\r\n"; // 8
    const result = importProductsCsv(db, text, { now });
    expect(result.imported).toBe(3);
    expect(result.rejected.map((r) => r.line)).toEqual([6, 8]);
    expect(result.rejected[0]!.reason).toContain("double quotes");
    expect(bySku("Q-1")).toMatchObject({ name: "Crème fraîche, 30 %", category: "Dairy, chilled" });
    expect(bySku("Q-2")?.name).toBe('The "Big" Box');
    expect(bySku("Q-3")?.name).toBe("Gift hamper with card");
  });

  test("reads a semicolon file with decimal commas, as European spreadsheets save it", () => {
    const result = importProductsCsv(
      db,
      csv("SKU;Name;Price;Tax Class;Stock;Unit/Weighed", "S-1;Käse, Bergkäse;12,34;RED;1,5;kg", "S-2;Müsli;3.49;RED;20;unit", "S-3;Jalapeño Salsa;2,x9;RED;;"),
      { now },
    );
    expect(result.imported).toBe(2);
    expect(result.rejected).toEqual([{ line: 4, reason: expect.stringContaining('Price "2,x9"') }]);
    expect(bySku("S-1")).toMatchObject({ name: "Käse, Bergkäse", price: 1234, stockMilli: 1500, weighed: true });
    expect(bySku("S-2")).toMatchObject({ price: 349, stockMilli: 20_000 });
  });

  test("refuses a decimal comma in a comma-separated file rather than guess", () => {
    const result = importProductsCsv(db, csv("sku,name,price,tax class", 'C-1,Cola,"1,99",RED'), { now });
    expect(result.imported).toBe(0);
    expect(result.rejected[0]!.reason).toContain("write decimals with a point");
  });

  test("updates a product that already has the SKU, keeping what the file leaves empty", () => {
    importProductsCsv(db, csv("sku,barcode,name,price,tax class,category,stock", `U-1,${EAN_A},Old name,1.00,STD,Snacks,40`), { now });
    const id = bySku("U-1")!.id;
    const later = "2025-04-01T08:00:00.000Z";
    const result = importProductsCsv(
      db,
      csv("sku,barcode,name,price,tax class,category,stock", "U-1,,Salted Pretzels,1.29,RED,,", "U-2,,Pretzel Sticks,0.99,RED,Snacks,5"),
      { now: later },
    );
    expect(result).toEqual({ imported: 1, updated: 1, rejected: [] });
    expect(bySku("U-1")).toMatchObject({ id, barcode: EAN_A, name: "Salted Pretzels", price: 129, taxClass: "RED", category: "Snacks", stockMilli: 40_000 });
    expect(db.query("SELECT updated_at FROM products WHERE sku = 'U-1'").get()).toEqual({ updated_at: later });
    expect(categoryCount()).toBe(1);
    const search = catalogQueries(db);
    expect(search.search("salted", 0, 5).map((p) => p.sku)).toEqual(["U-1"]);
    expect(search.search("old name", 0, 5)).toEqual([]);
  });

  test("matches departments whatever their case, and creates each new one once", () => {
    db.run("INSERT INTO categories(name) VALUES ('Dairy')");
    const result = importProductsCsv(
      db,
      csv(
        "sku,name,price,tax class,category",
        "D-1,Milk,0.99,RED,dairy",
        "D-2,Butter,1.99,RED,DAIRY",
        "D-3,Sponge,0.79,STD,Household",
        "D-4,Mop,5.99,STD,Household",
      ),
      { now },
    );
    expect(result.imported).toBe(4);
    expect(db.query("SELECT name FROM categories ORDER BY name").all()).toEqual([{ name: "Dairy" }, { name: "Household" }]);
    expect(bySku("D-2")?.category).toBe("Dairy");
  });

  test("writes nothing when every row is bad", () => {
    importProductsCsv(db, csv("sku,name,price,tax class", "K-1,Kept,1.00,STD"), { now });
    const before = { products: productCount(), categories: categoryCount(), changes: db.query("SELECT total_changes() AS n").get() };
    const result = importProductsCsv(
      db,
      csv("sku,name,price,tax class,category", "K-1,Changed,abc,STD,New Department", "K-2,,1.00,STD,New Department", "K-3,Also bad,1.00,NONE,New Department"),
      { now },
    );
    expect(result).toMatchObject({ imported: 0, updated: 0 });
    expect(result.rejected.map((r) => r.line)).toEqual([2, 3, 4]);
    expect({ products: productCount(), categories: categoryCount(), changes: db.query("SELECT total_changes() AS n").get() }).toEqual(before);
    expect(bySku("K-1")?.name).toBe("Kept");
  });

  test("says which required column the header lacks", () => {
    const result = importProductsCsv(db, csv("sku,name,tax class", "X-1,Thing,STD"), { now });
    expect(result).toEqual({ imported: 0, updated: 0, rejected: [{ line: 1, reason: expect.stringContaining('no "price" column') }] });
  });

  test("says so when the file is empty", () => {
    expect(importProductsCsv(db, "", { now }).rejected).toEqual([{ line: 1, reason: expect.stringContaining("empty") }]);
  });

  test("reports a quote that is never closed", () => {
    const result = importProductsCsv(db, csv("sku,name,price,tax class", "Z-1,Fine,1.00,STD", 'Z-2,"Unclosed,1.00,STD', "Z-3,Lost,1.00,STD"), { now });
    expect(result.imported).toBe(1);
    expect(result.rejected).toEqual([{ line: 3, reason: expect.stringContaining("never closed") }]);
  });

  test("takes prices in a currency without decimals", () => {
    const result = importProductsCsv(db, csv("sku,name,price,tax class", "Y-1,Ramen,480,RED", "Y-2,Tea,1.5,RED"), { now, currencyDigits: 0 });
    expect(result.imported).toBe(1);
    expect(bySku("Y-1")?.price).toBe(480);
    expect(result.rejected[0]!.reason).toContain("at most 0 decimals");
  });

  test("imports a file of 100,000 products", () => {
    const lines = ["sku,barcode,name,price,tax class,category,stock,unit"];
    const departments = ["Pantry", "Drinks", "Household", "Dairy", "Frozen"];
    for (let i = 0; i < 100_000; i++) {
      const barcode = withCheckDigit(`590${String(1_000_000_000 + i).slice(1)}`);
      lines.push(`BULK-${i},${barcode},"Product ${i}, size ${i % 7}",${(i % 900) + 1}.99,${i % 3 ? "RED" : "STD"},${departments[i % 5]},${i % 50},unit`);
    }
    const result = importProductsCsv(db, lines.join("\n"), { now });
    expect(result).toEqual({ imported: 100_000, updated: 0, rejected: [] });
    expect(productCount()).toBe(100_000);
    expect(categoryCount()).toBe(5);
    expect(bySku("BULK-99999")).toMatchObject({ name: "Product 99999, size 4", price: 100_99, taxClass: "STD", category: "Frozen", stockMilli: 49_000 });
  });
});

describe("the CSV reader", () => {
  test("keeps the line each record starts on, across quoted line breaks and CRLF", () => {
    const records = parseCsv('a,b\r\n"x\r\ny",z\r\n\r\nlast,"q""t"', ",");
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ["a", "b"]],
      [2, ["x\r\ny", "z"]],
      [5, ["last", 'q"t']],
    ]);
  });

  test("keeps empty fields and a trailing empty field", () => {
    expect(parseCsv(";;x;\n", ";").map((r) => r.fields)).toEqual([["", "", "x", ""]]);
  });
});
