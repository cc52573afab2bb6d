// What a store's page shows: its link (last contact, lag, what waits, last error), its catalog (applied, pending, the
// chain's latest), its last days of sales and refunds, its reconciliation and open dead letters (read by the same
// code as their own pages), whether it is retired and its token rotated, and whose server it is: the bound
// installation, clones, and a reported restored database with what it would bring and whether the epoch head office
// follows is still live.
import { businessDate } from "../../../domain/kernel/calendar.ts";
import type { StoreDaySalesView, StoreFactsView, StorePageView } from "../../../views/hq/store-page.tsx";
import type { HqSql } from "../db/db.ts";
import { LIST_LIMIT, listDeadLetters } from "../dead-letters/dead-letters.ts";
import { explainReason } from "../dead-letters/explain.ts";
import { journalStandings } from "../journal/chain.ts";
import { journalKeysOf } from "../journal/signatures.ts";
import { reconcile } from "../reconciliation/reconciliation.ts";
import { contactColumns } from "./contact.ts";
import { LIVE_EPOCH_MINUTES } from "./epochs.ts";
import { clonesOf } from "./installations.ts";
import { TOKEN_GRACE_HOURS } from "./rotate-token.ts";

/** The days of sales and reconciliation a store's page shows, today included. */
export const STORE_PAGE_DAYS = 14;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type StorePageData = Omit<StorePageView, "message" | "now" | "newToken">;

/** null: no such store. `now` and `timeZone` say which business days are the last STORE_PAGE_DAYS. */
export async function storePage(sql: HqSql, storeId: string, at?: { now: Date; timeZone: string }): Promise<StorePageData | null> {
  if (!uuid.test(storeId)) return null;
  const now = at?.now ?? new Date();
  const to = businessDate(now, at?.timeZone ?? "UTC");
  const from = businessDate(new Date(now.getTime() - (STORE_PAGE_DAYS - 1) * 86_400_000), at?.timeZone ?? "UTC");
  const [[store], clones, sales, reconciliation, deadLetters, journals, journalKeys] = await Promise.all([
    sql<StoreFactsView[]>`
      SELECT st.store_id::text, st.name, st.epoch, st.last_seq, st.installation_id, ${contactColumns(sql)}, st.restored_epoch,
        (SELECT count(*) FROM dead_letters d WHERE d.store_id = st.store_id)::int8 AS dead_letters,
        st.restored_epoch_at, st.restored_summary, h.received_at AS epoch_heard_at,
        coalesce(h.received_at > now() - make_interval(mins => ${LIVE_EPOCH_MINUTES}::int), false) AS epoch_live,
        st.catalog_version, st.catalog_pending, (SELECT max(version) FROM catalog_releases)::int8 AS catalog_latest,
        st.retired_at, st.retired_by, st.token_rotated_at,
        ARRAY(SELECT o.works_until FROM store_old_tokens o WHERE o.store_id = st.store_id AND o.works_until > ${now} ORDER BY o.works_until)
          AS old_tokens_until
      FROM stores st
      -- the last item of the current epoch, by the ledger's key (as hq_accept_restored_epoch reads it)
      LEFT JOIN LATERAL (
        SELECT o.received_at FROM outbox_items o WHERE o.store_id = st.store_id AND o.epoch = st.epoch ORDER BY o.seq DESC LIMIT 1
      ) h ON true
      WHERE st.store_id = ${storeId}::uuid`,
    clonesOf(sql, storeId),
    salesByDay(sql, storeId, from, to),
    reconcile(sql, { from, to, storeId }),
    listDeadLetters(sql, { storeId, status: "open" }),
    journalStandings(sql),
    journalKeysOf(sql, storeId),
  ]);
  if (!store) return null;
  // bigint[] comes back as strings; versions are far below 2^53
  store.catalog_pending = (store.catalog_pending ?? []).map(Number);
  store.old_tokens_until = (store.old_tokens_until ?? []).map((t) => new Date(t));
  return {
    store,
    clones,
    liveMinutes: LIVE_EPOCH_MINUTES,
    from,
    to,
    sales,
    reconciliation,
    deadLetters: deadLetters.map((r) => ({ ...r, meaning: explainReason(r.reason).meaning })),
    deadLetterLimit: LIST_LIMIT,
    tokenGraceHours: TOKEN_GRACE_HOURS,
    journal: journals.get(store.store_id) ?? null,
    journalKeys,
  };
}

/** The store's sales (gross), refunds and net per business day, newest first; days with neither are left out. */
async function salesByDay(sql: HqSql, storeId: string, from: string, to: string): Promise<StoreDaySalesView[]> {
  return sql<StoreDaySalesView[]>`
    WITH sold AS (
      SELECT business_date, count(*) AS n, sum(total_minor) AS total FROM sales
      WHERE store_id = ${storeId}::uuid AND business_date BETWEEN ${from}::date AND ${to}::date GROUP BY business_date
    ), returned AS (
      SELECT business_date, count(*) AS n, sum(total_minor) AS total FROM hq_returns
      WHERE store_id = ${storeId}::uuid AND business_date BETWEEN ${from}::date AND ${to}::date GROUP BY business_date
    )
    SELECT d.business_date::text AS business_date, coalesce(s.n, 0)::int8 AS sales_count, coalesce(s.total, 0)::int8 AS total_minor,
      coalesce(r.n, 0)::int8 AS returns_count, coalesce(r.total, 0)::int8 AS refund_minor,
      (coalesce(s.total, 0) - coalesce(r.total, 0))::int8 AS net_minor
    FROM (SELECT business_date FROM sold UNION SELECT business_date FROM returned) d
    LEFT JOIN sold s ON s.business_date = d.business_date
    LEFT JOIN returned r ON r.business_date = d.business_date
    ORDER BY d.business_date DESC`;
}
