// The stock ledger: on-hand moves only with a movement beside it, in the same transaction, and the two always agree —
// `disagreements` lists any product whose on-hand is not the sum of its movements (none, ever, is the promise).
import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";

export type MovementReason = "sale" | "return" | "write_off" | "delivery" | "count" | "adjustment" | "transfer" | "opening";

export type Movement = {
  productId: number;
  /** Thousandths; negative takes stock off the shelf. */
  qtyMilli: number;
  reason: MovementReason;
  at: string;
  userId?: number | null;
  note?: string | null;
  /** The adjustment, delivery or count it belongs to. */
  document?: string | null;
};

export type MovementRow = {
  id: number;
  qtyMilli: number;
  reason: string;
  at: string;
  user: string | null;
  note: string | null;
  document: string | null;
  saleId: string | null;
  returnId: string | null;
};

export function stockLedger(db: Database) {
  const q = {
    move: db.query("INSERT INTO stock_movements(product_id, qty_milli, reason, at, user_id, note, document) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    level: db.query("UPDATE products SET stock_milli = stock_milli + ? WHERE id = ?"),
    disagreements: db.query<{ id: number; sku: string; on_hand: number; moved: number }, []>(
      `SELECT p.id, p.sku, p.stock_milli AS on_hand, coalesce(m.moved, 0) AS moved
         FROM products p LEFT JOIN (SELECT product_id, sum(qty_milli) AS moved FROM stock_movements GROUP BY product_id) m ON m.product_id = p.id
        WHERE p.stock_milli <> coalesce(m.moved, 0)`,
    ),
    history: db.query<
      {
        id: number;
        qty_milli: number;
        reason: string;
        at: string;
        user: string | null;
        note: string | null;
        document: string | null;
        sale_id: string | null;
        return_id: string | null;
      },
      [number, number, number]
    >(
      `SELECT m.id, m.qty_milli, m.reason, m.at, u.name AS user, m.note, m.document, m.sale_id, m.return_id
         FROM stock_movements m LEFT JOIN users u ON u.id = m.user_id
        WHERE m.product_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
    ),
  };

  return {
    /** One movement and on-hand with it, inside the caller's transaction. */
    move(m: Movement): void {
      if (!Number.isSafeInteger(m.qtyMilli) || m.qtyMilli === 0)
        throw new Problem("invalid_quantity", "A stock movement moves some stock: more or less than zero.");
      q.move.run(m.productId, m.qtyMilli, m.reason, m.at, m.userId ?? null, m.note ?? null, m.document ?? null);
      q.level.run(m.qtyMilli, m.productId);
    },
    /** Products whose on-hand is not the sum of their movements (the promise: none). */
    disagreements: () => q.disagreements.all().map((r) => ({ productId: r.id, sku: r.sku, onHand: r.on_hand, moved: r.moved })),
    /** A product's movements, newest first, `limit` of them before movement `before` (none: the latest). */
    history(productId: number, limit = 50, before = Number.MAX_SAFE_INTEGER): MovementRow[] {
      return q.history.all(productId, before, Math.min(limit, 500)).map((r) => ({
        id: r.id,
        qtyMilli: r.qty_milli,
        reason: r.reason,
        at: r.at,
        user: r.user,
        note: r.note,
        document: r.document,
        saleId: r.sale_id,
        returnId: r.return_id,
      }));
    },
  };
}

export type StockLedger = ReturnType<typeof stockLedger>;
