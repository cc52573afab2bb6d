// A store's id and token belong to one installation of the store server (a random id its database file is made with,
// sent with every batch). Head office binds the store to the first installation it hears from; another one using the
// same credentials is a clone (a second server set up with a copied token): refused and recorded, never merged and
// never offered as a restored database, so it cannot take the store's place by an admin's mistake. A restored copy
// of the store's own file keeps the installation and goes through the restored-epoch flow (epochs.ts).

import { Problem } from "../../../domain/kernel/problem.ts";
import type { ErrorBody } from "../../../server/platform/errors.ts";
import { type ErrorStatus, refusal } from "../../../server/platform/http/problems.ts";
import type { HqSql } from "../db/db.ts";

export type CloneRefusal = { status: ErrorStatus; body: ErrorBody };

/** What a batch says of where it comes from: its installation (null from stores before installations), epoch, outbox top. */
export type Sender = { installation: string | null; epoch: string | null; top: number | null };

/**
 * null when the batch may go on to the merge: it comes from the store's installation, or names none (a store server
 * from before installations, which cannot be told apart). The first installation heard from is bound here; two racing
 * for an unbound store serialise on its row and the second reads the first's.
 */
export async function refuseClone(sql: HqSql, storeId: string, sent: Sender): Promise<CloneRefusal | null> {
  if (sent.installation === null) return null;
  const [row] = await sql<{ installation_id: string | null }[]>`SELECT installation_id FROM stores WHERE store_id = ${storeId}::uuid`;
  if (!row) return null; // an unknown store: the merge answers that
  let bound = row.installation_id;
  if (bound === null) {
    const [b] = await sql<{ installation_id: string }[]>`
      UPDATE stores SET installation_id = coalesce(installation_id, ${sent.installation}) WHERE store_id = ${storeId}::uuid
      RETURNING installation_id`;
    bound = b?.installation_id ?? null;
  }
  if (bound === sent.installation) return null;
  await sql`
    INSERT INTO store_clones (store_id, installation_id, epoch, outbox_top) VALUES (${storeId}::uuid, ${sent.installation}, ${sent.epoch}, ${sent.top})
    ON CONFLICT (store_id, installation_id) DO UPDATE
      SET epoch = coalesce(excluded.epoch, store_clones.epoch), outbox_top = coalesce(excluded.outbox_top, store_clones.outbox_top),
        batches = store_clones.batches + 1, last_seen_at = now()`;
  return refusal(
    "store_clone",
    "This store's id and token are in use by another installation of the store server: this server is taken for a copy and nothing it sends is merged. Ask head office: if this server replaces the store's, they move the store to this installation.",
    { installation: sent.installation },
  );
}

export type CloneRow = { installation_id: string; epoch: string | null; outbox_top: number | null; batches: number; first_seen_at: Date; last_seen_at: Date };

/** The other installations that used the store's credentials, the latest first. */
export function clonesOf(sql: HqSql, storeId: string): Promise<CloneRow[]> {
  return sql<CloneRow[]>`
    SELECT installation_id, epoch, outbox_top, batches, first_seen_at, last_seen_at FROM store_clones
    WHERE store_id = ${storeId}::uuid AND installation_id IS DISTINCT FROM (SELECT installation_id FROM stores WHERE store_id = ${storeId}::uuid)
    ORDER BY last_seen_at DESC LIMIT 50`;
}

/**
 * The store's server was replaced: the store is bound to `installation` (one head office saw as a clone), recorded
 * with who did it. The new server's database is another epoch, which then waits for an admin as a restored one does;
 * the old server is a clone from now on. One statement, so it never falls between a batch's check and its merge.
 */
export async function moveToInstallation(sql: HqSql, storeId: string, installation: string, movedBy: string): Promise<void> {
  const [r] = await sql<{ moved: boolean; known: boolean }[]>`
    WITH seen AS (
      SELECT 1 FROM store_clones WHERE store_id = ${storeId}::uuid AND installation_id = ${installation}
    ), old AS (
      SELECT installation_id FROM stores WHERE store_id = ${storeId}::uuid
    ), moved AS (
      UPDATE stores SET installation_id = ${installation}
      WHERE store_id = ${storeId}::uuid AND EXISTS (SELECT 1 FROM seen) AND installation_id IS DISTINCT FROM ${installation}
      RETURNING store_id
    ), logged AS (
      INSERT INTO installation_changes (store_id, old_installation_id, new_installation_id, moved_by)
      SELECT ${storeId}::uuid, (SELECT installation_id FROM old), ${installation}, ${movedBy} FROM moved
    )
    SELECT EXISTS (SELECT 1 FROM moved) AS moved, EXISTS (SELECT 1 FROM seen) AS known`;
  if (!r!.known) {
    throw new Problem("installation_not_seen", "Head office has not heard from that installation under this store; copy its id from the store's page.");
  }
}
