// What each product on hand sold over a period (the stock ledger's sale movements: completed sales, by when they
// completed), and when it last sold: the figures of the dead-stock and slow-movers report (domain/reports/stock-movement.ts).
import type { Database } from "bun:sqlite";
import type { StockItem } from "../../domain/reports/stock-movement.ts";

type Row = {
  id: number;
  sku: string;
  name: string;
  category: string | null;
  weighed: number;
  stock_milli: number;
  cost: number | null;
  sold_milli: number;
};

export function stockMovementQueries(db: Database) {
  const q = {
    // sold: the ledger's sale movements (negative, one a sale line, written when the sale completed), product by
    // product along the index: no sort of the period's movements, and products with no stock are never read
    onHand: db.query<Row, [string, string]>(
      `SELECT p.id, p.sku, p.name, c.name AS category, p.weighed, p.stock_milli, p.cost,
         coalesce((SELECT -sum(m.qty_milli) FROM stock_movements m INDEXED BY stock_movements_sold
           WHERE m.product_id = p.id AND m.reason = 'sale' AND m.at >= ?1 AND m.at < ?2), 0) AS sold_milli
       FROM products p LEFT JOIN categories c ON c.id = p.category_id
       WHERE p.active = 1 AND p.stock_milli > 0`,
    ),
    lastSold: db.query<{ at: string | null }, [number]>(
      "SELECT max(at) AS at FROM stock_movements INDEXED BY stock_movements_sold WHERE product_id = ? AND reason = 'sale'",
    ),
  };
  return {
    /** Active products with stock on hand, with what they sold in [start, end). */
    onHand(start: string, end: string): StockItem[] {
      return q.onHand.all(start, end).map((r) => ({
        productId: r.id,
        sku: r.sku,
        name: r.name,
        category: r.category,
        weighed: r.weighed === 1,
        stockMilli: r.stock_milli,
        cost: r.cost,
        soldMilli: r.sold_milli,
      }));
    },
    /** When a product last sold, ever (null: never). */
    lastSold: (productId: number): string | null => q.lastSold.get(productId)?.at ?? null,
  };
}
