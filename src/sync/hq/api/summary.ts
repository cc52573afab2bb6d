// Head office's figures per store, the same as the store's own /api/v1/summary so anyone can reconcile the two: gross
// sales, what returns refunded, and net (gross less refunds).

import { Hono } from "hono";
import { isCalendarDate } from "../../../domain/kernel/calendar.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import type { SalesSummary as Summary } from "../../contracts.ts";
import type { HqSql } from "../db/db.ts";
import type { HqEnv } from "../people/guard.ts";
import { onlySeenStore, type StoreFilter, storeFilterOf, storesIn } from "../people/store-filter.ts";
import { storeLag } from "../stores/contact.ts";

/** Business dates YYYY-MM-DD, both ends included; null is open-ended. */
export type HqPeriod = { from: string | null; to: string | null };

/**
 * What a store's returns gave back in a period, beside its sales. `refund_minor` is the goods' value refunded (a
 * return's total; cash rounding apart, as a sale's total_minor leaves it apart), `net_minor` is total_minor less it.
 */
export type RefundFigures = { returns_count: number; refund_minor: number; net_minor: number };

/** The store's own summary figures (so anyone can reconcile), with what head office knows of the link. */
export type HqSummary = Summary &
  RefundFigures & {
    /** Cash rounding on the cash the returns gave back: refunds_by_method adds up to refund_minor + this. */
    refund_rounding_minor: number;
    /** What the returns gave back with each tender. */
    refunds_by_method: Record<string, number>;
    store_id: string;
    /** Every outbox item of the store up to here is on record at head office. */
    last_seq: number;
    /**
     * Seconds head office is behind the store: 0 when nothing waited there at its last exchange, else since its oldest
     * waiting item was made (stores/contact.ts); null if never heard from.
     */
    lag: number | null;
    /** Items the store said it holds that head office has not acknowledged yet, as of its last batch; null if never said. */
    items_waiting: number | null;
  };

export type DaySales = { business_date: string; store_id: string; name: string; sales_count: number; total_minor: number } & RefundFigures;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A day of the calendar (2026-02-30 is none) that PostgreSQL's date takes. */

function range(sql: HqSql, p: HqPeriod) {
  const from = p.from === null ? sql`` : sql`AND business_date >= ${p.from}::date`;
  const to = p.to === null ? sql`` : sql`AND business_date <= ${p.to}::date`;
  return sql`${from} ${to}`;
}

/** A store's figures for a period, or null when head office does not know the store. */
export async function storeSummary(sql: HqSql, storeId: string, period: HqPeriod): Promise<HqSummary | null> {
  if (!uuid.test(storeId)) return null;
  for (const d of [period.from, period.to]) {
    if (d !== null && !isCalendarDate(d)) throw new RangeError(`not a business date: ${d}`);
  }
  const [store] = await sql<{ store_id: string; last_seq: number; lag: number | null; items_waiting: number | null }[]>`
    SELECT store_id::text, last_seq, ${storeLag(sql)} AS lag,
      CASE WHEN outbox_top IS NOT NULL THEN greatest(outbox_top - last_seq, 0) END AS items_waiting
    FROM stores st WHERE store_id = ${storeId}::uuid`;
  if (!store) return null;
  const w = range(sql, period);
  const [t] = await sql<{ n: number; total: number; tax: number; discount: number; rounding: number; change: number }[]>`
    SELECT count(*) AS n, coalesce(sum(total_minor), 0)::int8 AS total, coalesce(sum(tax_minor), 0)::int8 AS tax,
      coalesce(sum(discount_minor), 0)::int8 AS discount, coalesce(sum(rounding_minor), 0)::int8 AS rounding,
      coalesce(sum(change_minor), 0)::int8 AS change
    FROM sales WHERE store_id = ${storeId}::uuid ${w}`;
  const methods = await sql<{ method: string; amount: number }[]>`
    SELECT method, sum(amount_minor)::int8 AS amount FROM sale_payments
    WHERE store_id = ${storeId}::uuid ${w} GROUP BY method ORDER BY method`;
  const byMethod: Record<string, number> = {};
  for (const m of methods) byMethod[m.method] = m.amount;
  // As at the store: change goes back in cash, so the drawer keeps cash tendered less change.
  if (byMethod.cash !== undefined) byMethod.cash -= t!.change;
  const [r] = await sql<{ n: number; total: number; rounding: number }[]>`
    SELECT count(*) AS n, coalesce(sum(total_minor), 0)::int8 AS total, coalesce(sum(rounding_minor), 0)::int8 AS rounding
    FROM hq_returns WHERE store_id = ${storeId}::uuid ${w}`;
  const refundMethods = await sql<{ method: string; amount: number }[]>`
    SELECT method, sum(amount_minor)::int8 AS amount FROM hq_return_refunds
    WHERE store_id = ${storeId}::uuid ${w} GROUP BY method ORDER BY method`;
  const refundsByMethod: Record<string, number> = {};
  for (const m of refundMethods) refundsByMethod[m.method] = m.amount;
  return {
    store_id: store.store_id,
    from: period.from,
    to: period.to,
    sales_count: t!.n,
    total_minor: t!.total,
    tax_minor: t!.tax,
    discount_minor: t!.discount,
    rounding_minor: t!.rounding,
    by_method: byMethod,
    returns_count: r!.n,
    refund_minor: r!.total,
    net_minor: t!.total - r!.total,
    refund_rounding_minor: r!.rounding,
    refunds_by_method: refundsByMethod,
    last_seq: store.last_seq,
    lag: store.lag,
    items_waiting: store.items_waiting,
  };
}

