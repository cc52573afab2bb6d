// Does head office hold what each store says it sold and refunded? Per store and business date: the store's latest
// day-totals report against head office's own count of the sales and returns that report covers (the store's items
// before it in the outbox). A store that reports no refund figures (one from before returns) is compared on sales.
// Never "match" where head office cannot know: a day without the store's total is "not reported", and the days a store
// may have sold on while its sales cannot arrive (its database refused, its batches or token refused) are "unknown".

import { isCalendarDate } from "../../../domain/kernel/calendar.ts";
import type { DayReconciliation, ReconciledFigure, ReconciliationStatus, SalesFigures, StoreDayReport } from "../../../views/hq/reconciliation.tsx";
import type { HqSql } from "../db/db.ts";

export type { DayReconciliation, ReconciledFigure, ReconciliationStatus, SalesFigures, StoreDayReport };

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
  held_returns: number;
  held_refund: number;
  epoch: string | null;
  seq: number | null;
  reported_count: number | null;
  reported_total: number | null;
  reported_returns: number | null;
  reported_refund: number | null;
  computed_at: Date | null;
  covered_count: number | null;
  covered_total: number | null;
  covered_returns: number | null;
  covered_refund: number | null;
  /** Set when the store's sales cannot arrive: the first business date that may hold sales head office cannot have. */
  stuck_since: string | null;
  restored_epoch: string | null;
  restored_epoch_at: Date | null;
  sales_blocked_at: Date | null;
  last_error: string | null;
};

/** The figures a report states that head office's covered ones do not equal; a figure the store did not send is skipped. */
export function differences(reported: StoreDayReport, covered: SalesFigures): ReconciledFigure[] {
  const figures: ReconciledFigure[] = ["sales_count", "total_minor", "returns_count", "refund_minor"];
  return figures.filter((f) => reported[f] !== null && reported[f] !== covered[f]);
}

