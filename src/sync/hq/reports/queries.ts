// Head office's reports, read from the rollups kept at ingest (db/migrations/021_report_rollups.sql), never from the
// raw sales: by product, category, store, day, hour of the week and tender, for the stores a person or token may see.
// Money in minor units, quantities in thousandths; net is sales less refunds. A product's category is the catalog's now.
// Every store's products and hours come from the chain's rows (CHAIN_ROWS): a year across the chain reads a row per
// product and month, not one per store too; a person or token limited to stores reads those stores' own rows.
import type { HqSql } from "../db/db.ts";
import { type StoreFilter, storesIn } from "../people/store-filter.ts";
import { splitMonths } from "./period.ts";

export type Scope = { from: string; to: string; stores: StoreFilter; store?: string | null };

export type SalesFigures = {
  qty_milli: number;
  lines: number;
  gross_minor: number;
  discount_minor: number;
  sales_minor: number;
  tax_minor: number;
  returned_qty_milli: number;
  refund_minor: number;
  net_minor: number;
};
export type ProductRow = SalesFigures & { sku: string; name: string; category: string | null };
export type CategoryRow = SalesFigures & { category: string | null; products: number };
export type BasketFigures = {
  baskets: number;
  items_milli: number;
  gross_minor: number;
  discount_minor: number;
  sales_minor: number;
  tax_minor: number;
  returns: number;
  refund_minor: number;
  net_minor: number;
  avg_basket_minor: number;
};
export type StoreRow = BasketFigures & { store_id: string; name: string };
export type DayRow = BasketFigures & { business_day: string };
/** weekday 1 (Monday) to 7, hour 0 to 23, on each store's own clock. */
export type HourCell = { weekday: number; hour: number; baskets: number; sales_minor: number; net_minor: number };
export type TenderRow = {
  method: string;
  payments: number;
  paid_minor: number;
  change_minor: number;
  refunds: number;
  refunded_minor: number;
  net_minor: number;
};

/** The store id of the chain's rows in the product and hour rollups: every store's together (no store has it). */
export const CHAIN_ROWS = "00000000-0000-0000-0000-000000000000";

/**
 * The rows of a scope, up to "<day> BETWEEN": one store's, some stores', or every store's. Every store's are the chain's
 * rows where the rollup keeps them (`chain`), else all rows.
 */
function where(sql: HqSql, s: Scope, table: string, dayColumn = "business_day", chain = false) {
  const id = sql(`${table}.store_id`);
  const whose = s.store
    ? sql`AND ${id} = ${s.store}::uuid ${storesIn(sql, s.stores, `${table}.store_id`)}`
    : s.stores !== null
      ? storesIn(sql, s.stores, `${table}.store_id`)
      : chain
        ? sql`AND ${id} = ${CHAIN_ROWS}::uuid`
        : sql``;
  return sql`${whose} AND ${sql(`${table}.${dayColumn}`)} BETWEEN`;
}

const salesSums = (sql: HqSql) => sql`
  sum(qty_milli)::int8 AS qty_milli, sum(lines)::int8 AS lines, sum(gross_minor)::int8 AS gross_minor,
  sum(discount_minor)::int8 AS discount_minor, sum(sales_minor)::int8 AS sales_minor, sum(tax_minor)::int8 AS tax_minor,
  sum(returned_qty_milli)::int8 AS returned_qty_milli, sum(refund_minor)::int8 AS refund_minor,
  (sum(sales_minor) - sum(refund_minor))::int8 AS net_minor`;

/** Each product's rows over the period: whole months from the monthly rollup, the days around them from the daily one. */
function productRows(sql: HqSql, s: Scope) {
  const split = splitMonths(s);
  const cols = sql`sku, name, qty_milli, lines, gross_minor, discount_minor, sales_minor, tax_minor, returned_qty_milli, refund_minor`;
  const parts = split.days.map(
    ([a, b]) => sql`SELECT ${cols} FROM rollup_sales r WHERE true ${where(sql, s, "r", "business_day", true)} ${a}::date AND ${b}::date`,
  );
  if (split.months) {
    const [a, b] = split.months;
    parts.push(sql`SELECT ${cols} FROM rollup_sales_months r WHERE true ${where(sql, s, "r", "month", true)} ${a}::date AND ${b}::date`);
  }
  return parts.reduce((all, p) => sql`${all} UNION ALL ${p}`);
}

