// Products from a spreadsheet into the draft release: a CSV file checked row by row by the store import's own row checks
// (domain/catalog/product-rows.ts) with the line of each bad row, and written only when every row is good — a file half
// taken would leave the draft half a price list. Columns are found by their header; sku, name, price and tax class are
// needed, barcode, category, unit/weighed and active may be left out (an existing product keeps its value then).

import {
  barcodeHeldBy,
  firstInFile,
  type HeaderWords,
  productHeaderWords,
  readHeader,
  readPrice,
  readUnit,
  UNCLOSED_QUOTE,
} from "../../../domain/catalog/product-rows.ts";
import { type CsvRecord, guessDelimiter, parseCsv } from "../../../server/platform/csv-read.ts";
import type { HqSql } from "../db/db.ts";
import { taxCodesWithDraft } from "./draft.ts";
import { readBarcode } from "./forms.ts";
import { type CatalogProduct, productSchema } from "./releases.ts";

export type RejectedRow = { line: number; reason: string };
export type CsvImportResult = { added: number; changed: number; unchanged: number; rejected: RejectedRow[]; newCategories?: number };

/** The most rows one file may hold: a chain's weekly price file, not a million products at once. */
export const MAX_IMPORT_ROWS = 50_000;

type Column = "sku" | "barcode" | "name" | "price" | "taxClass" | "category" | "weighed" | "active";
const label: Record<Column, string> = { ...productHeaderWords.labels, active: "active" };
/** The words a header may use for each column: the store import's, with active (on sale) for its stock. */
const headerWords: HeaderWords<Column> = {
  names: { ...productHeaderWords.names, active: "active", "on sale": "active" },
  required: productHeaderWords.required,
  labels: label,
};
const yesWords = new Set(["", "yes", "y", "1", "true", "active", "on sale"]);
const noWords = new Set(["no", "n", "0", "false", "inactive", "off sale"]);

/** What the rows are checked against, read once for the whole file. */
async function context(sql: HqSql, records: CsvRecord[], at: Partial<Record<Column, number>>) {
  const cell = (r: CsvRecord, c: Column) => (at[c] === undefined ? "" : (r.fields[at[c]!] ?? "").trim());
  const skus = [...new Set(records.map((r) => cell(r, "sku")).filter(Boolean))];
  const barcodes = [...new Set(records.map((r) => cell(r, "barcode").replace(/\s+/g, "")).filter((b) => /^\d{8,14}$/.test(b)))];
  const [taxCodes, categories, drafted, published, holders] = await Promise.all([
    taxCodesWithDraft(sql),
    sql<{ name: string }[]>`SELECT name FROM catalog_categories`,
    sql<{ key: string; item: CatalogProduct }[]>`SELECT key, item FROM catalog_draft_changes WHERE kind = 'product' AND key = ANY(${skus}::text[])`,
    sql<{ sku: string; item: CatalogProduct }[]>`SELECT sku, item FROM catalog_products WHERE sku = ANY(${skus}::text[])`,
    // who holds each barcode once the draft is published: the draft's products over the published ones
    sql<{ sku: string; name: string; barcode: string }[]>`
      SELECT sku, name, barcode FROM (
        SELECT key AS sku, item->>'name' AS name, item->>'barcode' AS barcode FROM catalog_draft_changes WHERE kind = 'product' AND item->>'barcode' = ANY(${barcodes}::text[])
        UNION ALL
        SELECT p.sku, p.name, p.item->>'barcode' FROM catalog_products p
        WHERE p.item->>'barcode' = ANY(${barcodes}::text[])
          AND NOT EXISTS (SELECT 1 FROM catalog_draft_changes d WHERE d.kind = 'product' AND d.key = p.sku)
      ) held`,
  ]);
  const existing = new Map<string, CatalogProduct>(published.map((p) => [p.sku, p.item]));
  for (const d of drafted) existing.set(d.key, d.item);
  return {
    cell,
    taxCodes: new Map(taxCodes.map((t) => [t.toLowerCase(), t])),
    categories: new Map(categories.map((c) => [c.name.toLowerCase(), c.name])),
    existing,
    holders: new Map(holders.map((h) => [h.barcode, h])),
  };
}

type Context = Awaited<ReturnType<typeof context>>;

/** One row: the product it makes, or the sentences that refuse it. */
function checkRow(r: CsvRecord, ctx: Context, o: { digits: number; delimiter: string; addCategories: boolean }): CatalogProduct | string[] {
  const reasons: string[] = [];
  const get = (c: Column) => ctx.cell(r, c);
  const has = (c: Column) => get(c) !== "";
  const sku = get("sku");
  if (!sku) reasons.push("SKU is empty.");
  else if (sku.length > 64 || /\s/.test(sku)) reasons.push("A SKU is 1 to 64 characters without spaces.");
  const old = ctx.existing.get(sku);

  const name = get("name").replace(/\s+/g, " ");
  if (!name) reasons.push("Name is empty.");

  const price = readPrice(get("price"), o.digits, o.delimiter);
  if (typeof price !== "number") reasons.push(price.problem);

  const taxText = get("taxClass");
  const taxClass = ctx.taxCodes.get(taxText.toLowerCase());
  if (!taxText) reasons.push(`Tax class is empty; use one of: ${[...ctx.taxCodes.values()].join(", ")}.`);
  else if (!taxClass) reasons.push(`Tax class "${taxText}" does not exist; use one of: ${[...ctx.taxCodes.values()].join(", ")}.`);

  let barcode = old?.barcode ?? null;
  if (has("barcode")) {
    const read = readBarcode(get("barcode"));
    if ("problem" in read) reasons.push(read.problem);
    else barcode = read.barcode;
  }

  let category = old?.category ?? null;
  if (has("category")) {
    category = ctx.categories.get(get("category").toLowerCase()) ?? (o.addCategories ? get("category").replace(/\s+/g, " ") : null);
    if (category === null) reasons.push(`Category "${get("category").slice(0, 60)}" is not in the category list; add it to the list first, or fix the name.`);
  }

  const unit = has("weighed") ? readUnit(get("weighed")) : { weighed: old?.weighed ?? false };
  if ("problem" in unit) reasons.push(unit.problem);
  const weighed = "problem" in unit ? null : unit.weighed;
  const activeText = get("active").toLowerCase();
  const active = has("active") ? (yesWords.has(activeText) ? true : noWords.has(activeText) ? false : null) : (old?.active ?? true);
  if (active === null) reasons.push(`Active "${get("active")}" is not known; write yes or no.`);

  if (reasons.length > 0 || typeof price !== "number" || !taxClass || weighed === null || active === null) return reasons;
  // the text gate, and every limit a release has, through the release's own schema
  const item = productSchema.safeParse({ sku, barcode, name, price, tax_class: taxClass, category, weighed, active });
  if (!item.success) return item.error.issues.map((i) => `${label[(i.path[0] === "tax_class" ? "taxClass" : i.path[0]) as Column] ?? "A cell"}: ${i.message}`);
  return item.data;
}

