// The store's stock ledger going up to head office: the movements after the last ones sent, up to a thousand to an
// outbox item of kind stock_movements. Never part of a sale's transaction (a sale pays nothing for it): a step of its
// own in the background that reads the movements, appends the item and moves the cursor in one transaction, so the
// cursor and the outbox row commit together or not at all, and each movement goes up exactly once across any crash.
//
// Each movement carries the product's on-hand right after it, not the on-hand when the batch is made: that is a fact of
// the ledger no later movement changes, so head office's level after a batch is the store's after its last movement —
// never ahead of the movements head office holds — and its figures agree with the history it shows. A product's name
// and reorder point are as they stand when the batch is made (they are not in the ledger).
import type { Database } from "bun:sqlite";
import { outboxRef, type StockMovementsPayload } from "../../sync/contracts.ts";
import { appendAllWaiting, type OutboxAppend } from "./outbox.ts";

/** Movements in one outbox item: about 150 KB of JSON, a few milliseconds of the writer's time. */
export const MOVEMENTS_PER_ITEM = 1000;

type MovementRow = {
  id: number;
  product_id: number;
  sku: string;
  name: string;
  reorder_point: number | null;
  stock_milli: number;
  qty_milli: number;
  reason: string;
  at: string;
  document: string | null;
  sale_id: string | null;
  return_id: string | null;
};

/** An instant as the contract has it (toISOString's form); the batch's time for one the ledger holds in no readable form. */
function instant(at: string, fallback: string): string {
  const t = Date.parse(at);
  return Number.isFinite(t) ? new Date(t).toISOString() : fallback;
}

/**
 * The document of one item: the movements in id order, each with the on-hand after it, worked back from the product's
 * on-hand now less the movements after the batch (on-hand is the sum of the movements, the ledger's promise).
 */
function document(rows: readonly MovementRow[], movedSince: (productId: number) => number, at: string): StockMovementsPayload {
  const onHand = new Map<number, number>();
  const products: StockMovementsPayload["products"] = [];
  for (const r of rows) {
    if (onHand.has(r.product_id)) continue;
    onHand.set(r.product_id, r.stock_milli - movedSince(r.product_id));
    products.push({ sku: r.sku, name: r.name, reorder_point_milli: r.reorder_point });
  }
  const movements: StockMovementsPayload["movements"] = new Array(rows.length);
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i]!;
    const after = onHand.get(r.product_id)!;
    onHand.set(r.product_id, after - r.qty_milli);
    // keys in the contract's order (jsonb's); the document it came with only where there is one
    movements[i] = {
      at: instant(r.at, at),
      id: r.id,
      sku: r.sku,
      reason: r.reason,
      ...(r.sale_id !== null ? { sale_id: r.sale_id } : {}),
      ...(r.document !== null ? { document: r.document } : {}),
      qty_milli: r.qty_milli,
      ...(r.return_id !== null ? { return_id: r.return_id } : {}),
      on_hand_milli: after,
    };
  }
  return { products, movements };
}

export function stockMovementBatches(db: Database, outbox: OutboxAppend, options: { perItem?: number } = {}) {
  const perItem = options.perItem ?? MOVEMENTS_PER_ITEM;
  const q = {
    cursor: db.query<{ last_id: number }, []>("SELECT last_id FROM stock_movement_cursor WHERE id = 1"),
    top: db.query<{ top: number | null }, []>("SELECT max(id) AS top FROM stock_movements"),
    next: db.query<MovementRow, [number, number]>(
      `SELECT m.id, m.product_id, p.sku, p.name, p.reorder_point, p.stock_milli, m.qty_milli, m.reason, m.at, m.document, m.sale_id, m.return_id
         FROM stock_movements m JOIN products p ON p.id = m.product_id
        WHERE m.id > ? ORDER BY m.id LIMIT ?`,
    ),
    // one probe of stock_movements_history (product_id, id) per product
    movedSince: db.query<{ moved: number }, [number, number]>(
      "SELECT coalesce(sum(qty_milli), 0) AS moved FROM stock_movements WHERE product_id = ? AND id > ?",
    ),
    advance: db.query("UPDATE stock_movement_cursor SET last_id = ? WHERE id = 1"),
  };

  /** The last movement sent, and the last written: a read, no lock taken. */
  function standing(): { sentThrough: number; top: number } {
    return { sentThrough: q.cursor.get()?.last_id ?? 0, top: q.top.get()?.top ?? 0 };
  }

  /**
   * The next movements (up to perItem) into the outbox as one item, and the cursor past them: one transaction.
   * Returns how many went in (0: none waited).
   */
  function appendNext(at: string): number {
    return db
      .transaction(() => {
        const { sentThrough, top } = standing();
        const rows = q.next.all(sentThrough, perItem);
        const last = rows.at(-1);
        if (!last) return 0;
        // the usual case, the batch reaching the ledger's end, needs no look at later movements
        const movedSince = (productId: number) => (last.id >= top ? 0 : q.movedSince.get(productId, last.id)!.moved);
        const doc = document(rows, movedSince, at);
        outbox("stock_movements", outboxRef.stock_movements(doc), doc, at);
        q.advance.run(last.id);
        return rows.length;
      })
      .immediate();
  }

  return {
    standing,
    /** Whether movements wait to be put in the outbox. */
    waiting: (): boolean => {
      const s = standing();
      return s.top > s.sentThrough;
    },
    appendNext,
    /** Everything waiting, one item after another, each its own short transaction, the event loop let go between them. */
    appendAll: (now: () => string, pause?: () => Promise<unknown>): Promise<number> => appendAllWaiting(appendNext, now, pause),
  };
}

export type StockMovementBatches = ReturnType<typeof stockMovementBatches>;
