// Loss prevention's counts per cashier over a period, each from where the shop writes it down: voids from the sales'
// own events (every line taken off, approved or not), returns from the returns table, and the rest from the audit log,
// so each count links to exactly the audit rows behind it.
import type { Database } from "bun:sqlite";
import type { CashierCounts, LossMeasure } from "../../domain/reports/loss-prevention.ts";

/** The audit action each measure's rows carry (the audit page's filter), or where else it is found. */
export const measureSources: Record<LossMeasure, { audit: string } | { voids: true }> = {
  voids: { voids: true },
  removedAfterPayment: { audit: "sale.line_removed_after_payment" },
  cancelled: { audit: "sale.cancelled" },
  noSales: { audit: "drawer.no_sale" },
  priceOverrides: { audit: "sale.price_overridden" },
  discounts: { audit: "sale.discount" },
  refunds: { audit: "return.completed" },
  noReceiptReturns: { audit: "return.completed" },
};

const auditMeasures: [string, LossMeasure][] = [
  ["sale.line_removed_after_payment", "removedAfterPayment"],
  ["sale.cancelled", "cancelled"],
  ["drawer.no_sale", "noSales"],
  ["sale.price_overridden", "priceOverrides"],
  ["sale.discount", "discounts"],
];

/** One line taken off a sale, for the list behind a cashier's voids. */
export type VoidRow = { at: string; saleId: string; status: string; receiptNumber: string | null; register: string; item: string };

const zero = (): Record<LossMeasure, number> => ({
  voids: 0,
  removedAfterPayment: 0,
  cancelled: 0,
  noSales: 0,
  priceOverrides: 0,
  discounts: 0,
  refunds: 0,
  noReceiptReturns: 0,
});

export function lossPreventionQueries(db: Database) {
  const q = {
    // person by person along the index: no sort of the period's sales
    sales: db.query<{ user_id: number; n: number }, [string, string]>(
      `SELECT u.id AS user_id, (SELECT count(*) FROM sales s INDEXED BY sales_completed_cashier
         WHERE s.cashier_id = u.id AND s.status = 'completed' AND s.completed_at >= ?1 AND s.completed_at < ?2) AS n FROM users u`,
    ),
    // the sale's cashier: who finished or cancelled it (a sale still open or parked has none yet, and waits)
    voids: db.query<{ user_id: number; n: number }, [string, string]>(
      `SELECT s.cashier_id AS user_id, count(*) AS n FROM sale_events e JOIN sales s ON s.id = e.sale_id
       WHERE e.type = 'ItemRemoved' AND e.at >= ? AND e.at < ? AND s.cashier_id IS NOT NULL GROUP BY s.cashier_id`,
    ),
    audit: db.query<{ user_id: number; action: string; n: number }, [string, string]>(
      `SELECT user_id, action, count(*) AS n FROM audit_log WHERE at >= ? AND at < ? AND user_id IS NOT NULL
       AND action IN (${auditMeasures.map(([a]) => `'${a}'`).join(", ")}) GROUP BY user_id, action`,
    ),
    // no receipt: neither this store's sale nor another store's
    returns: db.query<{ user_id: number; n: number; blind: number }, [string, string]>(
      `SELECT cashier_id AS user_id, count(*) AS n, sum(sale_id IS NULL AND origin_sale_id IS NULL) AS blind FROM returns
       WHERE at >= ? AND at < ? AND cashier_id IS NOT NULL GROUP BY cashier_id`,
    ),
    names: db.query<{ id: number; name: string }, []>("SELECT id, name FROM users"),
    name: db.query<{ name: string }, [number]>("SELECT name FROM users WHERE id = ?"),
    voidList: db.query<
      { at: string; sale_id: string; status: string; receipt_number: string | null; register: string; item: string | null },
      [number, string, string]
    >(
      `SELECT e.at, e.sale_id, s.status, s.receipt_number, r.name AS register,
         (SELECT json_extract(a.data, '$.line.name') FROM sale_events a WHERE a.sale_id = e.sale_id AND a.type = 'ItemAdded'
           AND json_extract(a.data, '$.line.lineId') = json_extract(e.data, '$.lineId')) AS item
       FROM sale_events e JOIN sales s ON s.id = e.sale_id JOIN registers r ON r.id = s.register_id
       WHERE e.type = 'ItemRemoved' AND s.cashier_id = ? AND e.at >= ? AND e.at < ? ORDER BY e.at DESC LIMIT 1000`,
    ),
  };

  return {
    /** Every person with a sale or one of the counted events in [start, end), with their counts. */
    counts(start: string, end: string): CashierCounts[] {
      const names = new Map(q.names.all().map((u) => [u.id, u.name]));
      const byUser = new Map<number, CashierCounts>();
      const of = (id: number) => {
        let c = byUser.get(id);
        if (!c) {
          c = { userId: id, name: names.get(id) ?? `User ${id}`, sales: 0, counts: zero() };
          byUser.set(id, c);
        }
        return c;
      };
      for (const r of q.sales.all(start, end)) if (r.n > 0) of(r.user_id).sales = r.n;
      for (const r of q.voids.all(start, end)) of(r.user_id).counts.voids = r.n;
      const measureOf = new Map(auditMeasures);
      for (const r of q.audit.all(start, end)) of(r.user_id).counts[measureOf.get(r.action)!] += r.n;
      for (const r of q.returns.all(start, end)) {
        const c = of(r.user_id);
        c.counts.refunds = r.n;
        c.counts.noReceiptReturns = r.blind;
      }
      return [...byUser.values()];
    },
    /** The lines one person took off sales in [start, end), newest first (at most 1,000). */
    voids(userId: number, start: string, end: string): VoidRow[] {
      return q.voidList.all(userId, start, end).map((r) => ({
        at: r.at,
        saleId: r.sale_id,
        status: r.status,
        receiptNumber: r.receipt_number,
        register: r.register,
        item: r.item ?? "(unknown item)",
      }));
    },
    userName: (id: number): string | null => q.name.get(id)?.name ?? null,
  };
}

export type LossPreventionQueries = ReturnType<typeof lossPreventionQueries>;