/**
 * Check a CSV file and, only if every row is good, put its products into the draft in one statement. The result says
 * how many were added and changed, or every bad row with its line (then nothing is written).
 */
export async function importCsvToDraft(
  sql: HqSql,
  text: string,
  o: {
    digits: number;
    by: string;
    /**
     * Starting head office's catalog from a store's (its product export, products.csv): the categories the file names
     * that the list lacks join the list, with the products, rather than refusing their rows.
     */
    addCategories?: boolean;
  },
): Promise<CsvImportResult> {
  const refused = (line: number, reason: string): CsvImportResult => ({ added: 0, changed: 0, unchanged: 0, rejected: [{ line, reason }] });
  const delimiter = guessDelimiter(text);
  const [header, ...records] = parseCsv(text, delimiter);
  if (!header || records.length === 0) return refused(1, "The file has no products; it needs a header line and a row per product.");
  if (records.length > MAX_IMPORT_ROWS) return refused(1, `The file has ${records.length} rows; import at most ${MAX_IMPORT_ROWS} at a time.`);
  const at = readHeader(header.fields, headerWords);
  if (typeof at === "string") return refused(header.line, at);
  const ctx = await context(sql, records, at);

  const rejected: RejectedRow[] = [];
  const good: CatalogProduct[] = [];
  const seen = firstInFile();
  for (const r of records) {
    if (r.unclosedQuote) {
      rejected.push({ line: r.line, reason: UNCLOSED_QUOTE });
      continue;
    }
    const checked = checkRow(r, ctx, { digits: o.digits, delimiter, addCategories: o.addCategories ?? false });
    const reasons = Array.isArray(checked) ? checked : [];
    const sku = ctx.cell(r, "sku");
    const skuAgain = seen.sku(sku, r.line);
    if (skuAgain) reasons.push(skuAgain);
    const barcodeAgain = !Array.isArray(checked) && checked.barcode !== null ? seen.barcode(checked.barcode, r.line, sku) : null;
    if (barcodeAgain) reasons.push(barcodeAgain);
    if (reasons.length > 0 || Array.isArray(checked)) rejected.push({ line: r.line, reason: reasons.join(" ") });
    else good.push(checked);
  }
  // a barcode another product holds, unless this file gives that product another barcode
  const inFile = new Map(good.map((p) => [p.sku, p]));
  for (const p of good) {
    const holder = p.barcode === null ? undefined : ctx.holders.get(p.barcode);
    if (!holder || holder.sku === p.sku) continue;
    const moved = inFile.get(holder.sku);
    if (moved && moved.barcode !== p.barcode) continue;
    rejected.push({ line: seen.lineOf(p.sku)!, reason: barcodeHeldBy(p.barcode!, holder) });
  }
  if (rejected.length > 0) return { added: 0, changed: 0, unchanged: 0, rejected: rejected.sort((a, b) => a.line - b.line) };
  // a row that says what the product is already does not go into the draft: the draft shows only real changes
  const same = (a: CatalogProduct, b: CatalogProduct | undefined) => b !== undefined && JSON.stringify(a) === JSON.stringify(productSchema.parse(b));
  const changes = good.filter((p) => !same(p, ctx.existing.get(p.sku)));

  // new categories (when asked) and the products in one transaction: both or neither
  const newCategories = [
    ...new Map(changes.flatMap((p) => (p.category && !ctx.categories.has(p.category.toLowerCase()) ? [[p.category.toLowerCase(), p.category]] : []))).values(),
  ];
  await sql.begin(async (tx) => {
    if (newCategories.length > 0) {
      await tx`INSERT INTO catalog_categories (name, created_by) SELECT unnest(${newCategories}::text[]), ${o.by} ON CONFLICT DO NOTHING`;
    }
    await tx`
      INSERT INTO catalog_draft_changes (kind, key, item, changed_by, changed_at)
      SELECT 'product', e.p->>'sku', e.p, ${o.by}, now() FROM jsonb_array_elements(${tx.json(changes as never)}) AS e(p)
      ON CONFLICT (kind, key) DO UPDATE SET item = excluded.item, changed_by = excluded.changed_by, changed_at = excluded.changed_at`;
  });
  const added = changes.filter((p) => !ctx.existing.has(p.sku)).length;
  return { added, changed: changes.length - added, unchanged: good.length - changes.length, rejected: [], newCategories: newCategories.length };
}
