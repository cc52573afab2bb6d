// A new database epoch, started by a person when head office asks for it (shopflow sync new-epoch, or the Devices
// page): head office then sees this database as a restored one, an admin there accepts it, and the store sends its
// whole outbox again under it from 1, as after a restore. Head office keeps each sale once (the ones it has come back
// as duplicates), so nothing unsent is lost and nothing sent is counted twice.
import type { Database } from "bun:sqlite";

export type NewEpoch = { epoch: string; previousEpoch: string; items: number; unsent: number };

/** The installation this database file belongs to, sent with every batch (migration 028, compose.ts). */
export function installationId(db: Database): string | null {
  return db.query<{ id: string | null }, []>("SELECT installation_id AS id FROM sync_state WHERE id = 1").get()?.id ?? null;
}

/**
 * Start the new epoch `epoch` (a fresh random id), with the reason kept beside the one left. Run inside the caller's
 * transaction; the uploader's next batch carries it.
 */
export function startNewEpoch(db: Database, input: { epoch: string; at: string; reason: string }): NewEpoch {
  const before = db.query<{ epoch: string; acked_seq: number }, []>("SELECT epoch, acked_seq FROM sync_state WHERE id = 1").get();
  if (!before) throw new Error("sync_state has no row: the store was not composed");
  const top = db.query<{ top: number | null }, []>("SELECT max(seq) AS top FROM outbox").get()?.top ?? 0;
  db.query("UPDATE sync_state SET previous_epoch = epoch, epoch = ?, acked_seq = 0, epoch_started_at = ?, epoch_reason = ? WHERE id = 1").run(
    input.epoch,
    input.at,
    input.reason,
  );
  return { epoch: input.epoch, previousEpoch: before.epoch, items: top, unsent: Math.max(0, top - before.acked_seq) };
}
