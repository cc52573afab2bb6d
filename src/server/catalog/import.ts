// Products from a spreadsheet: a CSV file checked row by row, the good rows upserted by SKU in one transaction.
import type { Database } from "bun:sqlite";
import {
  barcodeHeldBy,
  firstInFile,
  type HeaderWords,
  productHeaderWords,
  readDecimal,
  readHeader,
  readPrice,
  readUnit,
  UNCLOSED_QUOTE,
} from "../../domain/catalog/product-rows.ts";
import { gtinCheckDigit, isValidGtin } from "../../domain/kernel/barcode.ts";
import { type TextProblemCode, type TextRule, textProblem } from "../../domain/kernel/text.ts";
import { type CsvRecord, guessDelimiter, parseCsv } from "../platform/csv-read.ts";

export type RejectedRow = { line: number; reason: string };
export type ImportResult = { imported: number; updated: number; rejected: RejectedRow[] };

const delimiterNames: Record<string, string> = { ",": "a comma", ";": "a semicolon", "\t": "a tab" };

/** A product's cells, as a CSV file's columns or a form's fields name them. */
export type ProductColumn = "sku" | "barcode" | "name" | "price" | "taxClass" | "category" | "stock" | "weighed";
type Column = ProductColumn;

/** The longest text each cell takes: the import's limits, and the one-product form's. */
export const PRODUCT_TEXT_LIMITS = { sku: 64, name: 200, category: 100 } as const;

/** Why a cell of a product was refused: the import joins a row's sentences, a form shows each beside its field. */
export type ProductProblem = {
  column: ProductColumn;
  message: string;
  /** The text gate's code, when it was the gate that refused the cell (a card number, a control character). */
  code?: TextProblemCode;
};

/** The words a header may use for each column, and each column's name in a sentence: both imports' and stock. */
const headerWords: HeaderWords<Column> = {
  names: { ...productHeaderWords.names, stock: "stock" },
  required: productHeaderWords.required,
  labels: { ...productHeaderWords.labels, stock: "stock" },
};

/** A row that passed its checks, ready to write. Null barcode, category or stock leaves an existing product's value. */
export type GoodRow = {
  line: number;
  sku: string;
  barcode: string | null;
  name: string;
  price: number;
  taxClass: string;
  category: string | null;
  stockMilli: number | null;
  weighed: 0 | 1;
};

/** What a row is checked against: how decimals are written, the currency's decimals, the store's tax classes. */
export type Checks = {
  /** The file's delimiter: where it is a comma, a decimal comma is refused (a form has none: give "\t"). */
  delimiter: string;
  digits: number;
  taxClasses: Map<string, string>;
  taxCodes: string;
};

function readBarcode(text: string): { barcode: string | null } | { reason: string } {
  const code = text.replace(/\s+/g, "");
  if (code === "") return { barcode: null };
  if (/^\d+([.,]\d+)?e\+?\d+$/i.test(code)) {
    return { reason: `Barcode "${text}" was shortened by a spreadsheet; format the barcode column as text and export again.` };
  }
  if (!/^\d+$/.test(code)) return { reason: `Barcode "${text}" must contain digits only.` };
  if (![8, 12, 13, 14].includes(code.length)) {
    return { reason: `Barcode ${code} has ${code.length} digits; a barcode has 8, 12, 13 or 14.` };
  }
  if (!isValidGtin(code)) {
    const expected = gtinCheckDigit(code.slice(0, -1));
    return { reason: `Barcode ${code} has a wrong check digit (the last digit should be ${expected}); check it for a typo.` };
  }
  return { barcode: code };
}