/** Every product sold or returned in the period, best net first. */
export async function byProduct(sql: HqSql, s: Scope, limit = 5000): Promise<ProductRow[]> {
  return sql<ProductRow[]>`
    SELECT p.sku, p.name, c.category, ${salesSums(sql)}
    FROM (SELECT sku, max(name COLLATE "C") AS name, sum(qty_milli) AS qty_milli, sum(lines) AS lines, sum(gross_minor) AS gross_minor,
        sum(discount_minor) AS discount_minor, sum(sales_minor) AS sales_minor, sum(tax_minor) AS tax_minor,
        sum(returned_qty_milli) AS returned_qty_milli, sum(refund_minor) AS refund_minor
      FROM (${productRows(sql, s)}) x GROUP BY sku) p
    LEFT JOIN catalog_products c ON c.sku = p.sku
    GROUP BY p.sku, p.name, c.category
    ORDER BY net_minor DESC, p.sku
    LIMIT ${limit}`;
}

/** Every category (null: products not in the chain's catalog, or without a category), best net first. */
export async function byCategory(sql: HqSql, s: Scope): Promise<CategoryRow[]> {
  return sql<CategoryRow[]>`
    SELECT c.category, count(DISTINCT p.sku)::int8 AS products, ${salesSums(sql)}
    FROM (SELECT sku, sum(qty_milli) AS qty_milli, sum(lines) AS lines, sum(gross_minor) AS gross_minor,
        sum(discount_minor) AS discount_minor, sum(sales_minor) AS sales_minor, sum(tax_minor) AS tax_minor,
        sum(returned_qty_milli) AS returned_qty_milli, sum(refund_minor) AS refund_minor
      FROM (${productRows(sql, s)}) x GROUP BY sku) p
    LEFT JOIN catalog_products c ON c.sku = p.sku
    GROUP BY c.category
    ORDER BY net_minor DESC, c.category NULLS LAST`;
}

const basketSums = (sql: HqSql) => sql`
  sum(baskets)::int8 AS baskets, sum(items_milli)::int8 AS items_milli, sum(gross_minor)::int8 AS gross_minor,
  sum(discount_minor)::int8 AS discount_minor, sum(sales_minor)::int8 AS sales_minor, sum(tax_minor)::int8 AS tax_minor,
  sum(returns)::int8 AS returns, sum(refund_minor)::int8 AS refund_minor, (sum(sales_minor) - sum(refund_minor))::int8 AS net_minor,
  CASE WHEN sum(baskets) > 0 THEN round(sum(sales_minor) / sum(baskets))::int8 ELSE 0 END AS avg_basket_minor`;

/** Every store the scope sees with its figures (none sold: zeros), best net first. */
export async function byStore(sql: HqSql, s: Scope): Promise<StoreRow[]> {
  return sql<StoreRow[]>`
    SELECT st.store_id::text, st.name, coalesce(f.baskets, 0)::int8 AS baskets, coalesce(f.items_milli, 0)::int8 AS items_milli,
      coalesce(f.gross_minor, 0)::int8 AS gross_minor, coalesce(f.discount_minor, 0)::int8 AS discount_minor,
      coalesce(f.sales_minor, 0)::int8 AS sales_minor, coalesce(f.tax_minor, 0)::int8 AS tax_minor,
      coalesce(f.returns, 0)::int8 AS returns, coalesce(f.refund_minor, 0)::int8 AS refund_minor,
      coalesce(f.net_minor, 0)::int8 AS net_minor, coalesce(f.avg_basket_minor, 0)::int8 AS avg_basket_minor
    FROM stores st
    LEFT JOIN (SELECT r.store_id, ${basketSums(sql)} FROM rollup_days r WHERE true ${where(sql, s, "r")} ${s.from}::date AND ${s.to}::date
      GROUP BY r.store_id) f ON f.store_id = st.store_id
    WHERE true ${s.store ? sql`AND st.store_id = ${s.store}::uuid` : sql``} ${storesIn(sql, s.stores, "st.store_id")}
    ORDER BY net_minor DESC, st.name`;
}

/** Each business day of the period that sold or took back anything. */
export async function byDay(sql: HqSql, s: Scope): Promise<DayRow[]> {
  return sql<DayRow[]>`
    SELECT r.business_day::text, ${basketSums(sql)} FROM rollup_days r
    WHERE true ${where(sql, s, "r")} ${s.from}::date AND ${s.to}::date
    GROUP BY r.business_day ORDER BY r.business_day`;
}