/** Days from..to (both included) on which a store sold or reported; stores by name, then dates. */
export async function reconcile(sql: HqSql, q: ReconcileQuery): Promise<DayReconciliation[]> {
  for (const d of [q.from, q.to]) if (!isCalendarDate(d)) throw new RangeError(`not a business date: ${d}`);
  if (q.storeId !== undefined && !uuid.test(q.storeId)) return [];
  const only = q.storeId;
  const reportsOf = only === undefined ? sql`` : sql`AND t.store_id = ${only}::uuid`;
  // a fragment per use: each carries its own parameter
  const heldOf = () => (only === undefined ? sql`` : sql`AND store_id = ${only}::uuid`);
  const rows = await sql<Row[]>`
    WITH epochs AS (
      -- How late each epoch of a store is: the current one is the latest, an old one ended when the next was accepted.
      SELECT store_id, epoch, 'infinity'::timestamptz AS ended FROM stores WHERE epoch IS NOT NULL
      UNION ALL
      SELECT store_id, old_epoch, at FROM epoch_changes
    ), report AS (
      SELECT DISTINCT ON (t.store_id, t.business_date) t.store_id, t.business_date, t.epoch, t.seq, t.sales_count,
        t.total_minor, t.returns_count, t.refund_minor, t.computed_at
      FROM store_day_totals t
      LEFT JOIN epochs e ON e.store_id = t.store_id AND e.epoch = t.epoch
      WHERE t.business_date BETWEEN ${q.from}::date AND ${q.to}::date ${reportsOf}
      ORDER BY t.store_id, t.business_date, e.ended DESC NULLS LAST, t.seq DESC
    ), held AS (
      -- what head office holds, from the day rollup kept with the raw rows (migration 021) rather than the raw rows
      SELECT store_id, business_day AS business_date, baskets AS n, sales_minor AS total, returns, refund_minor
      FROM rollup_days WHERE business_day BETWEEN ${q.from}::date AND ${q.to}::date ${heldOf()} AND (baskets > 0 OR returns > 0)
    ), stuck AS (
      -- Stores whose sales cannot arrive: a database head office refuses (restored, or another machine), or batches or
      -- a token refused since. What that database sold since cannot be here, from the day before it was refused (a
      -- store's calendar day is at most a day from UTC's) or the last day head office holds of the current epoch,
      -- whichever is earlier: older days it only holds again, as copies of what head office has.
      SELECT st.store_id, st.restored_epoch, st.restored_epoch_at, st.sales_blocked_at, st.last_error,
        least((least(st.restored_epoch_at, st.sales_blocked_at) AT TIME ZONE 'UTC')::date - 1,
          (SELECT max(s.business_date) FROM sales s WHERE s.store_id = st.store_id AND s.epoch = st.epoch)) AS since
      FROM stores st
      WHERE (st.restored_epoch IS NOT NULL OR st.sales_blocked_at IS NOT NULL) ${heldOf()}
    ), days AS (
      SELECT store_id, business_date FROM report UNION SELECT store_id, business_date FROM held
    )
    SELECT d.store_id::text, st.name, d.business_date::text, coalesce(h.n, 0)::int8 AS held_count,
      coalesce(h.total, 0)::int8 AS held_total, coalesce(h.returns, 0)::int8 AS held_returns,
      coalesce(h.refund_minor, 0)::int8 AS held_refund, r.epoch, r.seq, r.sales_count AS reported_count,
      r.total_minor AS reported_total, r.returns_count AS reported_returns, r.refund_minor AS reported_refund, r.computed_at,
      c.n AS covered_count, c.total AS covered_total, cr.n AS covered_returns, cr.total AS covered_refund,
      k.since::text AS stuck_since, k.restored_epoch, k.restored_epoch_at, k.sales_blocked_at, k.last_error
    FROM days d
    JOIN stores st ON st.store_id = d.store_id
    LEFT JOIN stuck k ON k.store_id = d.store_id
    LEFT JOIN held h ON h.store_id = d.store_id AND h.business_date = d.business_date
    LEFT JOIN report r ON r.store_id = d.store_id AND r.business_date = d.business_date
    -- What the report covers: the sales merged before it in its epoch, and those the store sent again before it in
    -- that epoch that head office had from an earlier one (a restored store).
    -- The period again, beside the report's own day: PostgreSQL then plans for its month's partitions alone.
    LEFT JOIN LATERAL (
      SELECT count(*) AS n, coalesce(sum(s.total_minor), 0)::int8 AS total
      FROM sales s
      WHERE s.store_id = r.store_id AND s.business_date = r.business_date AND s.business_date BETWEEN ${q.from}::date AND ${q.to}::date
        AND ((s.epoch = r.epoch AND s.seq < r.seq)
          OR EXISTS (SELECT 1 FROM outbox_items o
                     WHERE o.store_id = s.store_id AND o.kind = 'sale' AND o.ref = s.sale_id::text AND o.status = 'duplicate'
                       AND o.epoch = r.epoch AND o.seq < r.seq))
    ) c ON r.store_id IS NOT NULL
    -- The same for returns.
    LEFT JOIN LATERAL (
      SELECT count(*) AS n, coalesce(sum(x.total_minor), 0)::int8 AS total
      FROM hq_returns x
      WHERE x.store_id = r.store_id AND x.business_date = r.business_date AND x.business_date BETWEEN ${q.from}::date AND ${q.to}::date
        AND ((x.epoch = r.epoch AND x.seq < r.seq)
          OR EXISTS (SELECT 1 FROM outbox_items o
                     WHERE o.store_id = x.store_id AND o.kind = 'return' AND o.ref = x.return_id::text AND o.status = 'duplicate'
                       AND o.epoch = r.epoch AND o.seq < r.seq))
    ) cr ON r.store_id IS NOT NULL
    ORDER BY st.name, d.store_id, d.business_date`;
  return rows.map((x) => {
    const reported: StoreDayReport | null =
      x.seq === null
        ? null
        : {
            sales_count: x.reported_count!,
            total_minor: x.reported_total!,
            returns_count: x.reported_returns,
            refund_minor: x.reported_refund,
            epoch: x.epoch!,
            as_of_seq: x.seq,
            computed_at: x.computed_at!.toISOString(),
          };
    const covered: SalesFigures | null = reported
      ? { sales_count: x.covered_count!, total_minor: x.covered_total!, returns_count: x.covered_returns!, refund_minor: x.covered_refund! }
      : null;
    const stuck = x.stuck_since !== null && x.business_date >= x.stuck_since;
    const differs = reported && covered && !stuck ? differences(reported, covered) : [];
    const status: ReconciliationStatus = stuck ? "unknown" : !reported || !covered ? "not_reported" : differs.length === 0 ? "match" : "mismatch";
    return {
      store_id: x.store_id,
      name: x.name,
      business_date: x.business_date,
      reported,
      covered,
      held: { sales_count: x.held_count, total_minor: x.held_total, returns_count: x.held_returns, refund_minor: x.held_refund },
      differs,
      status,
      reason: stuck ? stuckReason(x) : status === "not_reported" ? NOT_REPORTED : null,
    };
  });
}

const NOT_REPORTED = "No store total yet: the store has not sent its own totals of this day, so there is nothing to compare.";

const utcMinute = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** Why a day cannot be compared while the store's sales cannot arrive, in words a person at head office can act on. */
function stuckReason(x: Row): string {
  if (x.restored_epoch !== null || x.sales_blocked_at === null) {
    const since = x.restored_epoch_at ? `since ${utcMinute(x.restored_epoch_at)} ` : "";
    return `Cannot compare: ${since}head office refuses the database this store now sends from (restored, or another machine), so what it sold since cannot arrive. Decide on that database on the store's page first.`;
  }
  const why = x.last_error ? ` (${x.last_error.replace(/\.$/, "")})` : "";
  return `Cannot compare: head office refuses this store's batches since ${utcMinute(x.sales_blocked_at)}${why}, so what it sold since cannot arrive.`;
}
