// A store's lock at head office, the one hq_receive_batch takes (db.ts: HQ_LOCK_NAMESPACE, hashtext(store_id)): what
// changes a store's facts, its hour rollup or its journal's chain outside a batch takes it too, so a batch waits.
import { HQ_LOCK_NAMESPACE, type HqTransaction } from "../db/db.ts";

export async function storeLock(tx: HqTransaction, storeId: string): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, hashtext(${storeId}::uuid::text))`;
}