/**
 * Sales (gross), returns (refunded) and net per business day and store, days from..to included; days with neither
 * sales nor returns are left out. Read from the day rollup (migration 021), which the statement merging a batch keeps
 * with the raw rows: a few thousand rows for a fortnight of the chain, where the raw tables hold hundreds of thousands.
 */
export async function salesByDayAndStore(sql: HqSql, from: string, to: string): Promise<DaySales[]> {
  return sql<DaySales[]>`
    SELECT r.business_day::text AS business_date, r.store_id::text AS store_id, st.name, r.baskets AS sales_count,
      r.sales_minor AS total_minor, r.returns AS returns_count, r.refund_minor, (r.sales_minor - r.refund_minor)::int8 AS net_minor
    FROM rollup_days r
    JOIN stores st ON st.store_id = r.store_id
    WHERE r.business_day BETWEEN ${from}::date AND ${to}::date AND (r.baskets > 0 OR r.returns > 0)
    ORDER BY r.business_day DESC, st.name, r.store_id`;
}

/** A store's sales and refund figures for a period, with the state of its link: one row of GET /api/v1/stores. */
export type StoreFigures = {
  id: string;
  name: string;
  sales_count: number;
  total_minor: number;
  returns_count: number;
  refund_minor: number;
  net_minor: number;
  last_seq: number;
  lag: number | null;
  items_waiting: number | null;
  last_contact_at: string | null;
  restored_epoch_reported: boolean;
};

/** Every store (of those in `seen`: null is every store) with the same sales, refund and net figures its own summary gives for the period. */
export async function storesOverview(sql: HqSql, period: HqPeriod, seen: StoreFilter = null): Promise<StoreFigures[]> {
  for (const d of [period.from, period.to]) {
    if (d !== null && !isCalendarDate(d)) throw new RangeError(`not a business date: ${d}`);
  }
  const rows = await sql<(Omit<StoreFigures, "last_contact_at"> & { last_contact_at: Date | null })[]>`
    SELECT st.store_id::text AS id, st.name, coalesce(t.n, 0)::int8 AS sales_count, coalesce(t.total, 0)::int8 AS total_minor,
      coalesce(r.n, 0)::int8 AS returns_count, coalesce(r.total, 0)::int8 AS refund_minor,
      (coalesce(t.total, 0) - coalesce(r.total, 0))::int8 AS net_minor, st.last_seq, ${storeLag(sql)} AS lag,
      CASE WHEN st.outbox_top IS NOT NULL THEN greatest(st.outbox_top - st.last_seq, 0) END AS items_waiting, st.last_contact_at,
      st.restored_epoch IS NOT NULL AS restored_epoch_reported
    FROM stores st
    LEFT JOIN (SELECT store_id, count(*) AS n, sum(total_minor) AS total FROM sales WHERE true ${range(sql, period)} GROUP BY store_id) t
      ON t.store_id = st.store_id
    LEFT JOIN (SELECT store_id, count(*) AS n, sum(total_minor) AS total FROM hq_returns WHERE true ${range(sql, period)} GROUP BY store_id) r
      ON r.store_id = st.store_id
    WHERE true ${storesIn(sql, seen, "st.store_id")}
    ORDER BY st.name, st.store_id`;
  return rows.map((r) => ({ ...r, last_contact_at: r.last_contact_at?.toISOString() ?? null }));
}

function dateParam(name: string, value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  if (!isCalendarDate(value)) {
    throw new Problem("invalid_period", `${name} must be a business date (2026-11-25).`, { [name]: value.slice(0, 64) });
  }
  return value;
}

/** ?from=&to= as business dates, both optional; 400 invalid_period otherwise. */
export function periodOf(query: (name: string) => string | undefined): HqPeriod {
  const from = dateParam("from", query("from"));
  const to = dateParam("to", query("to"));
  if (from !== null && to !== null && from > to) throw new Problem("invalid_period", "from must not be after to.", { from, to });
  return { from, to };
}

/**
 * GET /api/v1/stores?from=&to= — every store with its figures; GET /api/v1/stores/:id/summary?from=&to= — one store's.
 * Without from and to, everything head office holds. A token limited to some stores lists only those, and finds no other.
 */
export function hqApiRoutes(sql: HqSql) {
  const app = new Hono<HqEnv>();
  app.use("/stores/:id/*", onlySeenStore);
  app.get("/stores", async (c) =>
    c.json({
      data: await storesOverview(
        sql,
        periodOf((n) => c.req.query(n)),
        storeFilterOf(c),
      ),
    }),
  );
  app.get("/stores/:id/summary", async (c) => {
    const id = c.req.param("id");
    const period = periodOf((n) => c.req.query(n));
    const summary = uuid.test(id) ? await storeSummary(sql, id, period) : null;
    if (!summary) throw new Problem("store_not_found", "This store is not registered at head office.");
    return c.json(summary);
  });
  return app;
}
