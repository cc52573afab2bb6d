// What a counter gives a count, read into products and quantities: a scan ("4006381333931", "4006381333931 x12", a
// weighed item's label carrying its weight) and a count list as a CSV (columns sku or barcode, and qty), each row's
// problems said with its line, as the product import says them.
import type { EmbeddedPattern } from "../../domain/kernel/barcode.ts";
import { parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { MAX_COUNT_MILLI } from "../../domain/stock-count/count.ts";
import type { Catalog, Product } from "../catalog/queries.ts";
import { guessDelimiter, parseCsv } from "../platform/csv-read.ts";

export type Counted = { product: Product; qtyMilli: number };

/** How many rows one list may bring: a shop's biggest handheld export, and a page's form size, stay under it. */
export const MAX_COUNT_ROWS = 20_000;

type Deps = { catalog: Catalog; patterns: readonly EmbeddedPattern[] };

/** The product a scanned or typed code names: a barcode (embedded price or weight included), else a SKU. */
function find(code: string, deps: Deps) {
  const scanned = deps.catalog.scan(code, deps.patterns);
  if (scanned) return scanned;
  const product = deps.catalog.bySku(code);
  return product ? { product, embedded: null } : null;
}

/** A quantity as typed: "12", "2.5" (kilos to the gram); null when it is not one. */
const readQty = (text: string): number | null => {
  const v = parseDecimalToMinor(text.replace(/^[x×*]/i, ""), 3);
  return v === null || v < 0 || v > MAX_COUNT_MILLI ? null : v;
};

/**
 * One scan: a barcode or SKU, and optionally how many ("x12", before or after it). A weighed item's label carries its
 * weight; its plain code needs the kilos typed ("x2.5"). Whether the product is in the count and whole units are the
 * count's to say.
 */
export function readScan(text: string, deps: Deps): Counted {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const times = words.filter((w) => /^[x×*]\S/i.test(w));
  const codes = words.filter((w) => !/^[x×*]\S/i.test(w));
  if (codes.length !== 1 || times.length > 1) throw new Problem("invalid_input", 'Scan one item, or type its barcode or SKU and how many, like "x12".');
  const code = codes[0]!;
  const found = find(code, deps);
  if (!found) throw new Problem("unknown_barcode", `No product has the barcode or SKU ${code.slice(0, 40)}.`, { code: code.slice(0, 40) });
  const many = times[0] === undefined ? null : readQty(times[0]);
  if (times[0] !== undefined && (many === null || many === 0)) {
    throw new Problem("invalid_quantity", `"${times[0].slice(0, 20)}" is not how many: type x and a number more than zero, like x12.`);
  }
  const { product, embedded } = found;
  if (embedded?.kind === "weight") return { product, qtyMilli: many === null ? embedded.value : Math.round((embedded.value * many) / 1000) };
  if (product.weighed && many === null)
    throw new Problem("invalid_quantity", `${product.name} is weighed: scan its label, or type its weight after the code, like x2.5.`);
  return { product, qtyMilli: many ?? 1000 };
}

export type CountListRow = Counted & { line: number };
export type CountListProblem = { line: number; message: string };

const codeColumns = new Set(["barcode", "ean", "gtin", "code"]);
const qtyColumns = new Set(["qty", "quantity", "count", "counted"]);

/**
 * A count list as CSV text: a header naming the columns (sku or barcode, and qty), a row per product. A product on
 * two rows adds up, as two scans would. Rows that cannot be read come back with their line and why; the caller writes
 * nothing while there are any.
 */
export function readCountList(text: string, deps: Deps): { rows: CountListRow[]; problems: CountListProblem[] } {
  const delimiter = guessDelimiter(text.replace(/^\uFEFF/, ""));
  const [header, ...records] = parseCsv(text, delimiter);
  const columns = "The first line must name the columns: sku or barcode, and qty.";
  if (!header) return { rows: [], problems: [{ line: 0, message: `The list is empty. ${columns}` }] };
  if (records.length > MAX_COUNT_ROWS) return { rows: [], problems: [{ line: 0, message: `At most ${MAX_COUNT_ROWS} rows in one list; bring it in parts.` }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const at = {
    sku: names.indexOf("sku"),
    barcode: names.findIndex((n) => codeColumns.has(n)),
    qty: names.findIndex((n) => qtyColumns.has(n)),
  };
  if (at.qty < 0 || (at.sku < 0 && at.barcode < 0)) return { rows: [], problems: [{ line: header.line, message: columns }] };

  const rows: CountListRow[] = [];
  const problems: CountListProblem[] = [];
  for (const r of records) {
    const say = (message: string) => problems.push({ line: r.line, message });
    if (r.unclosedQuote) {
      say('A quote (") opened in this row is never closed; close the quote.');
      continue;
    }
    const cell = (i: number) => (i < 0 ? "" : (r.fields[i] ?? "").trim());
    // every cell through the text gate; a code (digits alone) may pass a card number's check by chance
    const gate = [cell(at.sku), cell(at.barcode)].map((c) => textProblem(c, "The code", { max: 64, cardLike: !/^\d+$/.test(c) })).find(Boolean);
    const qtyGate = textProblem(cell(at.qty), "The quantity", { max: 20 });
    if (gate || qtyGate) {
      say((gate ?? qtyGate)!.message);
      continue;
    }
    const [sku, barcode, qtyText] = [cell(at.sku), cell(at.barcode), cell(at.qty)];
    if (!sku && !barcode) {
      say("The row has no sku or barcode.");
      continue;
    }
    const bySku = sku ? deps.catalog.bySku(sku) : null;
    const byCode = barcode ? (deps.catalog.scan(barcode, deps.patterns)?.product ?? null) : null;
    if (sku && !bySku) say(`No product has the SKU ${sku}.`);
    if (barcode && !byCode) say(`No product has the barcode ${barcode}.`);
    if (bySku && byCode && bySku.id !== byCode.id) say(`The SKU ${sku} and the barcode ${barcode} are two different products; give one.`);
    const qtyMilli = qtyText === "" ? null : readQty(qtyText);
    if (qtyMilli === null) say(`The quantity "${qtyText.slice(0, 20)}" is not a number of 0 or more, like 12 or 2.5.`);
    const product = bySku ?? byCode;
    if (problems.at(-1)?.line === r.line || !product || qtyMilli === null) continue;
    rows.push({ line: r.line, product, qtyMilli });
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ line: 0, message: `The list has no rows. ${columns}` });
  return { rows, problems };
}