function checkRow(get: (c: Column) => string, line: number, checks: Checks): GoodRow | ProductProblem[] {
  const reasons: ProductProblem[] = [];
  const refuse = (column: Column, message: string, code?: TextProblemCode) => void reasons.push({ column, message, ...(code ? { code } : {}) });
  // every text cell through the one gate: plain, bounded, and no card number in a name or category
  const gate = (column: Column, text: string, what: string, rule: TextRule) => {
    const problem = textProblem(text, what, rule);
    if (problem) refuse(column, problem.message, problem.code);
  };
  const sku = get("sku").trim();
  if (sku === "") refuse("sku", "SKU is empty.");
  else gate("sku", sku, "SKU", { max: PRODUCT_TEXT_LIMITS.sku, cardLike: true });
  const name = get("name").replace(/\s+/g, " ").trim();
  if (name === "") refuse("name", "Name is empty.");
  else gate("name", name, "Name", { max: PRODUCT_TEXT_LIMITS.name });

  const price = readPrice(get("price").trim(), checks.digits, checks.delimiter);
  if (typeof price !== "number") refuse("price", price.problem);

  const taxText = get("taxClass").trim();
  const taxClass = checks.taxClasses.get(taxText.toLowerCase());
  if (taxText === "") refuse("taxClass", `Tax class is empty; use one of: ${checks.taxCodes}.`);
  else if (!taxClass) {
    refuse(
      "taxClass",
      checks.taxCodes
        ? `Tax class "${taxText}" is not set up in this store; use one of: ${checks.taxCodes}.`
        : `Tax class "${taxText}" is not set up in this store; no tax classes are set up yet.`,
    );
  }

  const barcode = readBarcode(get("barcode"));
  if ("reason" in barcode) refuse("barcode", barcode.reason);

  const unit = readUnit(get("weighed"));
  if ("problem" in unit) refuse("weighed", unit.problem);
  const weighed = "problem" in unit ? null : unit.weighed ? 1 : 0;

  const stockText = get("stock").trim();
  const stock = stockText === "" ? null : readDecimal(stockText, 3, checks.delimiter);
  if (stock === "comma") refuse("stock", `Stock "${stockText}" has a comma; in a comma-separated file write decimals with a point (2.5).`);
  else if (stockText !== "" && stock === null) refuse("stock", `Stock "${stockText}" is not a quantity like 12 or 2.5 (at most 3 decimals).`);
  else if (typeof stock === "number" && weighed === 0 && stock % 1000 !== 0) {
    refuse("stock", `Stock ${stockText} is not a whole number of units; write "weighed" in the unit column if it is sold by weight.`);
  }

  // Every failed check above left a reason; the type tests repeat them for the compiler.
  if (reasons.length > 0 || typeof price !== "number" || !taxClass || "reason" in barcode || weighed === null || stock === "comma") {
    return reasons;
  }
  const category = get("category").replace(/\s+/g, " ").trim();
  gate("category", category, "Category", { max: PRODUCT_TEXT_LIMITS.category });
  if (reasons.length > 0) return reasons;
  return { line, sku, barcode: barcode.barcode, name, price, taxClass, category: category || null, stockMilli: stock, weighed };
}

/**
 * What products are checked against now: the store's tax classes, found by code or by name (the code wins), and how
 * decimals are written. Read inside the transaction that writes the products.
 */
export function productChecks(db: Database, how: { delimiter: string; currencyDigits: number }): Checks {
  const taxRows = db.query<{ code: string; name: string }, []>("SELECT code, name FROM tax_classes ORDER BY code").all();
  const taxClasses = new Map<string, string>();
  for (const t of taxRows) taxClasses.set(t.name.toLowerCase(), t.code);
  for (const t of taxRows) taxClasses.set(t.code.toLowerCase(), t.code);
  return { delimiter: how.delimiter, digits: how.currencyDigits, taxClasses, taxCodes: taxRows.map((t) => t.code).join(", ") };
}

/** One product as a person gives it (the one-product form): checked by the same rules as a row of a CSV file. */
export function checkProduct(cells: Partial<Record<ProductColumn, string>>, checks: Checks): GoodRow | ProductProblem[] {
  return checkRow((c) => cells[c] ?? "", 1, checks);
}

