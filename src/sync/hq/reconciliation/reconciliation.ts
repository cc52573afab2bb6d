// Does head office hold what each store says it sold? Per store and business date: the store's latest day-totals
// report against head office's own count of the sales that report covers (the store's sales before it in the outbox).

import { isCalendarDate } from "../../../domain/kernel/calendar.ts";
import type { DayReconciliation, ReconciliationStatus, SalesFigures, StoreDayReport } from "../../../views/hq/reconciliation.tsx";
import type { HqSql } from "../db/db.ts";

export type { DayReconciliation, ReconciliationStatus, SalesFigures, StoreDayReport };

export type ReconcileQuery = { from: string; to: string; storeId?: string };

/** The longest period one look may cover: a year of days for every store is already a big table. */
export const MAX_RECONCILE_DAYS = 366;

/** Whether from..to is a period reconcile takes: two business dates, in order, at most MAX_RECONCILE_DAYS apart. */
export function reconcilablePeriod(from: string, to: string): boolean {
  return isCalendarDate(from) && isCalendarDate(to) && from <= to && (Date.parse(to) - Date.parse(from)) / 86_400_000 < MAX_RECONCILE_DAYS;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Row = {
  store_id: string;
  name: string;
  business_date: string;
  held_count: number;
  held_total: number;
  epoch: string | null;
  seq: number | null;
  reported_count: number | null;
  reported_total: number | null;
  computed_at: Date | null;
  covered_count: number | null;
  covered_total: number | null;
};

/** Days from..to (both included) on which a store sold or reported; stores by name, then dates. */
export async function reconcile(sql: HqSql, q: ReconcileQuery): Promise<DayReconciliation[]> {
  for (const d of [q.from, q.to]) if (!isCalendarDate(d)) throw new RangeError(`not a business date: ${d}`);
  if (q.storeId !== undefined && !uuid.test(q.storeId)) return [];
  const only = q.storeId;
  const reportsOf = only === undefined ? sql`` : sql`AND t.store_id = ${only}::uuid`;
  const salesOf = only === undefined ? sql`` : sql`AND store_id = ${only}::uuid`;
  const rows = await sql<Row[]>`
    WITH epochs AS (
      -- How late each epoch of a store is: the current one is the latest, an old one ended when the next was accepted.
      SELECT store_id, epoch, 'infinity'::timestamptz AS ended FROM stores WHERE epoch IS NOT NULL
      UNION ALL
      SELECT store_id, old_epoch, at FROM epoch_changes
    ), report AS (
      SELECT DISTINCT ON (t.store_id, t.business_date) t.store_id, t.business_date, t.epoch, t.seq, t.sales_count,
        t.total_minor, t.computed_at
      FROM store_day_totals t
      LEFT JOIN epochs e ON e.store_id = t.store_id AND e.epoch = t.epoch
      WHERE t.business_date BETWEEN ${q.from}::date AND ${q.to}::date ${reportsOf}
      ORDER BY t.store_id, t.business_date, e.ended DESC NULLS LAST, t.seq DESC
    ), held AS (
      SELECT store_id, business_date, count(*) AS n, sum(total_minor)::int8 AS total
      FROM sales WHERE business_date BETWEEN ${q.from}::date AND ${q.to}::date ${salesOf}
      GROUP BY store_id, business_date
    ), days AS (
      SELECT store_id, business_date FROM report UNION SELECT store_id, business_date FROM held
    )
    SELECT d.store_id::text, st.name, d.business_date::text, coalesce(h.n, 0)::int8 AS held_count,
      coalesce(h.total, 0)::int8 AS held_total, r.epoch, r.seq, r.sales_count AS reported_count,
      r.total_minor AS reported_total, r.computed_at, c.n AS covered_count, c.total AS covered_total
    FROM days d
    JOIN stores st ON st.store_id = d.store_id
    LEFT JOIN held h ON h.store_id = d.store_id AND h.business_date = d.business_date
    LEFT JOIN report r ON r.store_id = d.store_id AND r.business_date = d.business_date
    -- What the report covers: the sales merged before it in its epoch, and those the store sent again before it in
    -- that epoch that head office had from an earlier one (a restored store).
    LEFT JOIN LATERAL (
      SELECT count(*) AS n, coalesce(sum(s.total_minor), 0)::int8 AS total
      FROM sales s
      WHERE s.store_id = r.store_id AND s.business_date = r.business_date
        AND ((s.epoch = r.epoch AND s.seq < r.seq)
          OR EXISTS (SELECT 1 FROM outbox_items o
                     WHERE o.store_id = s.store_id AND o.kind = 'sale' AND o.ref = s.sale_id::text AND o.status = 'duplicate'
                       AND o.epoch = r.epoch AND o.seq < r.seq))
    ) c ON r.store_id IS NOT NULL
    ORDER BY st.name, d.store_id, d.business_date`;
  return rows.map((x) => {
    const reported: StoreDayReport | null =
      x.seq === null
        ? null
        : { sales_count: x.reported_count!, total_minor: x.reported_total!, epoch: x.epoch!, as_of_seq: x.seq, computed_at: x.computed_at!.toISOString() };
    const covered = reported ? { sales_count: x.covered_count!, total_minor: x.covered_total! } : null;
    const status: ReconciliationStatus =
      !reported || !covered
        ? "not_reported"
        : reported.sales_count === covered.sales_count && reported.total_minor === covered.total_minor
          ? "match"
          : "mismatch";
    return {
      store_id: x.store_id,
      name: x.name,
      business_date: x.business_date,
      reported,
      covered,
      held: { sales_count: x.held_count, total_minor: x.held_total },
      status,
    };
  });
}
