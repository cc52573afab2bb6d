// What a store's page shows of whose server it is: the bound installation, clones, and a reported restored database
// with what it would bring and whether the epoch head office follows is still live.
import type { StoreFactsView, StorePageView } from "../../../views/hq/store-page.tsx";
import type { HqSql } from "../db/db.ts";
import { contactColumns } from "./contact.ts";
import { LIVE_EPOCH_MINUTES } from "./epochs.ts";
import { clonesOf } from "./installations.ts";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** null: no such store. */
export async function storePage(sql: HqSql, storeId: string): Promise<Omit<StorePageView, "message" | "now"> | null> {
  if (!uuid.test(storeId)) return null;
  const [[store], clones] = await Promise.all([
    sql<StoreFactsView[]>`
      SELECT st.store_id::text, st.name, st.epoch, st.last_seq, st.installation_id, ${contactColumns(sql)}, st.restored_epoch,
        (SELECT count(*) FROM dead_letters d WHERE d.store_id = st.store_id)::int8 AS dead_letters,
        st.restored_epoch_at, st.restored_summary, h.received_at AS epoch_heard_at,
        coalesce(h.received_at > now() - make_interval(mins => ${LIVE_EPOCH_MINUTES}::int), false) AS epoch_live
      FROM stores st
      -- the last item of the current epoch, by the ledger's key (as hq_accept_restored_epoch reads it)
      LEFT JOIN LATERAL (
        SELECT o.received_at FROM outbox_items o WHERE o.store_id = st.store_id AND o.epoch = st.epoch ORDER BY o.seq DESC LIMIT 1
      ) h ON true
      WHERE st.store_id = ${storeId}::uuid`,
    clonesOf(sql, storeId),
  ]);
  if (!store) return null;
  return { store, clones, liveMinutes: LIVE_EPOCH_MINUTES };
}