/**
 * Import products from CSV text. Columns are found by header name; each bad row is reported with its line and a reason
 * a person can fix; the good rows are added or updated (by SKU) in one transaction, and nothing is written when no row
 * is good. Empty barcode, category or stock cells leave an existing product's value as it is.
 */
export function importProductsCsv(db: Database, csvText: string, options: { now: string; currencyDigits?: number }): ImportResult {
  const delimiter = guessDelimiter(csvText.replace(/^\uFEFF/, ""));
  const [header, ...records] = parseCsv(csvText, delimiter);
  if (!header) {
    return { imported: 0, updated: 0, rejected: [{ line: 1, reason: "The file is empty; it needs a header line and a row per product." }] };
  }
  const columns = readHeader(header.fields, headerWords);
  if (typeof columns === "string") return { imported: 0, updated: 0, rejected: [{ line: header.line, reason: columns }] };

  return db
    .transaction((): ImportResult => {
      const checks = productChecks(db, { delimiter, currencyDigits: options.currencyDigits ?? 2 });
      const { good, rejected } = checkRecords(records, header.fields.length, columns, checks);
      const accepted = rejectTakenBarcodes(db, good, rejected);
      rejected.sort((a, b) => a.line - b.line);
      if (accepted.length === 0) return { imported: 0, updated: 0, rejected };
      return { ...writeProducts(db, accepted, options.now), rejected };
    })
    .immediate();
}

/** Each record checked alone, then against the rows above it: the first row with a SKU or barcode keeps it. */
function checkRecords(
  records: CsvRecord[],
  headerWidth: number,
  columns: Partial<Record<Column, number>>,
  checks: Checks,
): { good: GoodRow[]; rejected: RejectedRow[] } {
  const rejected: RejectedRow[] = [];
  const good: GoodRow[] = [];
  const seen = firstInFile();
  for (const record of records) {
    if (record.unclosedQuote) {
      rejected.push({ line: record.line, reason: UNCLOSED_QUOTE });
      continue;
    }
    const extra = record.fields.slice(headerWidth).filter((f) => f.trim() !== "").length;
    const get = (c: Column) => {
      const at = columns[c];
      return at === undefined ? "" : (record.fields[at] ?? "");
    };
    const checked = checkRow(get, record.line, checks);
    const reasons = Array.isArray(checked) ? checked.map((p) => p.message) : [];
    if (extra > 0) {
      reasons.push(
        `The row has ${record.fields.length} values but the header has ${headerWidth} columns; ` +
          `put values that contain ${delimiterNames[checks.delimiter] ?? `"${checks.delimiter}"`} in double quotes.`,
      );
    }
    const sku = get("sku").trim();
    const skuAgain = seen.sku(sku, record.line);
    if (skuAgain) reasons.push(skuAgain);
    const barcodeAgain = !Array.isArray(checked) && checked.barcode ? seen.barcode(checked.barcode, record.line, sku) : null;
    if (barcodeAgain) reasons.push(barcodeAgain);
    if (reasons.length > 0 || Array.isArray(checked)) rejected.push({ line: record.line, reason: reasons.join(" ") });
    else good.push(checked);
  }
  return { good, rejected };
}

/**
 * A barcode may only move to a product of this file if the product holding it now is also in the file and moves to
 * another barcode. Rejecting one row can take away the move another row counted on, so this repeats until stable.
 */
