// Retiring a store (closed, or its registration replaced) and re-activating it. Retired, its token and any token in
// its rotation grace are refused with a sentence, and it leaves the overview's problems; its sales, returns,
// reconciliation and audit lines stay. Re-activated, the same token works again (rotate it if it may have leaked).
import { Problem } from "../../../domain/kernel/problem.ts";
import { hqAudit } from "../audit/audit.ts";
import type { HqSql } from "../db/db.ts";

/** What a retired store's server is told on every request, and what its Devices page then shows. */
export const RETIRED_SENTENCE =
  "This store is retired at head office, so its token no longer works: nothing is sent. Selling goes on here; ask head office to re-activate the store.";

/** Retire (true) or re-activate (false) the store, with its audit line. Asking for what already is changes nothing. */
export async function setStoreRetired(sql: HqSql, storeId: string, retire: boolean, who: string, now: Date): Promise<{ changed: boolean }> {
  return sql.begin(async (tx) => {
    const [st] = await tx<{ name: string; retired_at: Date | null; retired_by: string | null }[]>`
      SELECT name, retired_at, retired_by FROM stores WHERE store_id = ${storeId}::uuid FOR UPDATE`;
    if (!st) throw new Problem("store_not_found", "This store is not registered at head office.");
    if ((st.retired_at !== null) === retire) return { changed: false };
    if (retire) {
      await tx`UPDATE stores SET retired_at = ${now}, retired_by = ${who} WHERE store_id = ${storeId}::uuid`;
      await hqAudit(tx, { who, action: "store.retired", storeId, subject: `store ${st.name}`, before: { retired: false }, after: { retired: true } });
    } else {
      await tx`UPDATE stores SET retired_at = NULL, retired_by = NULL WHERE store_id = ${storeId}::uuid`;
      const before = { retired: true, retired_at: st.retired_at, retired_by: st.retired_by };
      await hqAudit(tx, { who, action: "store.reactivated", storeId, subject: `store ${st.name}`, before, after: { retired: false } });
    }
    return { changed: true };
  });
}
