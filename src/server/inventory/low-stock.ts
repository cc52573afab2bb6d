// What to reorder: the products at or under their reorder point (read by the partial index products_low_stock, in name
// order), each with how many to order to fill up to its reorder level (or back to its point when it has no level).
import type { Database } from "bun:sqlite";

export type LowStockRow = {
  id: number;
  sku: string;
  name: string;
  weighed: boolean;
  onHandMilli: number;
  reorderPointMilli: number;
  reorderLevelMilli: number | null;
  /** Up to the reorder level (or the point, without one), never less than nothing. */
  toOrderMilli: number;
  location: string | null;
};

export const LOW_STOCK_LIMIT = 5000;

export function lowStock(db: Database, limit = LOW_STOCK_LIMIT): LowStockRow[] {
  return db
    .query<
      {
        id: number;
        sku: string;
        name: string;
        weighed: number;
        stock_milli: number;
        reorder_point: number;
        reorder_level: number | null;
        location: string | null;
      },
      [number]
    >(
      `SELECT id, sku, name, weighed, stock_milli, reorder_point, reorder_level, location FROM products INDEXED BY products_low_stock
        WHERE reorder_point IS NOT NULL AND stock_milli <= reorder_point ORDER BY name LIMIT ?`,
    )
    .all(limit)
    .map((r) => ({
      id: r.id,
      sku: r.sku,
      name: r.name,
      weighed: r.weighed === 1,
      onHandMilli: r.stock_milli,
      reorderPointMilli: r.reorder_point,
      reorderLevelMilli: r.reorder_level,
      toOrderMilli: Math.max(0, (r.reorder_level ?? r.reorder_point) - r.stock_milli),
      location: r.location,
    }));
}
