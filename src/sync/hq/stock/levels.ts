// Reading the chain's stock at head office: each store's level of each product (stock_levels, kept from the movements
// the stores send), searched by SKU or name, for one store or all, a page at a time by (sku, store) — never by OFFSET;
// and what is at or under its store's reorder point, across the chain. A person limited to some stores reads only theirs.
import type { StockLevelView } from "../../../views/hq/stock.tsx";
import type { HqSql } from "../db/db.ts";
import { type StoreFilter, storesIn } from "../people/store-filter.ts";

/** A row as the page shows it. */
export type StockLevelRow = StockLevelView;

/** Where a page starts: after this product at this store. */
export type StockCursor = { sku: string; storeId: string };

export const STOCK_PAGE = 100;
export const LOW_STOCK_LIMIT = 500;

/** A search typed by a person, as a LIKE pattern that matches it literally (% and _ are text there). */
const literally = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of stock levels, and where the next starts (null: this is the last). */
export async function stockLevels(
  sql: HqSql,
  o: { q: string; storeId: string | null; after: StockCursor | null; limit?: number; stores?: StoreFilter },
): Promise<{ rows: StockLevelRow[]; next: StockCursor | null }> {
  const limit = o.limit ?? STOCK_PAGE;
  const q = literally(o.q.trim());
  const rows = await sql<StockLevelRow[]>`
    SELECT l.store_id::text, s.name AS store, l.sku, l.name, l.on_hand_milli, l.reorder_point_milli, l.low, l.moved_at
    FROM stock_levels l JOIN stores s ON s.store_id = l.store_id
    WHERE true
      ${o.storeId ? sql`AND l.store_id = ${o.storeId}::uuid` : sql``}
      ${storesIn(sql, o.stores ?? null, "l.store_id")}
      ${q ? sql`AND (l.sku ILIKE ${`${q}%`} OR l.name ILIKE ${`%${q}%`})` : sql``}
      ${o.after ? sql`AND (l.sku, l.store_id) > (${o.after.sku}, ${o.after.storeId}::uuid)` : sql``}
    ORDER BY l.sku, l.store_id
    LIMIT ${limit + 1}`;
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: more && last ? { sku: last.sku, storeId: last.store_id } : null };
}

/** The products at or under their store's reorder point, by store and product: at most `limit`, and whether there are more. */
export async function lowStockAcrossChain(sql: HqSql, o: { stores?: StoreFilter; limit?: number } = {}): Promise<{ rows: StockLevelRow[]; cut: boolean }> {
  const limit = o.limit ?? LOW_STOCK_LIMIT;
  const rows = await sql<StockLevelRow[]>`
    SELECT l.store_id::text, s.name AS store, l.sku, l.name, l.on_hand_milli, l.reorder_point_milli, l.low, l.moved_at
    FROM stock_levels l JOIN stores s ON s.store_id = l.store_id
    WHERE l.low ${storesIn(sql, o.stores ?? null, "l.store_id")}
    ORDER BY s.name, l.store_id, l.sku
    LIMIT ${limit + 1}`;
  return { rows: rows.slice(0, limit), cut: rows.length > limit };
}

/** The stores the person may see, for the filter. */
export async function storeNames(sql: HqSql, stores: StoreFilter = null): Promise<{ store_id: string; name: string }[]> {
  return sql<{ store_id: string; name: string }[]>`
    SELECT store_id::text, name FROM stores WHERE true ${storesIn(sql, stores, "store_id")} ORDER BY name, store_id`;
}
