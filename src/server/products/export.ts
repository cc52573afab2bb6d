// Every product with its stock as CSV, for a spreadsheet or another system: read a page at a time along the primary
// key while the file is sent, so a million products never sit in memory at once and the registers are never held up
// by one long read. Money and quantities as a person types them (2.49, 2.5), as the product page shows them.
import type { Database } from "bun:sqlite";
import { currencyDigits, minorToDecimal } from "../../domain/kernel/money.ts";
import { type CsvCell, csvStream } from "../platform/http/csv.ts";
import { quantityText } from "./rules.ts";

export const EXPORT_COLUMNS = [
  "sku",
  "barcode",
  "other_barcodes",
  "name",
  "price",
  "tax_class",
  "category",
  "cost",
  "on_hand",
  "reorder_point",
  "reorder_level",
  "location",
  "weighed",
  "active",
] as const;

/** Products read per page of the file: one short read of the primary key each. */
export const EXPORT_PAGE = 1000;

type Row = {
  id: number;
  sku: string;
  barcode: string | null;
  others: string | null;
  name: string;
  price: number;
  tax_class: string;
  category: string | null;
  cost: number | null;
  stock_milli: number;
  reorder_point: number | null;
  reorder_level: number | null;
  location: string | null;
  weighed: number;
  active: number;
};

/** The products, `EXPORT_PAGE` at a time after the last one sent, as CSV rows. */
function* pages(db: Database, currency: string): Generator<CsvCell[][]> {
  const page = db.query<Row, [number, number]>(
    `SELECT p.id, p.sku, p.barcode, (SELECT group_concat(b.barcode, ' ') FROM product_barcodes b WHERE b.product_id = p.id) AS others, p.name,
       p.price, p.tax_class, c.name AS category, p.cost, p.stock_milli, p.reorder_point, p.reorder_level, p.location, p.weighed, p.active
     FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE p.id > ? ORDER BY p.id LIMIT ?`,
  );
  const digits = currencyDigits(currency);
  const money = (m: number | null) => (m === null ? null : minorToDecimal(m, digits));
  const qty = (m: number | null) => (m === null ? null : quantityText(m));
  for (let after = 0; ; ) {
    const rows = page.all(after, EXPORT_PAGE);
    if (rows.length === 0) return;
    yield rows.map((r) => [
      r.sku,
      r.barcode,
      r.others,
      r.name,
      money(r.price),
      r.tax_class,
      r.category,
      money(r.cost),
      qty(r.stock_milli),
      qty(r.reorder_point),
      qty(r.reorder_level),
      r.location,
      r.weighed === 1 ? "weighed" : "unit",
      r.active === 1 ? "yes" : "no",
    ]);
    if (rows.length < EXPORT_PAGE) return;
    after = rows.at(-1)!.id;
  }
}

/** The answer to a request for the file: streamed, named products.csv. */
export function productsCsvResponse(db: Database, currency: string): Response {
  return new Response(csvStream(EXPORT_COLUMNS, pages(db, currency)), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="products.csv"', "Cache-Control": "no-store" },
  });
}