/** Weekday by hour, each store's on its own clock: the rollup keeps the hour as the store's wall clock read it. */
export async function byHour(sql: HqSql, s: Scope): Promise<HourCell[]> {
  return sql<HourCell[]>`
    SELECT extract(isodow FROM local)::int AS weekday, extract(hour FROM local)::int AS hour, sum(baskets)::int8 AS baskets,
      sum(sales_minor)::int8 AS sales_minor, (sum(sales_minor) - sum(refund_minor))::int8 AS net_minor
    FROM (SELECT r.hour AS local, sum(r.baskets) AS baskets, sum(r.sales_minor) AS sales_minor, sum(r.refund_minor) AS refund_minor
      FROM rollup_hours r WHERE true ${where(sql, s, "r", "business_day", true)} ${s.from}::date AND ${s.to}::date GROUP BY r.hour) h
    GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** Each tender: as tendered, the change given back (cash), what returns gave back with it, and what it kept. */
export async function byTender(sql: HqSql, s: Scope): Promise<TenderRow[]> {
  const [rows, change] = await Promise.all([
    sql<Omit<TenderRow, "change_minor" | "net_minor">[]>`
      SELECT r.method, sum(payments)::int8 AS payments, sum(paid_minor)::int8 AS paid_minor, sum(refunds)::int8 AS refunds,
        sum(refunded_minor)::int8 AS refunded_minor
      FROM rollup_tenders r WHERE true ${where(sql, s, "r")} ${s.from}::date AND ${s.to}::date
      GROUP BY r.method ORDER BY paid_minor DESC, r.method`,
    sql<{ change: number | null }[]>`
      SELECT sum(change_minor)::int8 AS change FROM rollup_days r WHERE true ${where(sql, s, "r")} ${s.from}::date AND ${s.to}::date`,
  ]);
  const given = change[0]?.change ?? 0;
  return rows.map((r) => {
    const changeMinor = r.method === "cash" ? given : 0;
    return { ...r, change_minor: changeMinor, net_minor: r.paid_minor - changeMinor - r.refunded_minor };
  });
}

export type DaySale = { sale_id: string; receipt_number: string; register_id: number; completed_at: Date; total_minor: number; lines: number };

/** A store's sales of one business day, in the order they completed (the drill-down's last step before a sale). */
export async function salesOfDay(sql: HqSql, store: string, day: string): Promise<DaySale[]> {
  return sql<DaySale[]>`
    SELECT s.sale_id::text, s.receipt_number, s.register_id, s.completed_at, s.total_minor,
      jsonb_array_length(s.payload->'lines')::int8 AS lines
    FROM sales s WHERE s.store_id = ${store}::uuid AND s.business_date = ${day}::date
    ORDER BY s.completed_at, s.receipt_number LIMIT 5000`;
}

export type SaleLine = { line_no: number; sku: string; name: string; qty_milli: number; amount_minor: number; discount_minor: number; total_minor: number };
export type SaleDetail = DaySale & { business_date: string; paid: { method: string; amount_minor: number }[]; items: SaleLine[] };

/** One sale with its lines and tenders, or null. */
export async function saleDetail(sql: HqSql, store: string, day: string, saleId: string): Promise<SaleDetail | null> {
  const [sale] = await sql<(DaySale & { business_date: string })[]>`
    SELECT s.sale_id::text, s.receipt_number, s.register_id, s.completed_at, s.total_minor, s.business_date::text,
      jsonb_array_length(s.payload->'lines')::int8 AS lines
    FROM sales s WHERE s.store_id = ${store}::uuid AND s.business_date = ${day}::date AND s.sale_id = ${saleId}::uuid`;
  if (!sale) return null;
  const [items, paid] = await Promise.all([
    sql<SaleLine[]>`SELECT line_no, sku, name, qty_milli, amount_minor, discount_minor, total_minor FROM sale_lines
      WHERE store_id = ${store}::uuid AND business_date = ${day}::date AND sale_id = ${saleId}::uuid ORDER BY line_no`,
    sql<{ method: string; amount_minor: number }[]>`SELECT method, amount_minor FROM sale_payments
      WHERE store_id = ${store}::uuid AND business_date = ${day}::date AND sale_id = ${saleId}::uuid ORDER BY n`,
  ]);
  return { ...sale, items: [...items], paid: [...paid] };
}

/** Top and slow movers of each category by quantity sold: the `n` most and least sold products. */
export function moversByCategory(rows: readonly ProductRow[], n = 5): { category: string | null; top: ProductRow[]; slow: ProductRow[] }[] {
  const groups = new Map<string | null, ProductRow[]>();
  for (const r of rows) groups.set(r.category, [...(groups.get(r.category) ?? []), r]);
  return [...groups]
    .map(([category, list]) => {
      const sorted = [...list].sort((a, b) => b.qty_milli - a.qty_milli || a.sku.localeCompare(b.sku));
      const top = sorted.slice(0, n);
      const slow = sorted.slice(Math.max(n, sorted.length - n)).reverse();
      return { category, top, slow };
    })
    .sort((a, b) => (a.category ?? "\uffff").localeCompare(b.category ?? "\uffff"));
}
