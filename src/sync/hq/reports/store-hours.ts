// The hour rollup on each store's own clock: a store's rows in rollup_hours are in one zone (store_facts.hours_zone),
// its own once it said it, head office's until then. When that zone changes, the store's hours are made again from its
// raw sales and returns in the new zone, and the chain's rows take the difference, in the transaction that changes it:
// the rollup and the raw tables never disagree.
import type { HqSql, HqTransaction } from "../db/db.ts";
import { storeLock } from "../ingest/store-lock.ts";
import { CHAIN_ROWS } from "./queries.ts";

/** The figures of an hour's row in rollup_hours (and of a day's in rollup_days). */
export const FIGURES = [
  "baskets",
  "items_milli",
  "gross_minor",
  "discount_minor",
  "sales_minor",
  "tax_minor",
  "rounding_minor",
  "change_minor",
  "returns",
  "refund_minor",
  "refund_tax_minor",
] as const;

/**
 * Put the store's hour rollup in `zone`: its rows made again from the raw tables, the chain's rows moved by the
 * difference. Call inside a transaction holding the store's lock (storeLock), so no batch of the store merges meanwhile.
 */
export async function rebuildStoreHours(tx: HqTransaction, storeId: string, zone: string): Promise<void> {
  const cols = tx.unsafe(FIGURES.join(", "));
  const replace = tx.unsafe(FIGURES.map((f) => `${f} = excluded.${f}`).join(", "));
  const add = tx.unsafe(FIGURES.map((f) => `${f} = t.${f} + excluded.${f}`).join(", "));
  const sums = tx.unsafe(FIGURES.map((f) => `sum(${f}) AS ${f}`).join(", "));
  const negated = tx.unsafe(FIGURES.map((f) => `-${f}`).join(", "));
  const changed = tx.unsafe(FIGURES.map((f) => `sum(${f}) <> 0`).join(" OR "));
  await tx`
    WITH fresh AS MATERIALIZED (
      SELECT business_date AS business_day, date_trunc('hour', at AT TIME ZONE ${zone}::text) AS hour, sum(baskets) AS baskets,
        sum(items) AS items_milli, sum(gross) AS gross_minor, sum(discount) AS discount_minor, sum(total) AS sales_minor,
        sum(tax) AS tax_minor, sum(rounding) AS rounding_minor, sum(change) AS change_minor, sum(returns) AS returns,
        sum(refund) AS refund_minor, sum(rtax) AS refund_tax_minor
      FROM (
        SELECT s.business_date, s.completed_at AS at, 1 AS baskets,
          coalesce((SELECT sum(l.qty_milli) FROM sale_lines l
            WHERE l.store_id = s.store_id AND l.sale_id = s.sale_id AND l.business_date = s.business_date), 0) AS items,
          s.subtotal_minor AS gross, s.discount_minor AS discount, s.total_minor AS total, s.tax_minor AS tax,
          s.rounding_minor AS rounding, s.change_minor AS change, 0 AS returns, 0 AS refund, 0 AS rtax
        FROM sales s WHERE s.store_id = ${storeId}::uuid
        UNION ALL
        SELECT business_date, returned_at, 0, 0, 0, 0, 0, 0, 0, 0, 1, total_minor, tax_minor FROM hq_returns WHERE store_id = ${storeId}::uuid
      ) x GROUP BY 1, 2
    ), old AS MATERIALIZED (
      SELECT business_day, hour, ${cols} FROM rollup_hours WHERE store_id = ${storeId}::uuid
    ), gone AS (
      DELETE FROM rollup_hours t WHERE t.store_id = ${storeId}::uuid
        AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.business_day = t.business_day AND f.hour = t.hour)
    ), put AS (
      INSERT INTO rollup_hours (store_id, business_day, hour, ${cols})
      SELECT ${storeId}::uuid, business_day, hour, ${cols} FROM fresh
      ON CONFLICT (store_id, business_day, hour) DO UPDATE SET ${replace}
    ), delta AS (
      SELECT business_day, hour, ${sums} FROM (
        SELECT business_day, hour, ${cols} FROM fresh UNION ALL SELECT business_day, hour, ${negated} FROM old
      ) d GROUP BY business_day, hour HAVING ${changed}
    )
    INSERT INTO rollup_hours AS t (store_id, business_day, hour, ${cols})
    SELECT ${CHAIN_ROWS}::uuid, business_day, hour, ${cols} FROM delta
    -- in key order, as hq_receive_batch takes the chain's rows: two stores never wait on each other in a circle
    ORDER BY business_day, hour
    ON CONFLICT (store_id, business_day, hour) DO UPDATE SET ${add}`;
  // an hour of the chain nobody sold or took back in any more (its only store moved away from it) is no row at all
  await tx`DELETE FROM rollup_hours WHERE store_id = ${CHAIN_ROWS}::uuid AND ${tx.unsafe(FIGURES.map((f) => `${f} = 0`).join(" AND "))}
    AND business_day IN (SELECT business_day FROM rollup_days WHERE store_id = ${storeId}::uuid)`;
  await tx`INSERT INTO store_facts (store_id, hours_zone) VALUES (${storeId}::uuid, ${zone})
    ON CONFLICT (store_id) DO UPDATE SET hours_zone = excluded.hours_zone`;
}

/**
 * Head office starts on `zone` (hq --time-zone): kept as the zone of stores that have not said theirs, and the hours
 * of each such store kept in another made again in it, one store per transaction (a restart finishes what a crash left).
 */
export async function adoptHeadOfficeZone(sql: HqSql, zone: string): Promise<number> {
  await sql`UPDATE hq_clock SET time_zone = ${zone} WHERE time_zone <> ${zone}`;
  const stale = await sql<{ store_id: string }[]>`
    SELECT f.store_id::text FROM store_facts f WHERE f.time_zone IS NULL AND f.hours_zone <> ${zone} ORDER BY f.store_id`;
  for (const { store_id } of stale) {
    await sql.begin(async (tx) => {
      await storeLock(tx, store_id);
      const [still] = await tx`SELECT 1 FROM store_facts WHERE store_id = ${store_id}::uuid AND time_zone IS NULL AND hours_zone <> ${zone}`;
      if (still) await rebuildStoreHours(tx, store_id, zone);
    });
  }
  return stale.length;
}