function rejectTakenBarcodes(db: Database, good: GoodRow[], rejected: RejectedRow[]): GoodRow[] {
  const holder = db.query<{ sku: string; name: string }, [string]>("SELECT sku, name FROM products WHERE barcode = ?");
  const conflicts: { row: GoodRow; sku: string; name: string }[] = [];
  for (const row of good) {
    const h = row.barcode ? holder.get(row.barcode) : null;
    if (h && h.sku !== row.sku) conflicts.push({ row, ...h });
  }
  if (conflicts.length === 0) return good;
  const bySku = new Map(good.map((r) => [r.sku, r]));
  const out = new Set<GoodRow>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of conflicts) {
      if (out.has(c.row)) continue;
      const mover = bySku.get(c.sku);
      if (mover && !out.has(mover) && mover.barcode !== null && mover.barcode !== c.row.barcode) continue;
      out.add(c.row);
      changed = true;
      rejected.push({ line: c.row.line, reason: barcodeHeldBy(c.row.barcode!, c) });
    }
  }
  return good.filter((r) => !out.has(r));
}

/** Checked products written by SKU, added or updated, inside the caller's transaction. */
export function writeProducts(db: Database, rows: GoodRow[], now: string): { imported: number; updated: number } {
  const categoryIds = new Map<string, number>();
  for (const c of db.query<{ id: number; name: string }, []>("SELECT id, name FROM categories").all()) {
    categoryIds.set(c.name.toLowerCase(), c.id);
  }
  const addCategory = db.query<{ id: number }, [string]>("INSERT INTO categories(name) VALUES (?) RETURNING id");
  const categoryId = (name: string | null): number | null => {
    if (name === null) return null;
    const known = categoryIds.get(name.toLowerCase());
    if (known !== undefined) return known;
    const id = addCategory.get(name)!.id;
    categoryIds.set(name.toLowerCase(), id);
    return id;
  };

  // The rows meet the products table in three statements rather than one per row: FTS5 then indexes them in one go.
  db.exec("DROP TABLE IF EXISTS temp.import_rows");
  db.exec(`CREATE TEMP TABLE import_rows(sku TEXT PRIMARY KEY, barcode TEXT, name TEXT, price INTEGER, tax_class TEXT,
    category_id INTEGER, stock_milli INTEGER, weighed INTEGER)`);
  const stage = db.prepare("INSERT INTO temp.import_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const r of rows) {
    stage.run(r.sku, r.barcode, r.name, r.price, r.taxClass, categoryId(r.category), r.stockMilli, r.weighed);
  }
  // Barcodes that move between products of this file are freed first, so a swap never trips the unique index.
  db.exec(`UPDATE products SET barcode = NULL WHERE id IN (
    SELECT p.id FROM temp.import_rows r JOIN products p ON p.barcode = r.barcode AND p.sku <> r.sku)`);
  // a stock figure in the file is a count: the difference from on-hand goes in the ledger before on-hand is set
  db.query(
    `INSERT INTO stock_movements(product_id, qty_milli, reason, note, at)
     SELECT p.id, r.stock_milli - p.stock_milli, 'count', 'CSV import', ? FROM temp.import_rows r JOIN products p ON p.sku = r.sku
     WHERE r.stock_milli IS NOT NULL AND r.stock_milli <> p.stock_milli`,
  ).run(now);
  const updated = db
    .query(
      `UPDATE products SET name = r.name, price = r.price, tax_class = r.tax_class, weighed = r.weighed,
       barcode = coalesce(r.barcode, products.barcode), category_id = coalesce(r.category_id, products.category_id),
       stock_milli = coalesce(r.stock_milli, products.stock_milli), updated_at = ?
     FROM temp.import_rows r WHERE r.sku = products.sku`,
    )
    .run(now).changes;
  const imported = db
    .query(
      `INSERT INTO products(sku, barcode, name, price, tax_class, category_id, stock_milli, weighed, updated_at)
     SELECT r.sku, r.barcode, r.name, r.price, r.tax_class, r.category_id, coalesce(r.stock_milli, 0), r.weighed, ?
     FROM temp.import_rows r WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = r.sku) ORDER BY r.rowid`,
    )
    .run(now).changes;
  db.exec("DROP TABLE temp.import_rows");
  return { imported, updated };
}
