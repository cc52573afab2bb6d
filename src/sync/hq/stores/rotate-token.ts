// A store's token replaced without stopping its sales: the new one is shown once to the admin, the old one keeps
// working for a grace period while someone types the new one into the store (Devices page, or
// 'shopflow sync set-token'). Each replaced token keeps its own grace, so a second rotation the same day does not lock
// out a store still on the first token. Head office checks every store request against all of them (storeForSyncToken).
import { Problem } from "../../../domain/kernel/problem.ts";
import { randomSecret, sha256Hex } from "../../../server/platform/auth/secrets.ts";
import { hqAudit } from "../audit/audit.ts";
import type { HqSql } from "../db/db.ts";

/** How long the replaced token keeps working: a day is time enough to reach a store's manager. */
export const TOKEN_GRACE_HOURS = 24;

export type RotatedToken = { token: string; graceUntil: Date };

/**
 * A new token for the store, in one transaction with its audit line (never the token itself). The replaced token
 * works until `now` + TOKEN_GRACE_HOURS; tokens replaced earlier keep working until their own grace ends (those past
 * it are cleared here).
 */
export async function rotateStoreToken(sql: HqSql, storeId: string, who: string, now: Date): Promise<RotatedToken> {
  const token = randomSecret(32, "sfhq_");
  const graceUntil = new Date(now.getTime() + TOKEN_GRACE_HOURS * 3_600_000);
  await sql.begin(async (tx) => {
    const [st] = await tx<{ name: string; retired_at: Date | null }[]>`
      SELECT name, retired_at FROM stores WHERE store_id = ${storeId}::uuid FOR UPDATE`;
    if (!st) throw new Problem("store_not_found", "This store is not registered at head office.");
    if (st.retired_at) {
      throw new Problem("store_retired", "This store is retired: re-activate it first, then give it a new token.");
    }
    await tx`DELETE FROM store_old_tokens WHERE store_id = ${storeId}::uuid AND works_until <= ${now}`;
    const earlier = await tx<{ works_until: Date }[]>`
      SELECT works_until FROM store_old_tokens WHERE store_id = ${storeId}::uuid ORDER BY works_until`;
    await tx`INSERT INTO store_old_tokens (store_id, token_hash, replaced_at, works_until)
      SELECT store_id, token_hash, ${now}, ${graceUntil} FROM stores WHERE store_id = ${storeId}::uuid`;
    await tx`UPDATE stores SET token_hash = ${sha256Hex(token)}, token_rotated_at = ${now} WHERE store_id = ${storeId}::uuid`;
    const before = earlier.length > 0 ? { earlier_tokens_until: earlier.map((e) => e.works_until) } : null;
    await hqAudit(tx, { who, action: "store.token_rotated", storeId, subject: `store ${st.name}`, before, after: { old_token_until: graceUntil } });
  });
  return { token, graceUntil };
}

export type TokenOwner = { storeId: string; retired: boolean };

/**
 * The store a bearer token belongs to, by its current token or by any a rotation replaced while that one is still
 * in its own grace at `now`; null for a token head office does not know (or one past its grace). A retired store is
 * found, so the caller can say so instead of "unknown token".
 */
export async function storeForSyncToken(sql: HqSql, token: string, now: Date): Promise<TokenOwner | null> {
  const hash = sha256Hex(token);
  const [row] = await sql<{ store_id: string; retired: boolean }[]>`
    SELECT store_id::text, retired_at IS NOT NULL AS retired FROM stores WHERE token_hash = ${hash}
    UNION ALL
    SELECT st.store_id::text, st.retired_at IS NOT NULL FROM store_old_tokens o JOIN stores st ON st.store_id = o.store_id
    WHERE o.token_hash = ${hash} AND o.works_until > ${now}
    LIMIT 1`;
  return row ? { storeId: row.store_id, retired: row.retired } : null;
}
