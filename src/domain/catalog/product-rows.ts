// The checks a row of a product spreadsheet gets wherever it is imported: the store's import (server/catalog/import.ts)
// and head office's, into its draft release (sync/hq/catalog/csv-import.ts). One set of words, so a file refused at
// one is refused at the other for the same reason and in the same sentence.
import { parseDecimalToMinor } from "../kernel/money.ts";
import { MAX_UNIT_PRICE } from "../sale/sale.ts";

/** How an import reads a header: each word it knows to its column, the columns a file must have, each column's name. */
export type HeaderWords<C extends string> = {
  names: Readonly<Record<string, C>>;
  required: readonly C[];
  labels: Readonly<Record<C, string>>;
};

/** The columns both imports read; the store's adds stock, head office's adds active. */
export type ProductRowColumn = "sku" | "barcode" | "name" | "price" | "taxClass" | "category" | "weighed";

/** The header words both imports know for those columns, the ones a file must have, and their names in a sentence. */
export const productHeaderWords = {
  names: {
    sku: "sku",
    barcode: "barcode",
    ean: "barcode",
    gtin: "barcode",
    name: "name",
    price: "price",
    "tax class": "taxClass",
    taxclass: "taxClass",
    category: "category",
    "unit/weighed": "weighed",
    unit: "weighed",
    weighed: "weighed",
  },
  required: ["sku", "name", "price", "taxClass"],
  labels: { sku: "sku", barcode: "barcode", name: "name", price: "price", taxClass: "tax class", category: "category", weighed: "unit/weighed" },
} as const satisfies HeaderWords<ProductRowColumn>;

/**
 * Where each known column sits, or the sentence that refuses the header. Case, spaces, underscores and the spaces
 * around a slash do not matter ("Tax_Class", "unit / weighed"); extra columns (notes, supplier...) are ignored.
 */
export function readHeader<C extends string>(fields: readonly string[], words: HeaderWords<C>): Partial<Record<C, number>> | string {
  const at: Partial<Record<C, number>> = {};
  for (const [index, raw] of fields.entries()) {
    const key = raw
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, " ")
      .replace(/ ?\/ ?/g, "/");
    const column = words.names[key];
    if (!column) continue;
    if (at[column] !== undefined) return `The header has the column "${words.labels[column]}" twice; keep one.`;
    at[column] = index;
  }
  const missing = words.required.filter((c) => at[c] === undefined).map((c) => `"${words.labels[c]}"`);
  if (missing.length > 0) {
    return `The header has no ${missing.join(", ")} column; the first line must name the columns, at least: sku, name, price, tax class.`;
  }
  return at;
}

/** What a row whose quote never closes is refused with: the rest of the file was read into it. */
export const UNCLOSED_QUOTE = 'A quote (") opened in this row is never closed, so the rest of the file was read as one value; close the quote.';

/** A decimal in the file: a point always, a comma only where the comma is not the delimiter. */
export function readDecimal(text: string, digits: number, delimiter: string): number | null | "comma" {
  if (delimiter === "," && text.includes(",")) return "comma";
  return parseDecimalToMinor(text, digits);
}

/** A price cell (trimmed) in minor units, or why it is refused: empty, a decimal comma, not an amount, below 0, above the till's limit. */
export function readPrice(text: string, digits: number, delimiter: string): number | { problem: string } {
  const price = readDecimal(text, digits, delimiter);
  if (text === "") return { problem: "Price is empty." };
  if (price === "comma") return { problem: `Price "${text}" has a comma; in a comma-separated file write decimals with a point (12.34).` };
  if (price === null) return { problem: `Price "${text}" is not an amount like 12.34 (at most ${digits} decimals, no currency sign).` };
  if (price < 0) return { problem: `Price ${text} is negative.` };
  if (price > MAX_UNIT_PRICE) return { problem: `Price ${text} is more than the till accepts.` };
  return price;
}

const unitWords = new Set(["", "unit", "units", "each", "pc", "pcs", "piece", "0", "no", "false"]);
const weighedWords = new Set(["weighed", "weight", "kg", "by weight", "1", "yes", "true"]);

/** The unit/weighed cell: sold by weight or by the unit (an empty cell is by the unit), or why it is not known. */
export function readUnit(text: string): { weighed: boolean } | { problem: string } {
  const word = text.trim().toLowerCase();
  if (weighedWords.has(word)) return { weighed: true };
  if (unitWords.has(word)) return { weighed: false };
  return { problem: `Unit "${text.trim()}" is not known; write "unit" or "weighed" (or "kg").` };
}

/** Why a row's barcode is refused when another product holds it now and does not give it up in the same file. */
export function barcodeHeldBy(barcode: string, holder: { sku: string; name: string }): string {
  return `Barcode ${barcode} already belongs to SKU ${holder.sku} (${holder.name}); give that product another barcode in this file, or fix this one.`;
}

/**
 * A file's rows against the rows above them: the first row with a SKU or a barcode keeps it, and a later one is
 * refused with the line that has it. Each call notes the row's SKU or barcode when it is the first.
 */
export function firstInFile() {
  const skuLines = new Map<string, number>();
  const barcodeLines = new Map<string, { line: number; sku: string }>();
  return {
    /** Why the row is refused for a SKU an earlier row has, or null (an empty SKU is refused elsewhere). */
    sku(sku: string, line: number): string | null {
      if (sku === "") return null;
      const first = skuLines.get(sku);
      if (first !== undefined) return `SKU ${sku} is already on line ${first} of this file.`;
      skuLines.set(sku, line);
      return null;
    },
    /** Why the row is refused for a barcode an earlier row has, or null. */
    barcode(barcode: string, line: number, sku: string): string | null {
      const first = barcodeLines.get(barcode);
      if (first) return `Barcode ${barcode} is already on line ${first.line} of this file (SKU ${first.sku}).`;
      barcodeLines.set(barcode, { line, sku });
      return null;
    },
    /** The line of the first row with this SKU. */
    lineOf(sku: string): number | undefined {
      return skuLines.get(sku);
    },
  };
}
