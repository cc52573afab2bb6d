// The low-stock alerts as the trigger of migration 022 writes them (low_stock_events), read after the last one seen,
// each with the product's name and how many products are low now (the badge's count). Reading only, except `prune`.
import type { Database } from "bun:sqlite";

export type LowStockAlert = {
  /** The event's id: the SSE id a browser sends back as Last-Event-ID after a reconnect. */
  id: number;
  productId: number;
  name: string;
  weighed: boolean;
  onHandMilli: number;
  reorderPointMilli: number;
  at: string;
  /** Products at or under their reorder point right after this was read: the back office's badge. */
  lowCount: number;
};

/** How many alerts a reconnecting browser is told again at most; the badge's count is right whatever it missed. */
export const REPLAY_LIMIT = 50;
/** The alerts kept for replays; older ones are pruned. */
export const KEPT_EVENTS = 1000;

type Row = { id: number; product_id: number; name: string | null; weighed: number | null; on_hand_milli: number; reorder_point: number; at: string };

export function lowStockFeed(db: Database) {
  const q = {
    after: db.query<Row, [number, number]>(
      `SELECT e.id, e.product_id, p.name, p.weighed, e.on_hand_milli, e.reorder_point, e.at
         FROM low_stock_events e LEFT JOIN products p ON p.id = e.product_id
        WHERE e.id > ? ORDER BY e.id LIMIT ?`,
    ),
    last: db.query<{ id: number | null }, []>("SELECT max(id) AS id FROM low_stock_events"),
    // the same partial index /stock/low reads: as many entries as products are low, never the whole catalog
    lowCount: db.query<{ n: number }, []>(
      "SELECT count(*) AS n FROM products INDEXED BY products_low_stock WHERE reorder_point IS NOT NULL AND stock_milli <= reorder_point",
    ),
    prune: db.query("DELETE FROM low_stock_events WHERE id <= ?"),
  };

  function alerts(rows: Row[]): LowStockAlert[] {
    if (rows.length === 0) return [];
    const lowCount = q.lowCount.get()!.n;
    // a product removed since has nothing to say
    return rows
      .filter((r) => r.name !== null)
      .map((r) => ({
        id: r.id,
        productId: r.product_id,
        name: r.name!,
        weighed: r.weighed === 1,
        onHandMilli: r.on_hand_milli,
        reorderPointMilli: r.reorder_point,
        at: r.at,
        lowCount,
      }));
  }

  return {
    /** The newest alert's id (0: none yet): where a store that starts now begins, so nothing old is said again. */
    lastId: (): number => q.last.get()?.id ?? 0,
    /** The alerts after `id`, oldest first, at most `limit`; and the id to read after next time. */
    after(id: number, limit = 500): { alerts: LowStockAlert[]; lastId: number } {
      const rows = q.after.all(id, limit);
      return { alerts: alerts(rows), lastId: rows.at(-1)?.id ?? id };
    },
    /** How many products are at or under their reorder point now. */
    lowCount: (): number => q.lowCount.get()!.n,
    /** Forget the alerts older than the newest KEPT_EVENTS (a write: outside any other transaction). */
    prune(): number {
      const last = q.last.get()?.id ?? 0;
      return last > KEPT_EVENTS ? q.prune.run(last - KEPT_EVENTS).changes : 0;
    },
  };
}

export type LowStockFeed = ReturnType<typeof lowStockFeed>;
