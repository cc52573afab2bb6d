// The stores' backup copies at head office (migration 023): taken in as a stream of 1 MiB chunks, counted once whole,
// the last few kept per store, listed on the store's page and read back chunk by chunk for an admin's download.
import { Problem } from "../../../domain/kernel/problem.ts";
import type { HqSql } from "../db/db.ts";

/** How many complete copies head office keeps per store; older ones go when a new one is whole. */
export const BACKUPS_KEPT = 3;
/** The largest copy head office takes (gzipped): a busy store's year is far below it. */
export const MAX_BACKUP_BYTES = 1024 * 1024 * 1024;
const CHUNK = 1024 * 1024;

/** The names the store gives its backups (server/backups/take.ts): shopflow-<store>-<UTC time>.db.gz. */
const BACKUP_NAME = /^shopflow-[A-Za-z0-9-]{1,64}-(\d{8}T\d{6}Z)\.db\.gz$/;

export type StoreBackup = { backup_id: string; name: string; taken_at: Date | null; received_at: Date; bytes: number; sha256: string };

function takenAt(name: string): string | null {
  const s = BACKUP_NAME.exec(name)?.[1];
  return s ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z` : null;
}

/** Why a copy's name is refused, or null. */
export const backupNameProblem = (name: string | undefined): string | null =>
  name && BACKUP_NAME.test(name) && takenAt(name) !== null && !Number.isNaN(Date.parse(takenAt(name)!))
    ? null
    : "The backup's name is missing or not one ShopFlow makes (shopflow-<store>-<time>.db.gz); send it with 'shopflow backup'.";

/**
 * Take in one copy from `body`, chunk by chunk, each written as it comes (no transaction held open for the whole
 * upload); then, in one transaction, count it whole and remove what is past the last BACKUPS_KEPT, with any copy an
 * earlier upload left half-written over an hour ago. A copy cut short or too large is removed and refused.
 */
export async function receiveBackup(sql: HqSql, storeId: string, name: string, body: ReadableStream<Uint8Array>, declared: number): Promise<StoreBackup> {
  const [row] = await sql<{ backup_id: string }[]>`
    INSERT INTO store_backups (store_id, name, taken_at) VALUES (${storeId}::uuid, ${name}, ${takenAt(name)}::timestamptz)
    RETURNING backup_id::text`;
  const id = row!.backup_id;
  const hash = new Bun.CryptoHasher("sha256");
  let total = 0;
  let n = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await sql`INSERT INTO store_backup_chunks (store_id, backup_id, n, bytes) VALUES (${storeId}::uuid, ${id}::bigint, ${n++}, ${chunk})`;
  };
  try {
    const reader = body.getReader();
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) break;
      if (total === 0 && part.length > 0 && !(part[0] === 0x1f && (part.length < 2 || part[1] === 0x8b)))
        throw new Problem("unsupported_media_type", "Head office takes backups as ShopFlow makes them (gzipped); this is not one.");
      total += part.length;
      if (total > declared || total > MAX_BACKUP_BYTES)
        throw new Problem("body_too_large", `The backup is larger than it said or than ${MAX_BACKUP_BYTES / 1_048_576} MB; nothing was kept.`);
      hash.update(part);
      pending.push(part);
      pendingBytes += part.length;
      if (pendingBytes >= CHUNK) await flush();
    }
    await flush();
    if (total !== declared)
      throw new Problem("bad_request", `The backup was cut short (${total} of ${declared} bytes arrived); nothing was kept. Send it again.`);
  } catch (e) {
    await sql`DELETE FROM store_backups WHERE store_id = ${storeId}::uuid AND backup_id = ${id}::bigint`.catch(() => {});
    throw e;
  }
  const sha256 = hash.digest("hex");
  return await sql.begin(async (tx) => {
    const [done] = await tx<StoreBackup[]>`
      UPDATE store_backups SET complete = true, bytes = ${total}, sha256 = ${sha256}
      WHERE store_id = ${storeId}::uuid AND backup_id = ${id}::bigint
      RETURNING backup_id::text, name, taken_at, received_at, bytes::float8 AS bytes, sha256`;
    await tx`
      DELETE FROM store_backups WHERE store_id = ${storeId}::uuid AND backup_id <> ${id}::bigint
        AND ((NOT complete AND received_at < now() - interval '1 hour') OR (complete AND backup_id NOT IN (
          SELECT backup_id FROM store_backups WHERE store_id = ${storeId}::uuid AND complete ORDER BY backup_id DESC LIMIT ${BACKUPS_KEPT})))`;
    return done!;
  });
}

/** A store's complete copies, newest first. */
export async function listBackups(sql: HqSql, storeId: string): Promise<StoreBackup[]> {
  return await sql<StoreBackup[]>`
    SELECT backup_id::text, name, taken_at, received_at, bytes::float8 AS bytes, sha256 FROM store_backups
    WHERE store_id = ${storeId}::uuid AND complete ORDER BY backup_id DESC`;
}

/** One complete copy, or null. */
export async function findBackup(sql: HqSql, storeId: string, backupId: string): Promise<StoreBackup | null> {
  if (!/^\d{1,18}$/.test(backupId)) return null;
  const [b] = await sql<StoreBackup[]>`
    SELECT backup_id::text, name, taken_at, received_at, bytes::float8 AS bytes, sha256 FROM store_backups
    WHERE store_id = ${storeId}::uuid AND backup_id = ${backupId}::bigint AND complete`;
  return b ?? null;
}

/** The copy's bytes as a stream, one chunk read at a time as the download takes them. */
export function backupStream(sql: HqSql, storeId: string, backupId: string): ReadableStream<Uint8Array> {
  let n = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const [c] = await sql<{ bytes: Uint8Array }[]>`
        SELECT bytes FROM store_backup_chunks WHERE store_id = ${storeId}::uuid AND backup_id = ${backupId}::bigint AND n = ${n++}`;
      if (c) controller.enqueue(new Uint8Array(c.bytes));
      else controller.close();
    },
  });
}
