// What head office's /metrics reads from PostgreSQL at each scrape: two statements whatever the number of stores — the
// chain's totals, and one row per store with every per-store figure (index probes of the store's own rows, no scan).
import type postgres from "postgres";
import type { HqSql } from "../db/db.ts";
import { storeLag } from "../stores/contact.ts";

/** The rollups' row of every store together (migration 021): the chain's figures without summing per store. */
const CHAIN = "00000000-0000-0000-0000-000000000000";

export type ChainFigures = {
  /** Completed sales merged since head office began: the chain's baskets in the hourly rollup. */
  sales: number;
  /** The newest published catalog release, 0 before the first. */
  catalogVersion: number;
};

/** Ages are seconds, null when there is nothing to be old (never heard from, no sale, no backup). */
export type StoreFigures = {
  store_id: string;
  name: string;
  catalog_version: number | null;
  contact_age: number | null;
  batch_age: number | null;
  sale_age: number | null;
  /** Seconds head office is behind the store, as the dashboard counts it (stores/contact.ts). */
  lag: number | null;
  items_waiting: number | null;
  dead_letters: number;
  journal_broken: boolean | null;
  backup_age: number | null;
};

export async function chainFigures(sql: HqSql): Promise<ChainFigures> {
  const [row] = await sql<{ sales: number; version: number }[]>`
    SELECT (SELECT coalesce(sum(baskets), 0) FROM rollup_hours WHERE store_id = ${CHAIN}::uuid)::int8 AS sales,
      (SELECT coalesce(max(version), 0) FROM catalog_releases)::int8 AS version`;
  return { sales: row!.sales, catalogVersion: row!.version };
}

/**
 * Every store the chain runs (a retired one is history, not a store to watch). Each figure is of the store's current
 * database (epoch): the last item received is the one at last_seq; the newest sale the one of the highest sequence
 * number (the outbox numbers sales as they complete), looked for from a week before the store's latest business day with
 * sales (its day rollup), so only that month's partition is read (PostgreSQL prunes the others as the query runs) —
 * not one probe per month of history per store.
 */
export function storeFigures(sql: HqSql): Promise<StoreFigures[]> {
  const age = (at: postgres.Fragment) => sql`extract(epoch FROM now() - (${at}))::float8`;
  return sql<StoreFigures[]>`
    SELECT st.store_id::text, st.name, st.catalog_version,
      ${age(sql`st.last_contact_at`)} AS contact_age,
      ${age(sql`SELECT o.received_at FROM outbox_items o WHERE o.store_id = st.store_id AND o.epoch = st.epoch AND o.seq = st.last_seq`)} AS batch_age,
      ${age(sql`SELECT s.completed_at FROM sales s WHERE s.store_id = st.store_id AND s.epoch = st.epoch
        AND s.business_date >= (SELECT max(r.business_day) - 7 FROM rollup_days r WHERE r.store_id = st.store_id AND r.baskets > 0)
        ORDER BY s.seq DESC LIMIT 1`)} AS sale_age,
      ${storeLag(sql)} AS lag,
      CASE WHEN st.outbox_top IS NOT NULL THEN greatest(st.outbox_top - st.last_seq, 0) END::int8 AS items_waiting,
      (SELECT count(*) FROM dead_letters d WHERE d.store_id = st.store_id)::int8 AS dead_letters,
      (SELECT j.broken_seq IS NOT NULL FROM store_journal_state j WHERE j.store_id = st.store_id AND j.epoch = st.epoch) AS journal_broken,
      ${age(sql`SELECT max(coalesce(b.taken_at, b.received_at)) FROM store_backups b WHERE b.store_id = st.store_id AND b.complete`)} AS backup_age
    FROM stores st
    WHERE st.retired_at IS NULL
    ORDER BY st.store_id`;
}
