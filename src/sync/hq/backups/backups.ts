// The stores' backup copies at head office (migration 023): taken in as a stream of 1 MiB chunks, counted once whole,
// the last few kept per store, listed on the store's page and read back chunk by chunk for an admin's download. How
// many are kept and how large one may be are head office's limits (migration 026), set by an admin, audited.
import { Problem } from "../../../domain/kernel/problem.ts";
import { hqAudit } from "../audit/audit.ts";
import type { HqSql } from "../db/db.ts";

/** How many complete copies head office keeps per store unless an admin says otherwise; older ones go when a new one is whole. */
export const BACKUPS_KEPT = 3;
/** The bounds of the limits an admin sets: copies kept per store, and the largest copy taken (gzipped bytes). */
export const BACKUP_LIMIT_BOUNDS = { kept: { min: 1, max: 30 }, maxBytes: { min: 1_048_576, max: 10 * 1024 * 1_048_576 } } as const;
/** The largest copy head office could ever take (the top of the limit's bounds): what its server accepts as a body. */
export const MAX_BACKUP_BYTES = BACKUP_LIMIT_BOUNDS.maxBytes.max;
// the size of a stored piece of a copy, not a limit: what one row holds and one download read sends
const CHUNK = 1024 * 1024;

/** Head office's limits on the copies, as the admin last set them. */
export type BackupLimits = { kept: number; maxBytes: number; changedAt: Date | null; changedBy: string | null };

/** Megabytes as the pages say them (MiB: 1,048,576 bytes). */
export const megabytes = (bytes: number) => Math.floor(bytes / 1_048_576);

export async function readBackupLimits(sql: HqSql): Promise<BackupLimits> {
  const [r] = await sql<{ kept: number; max_bytes: number; changed_at: Date; changed_by: string | null }[]>`
    SELECT copies_kept AS kept, max_bytes::float8 AS max_bytes, changed_at, changed_by FROM hq_backup_limits`;
  return r
    ? { kept: r.kept, maxBytes: r.max_bytes, changedAt: r.changed_by === null ? null : r.changed_at, changedBy: r.changed_by }
    : { kept: BACKUPS_KEPT, maxBytes: 1024 * 1_048_576, changedAt: null, changedBy: null };
}

/** Why the limits typed are refused (the sentence says the bounds), or null. */
export function backupLimitsProblem(kept: number, maxBytes: number): string | null {
  const { kept: k, maxBytes: m } = BACKUP_LIMIT_BOUNDS;
  if (!Number.isSafeInteger(kept) || kept < k.min || kept > k.max) return `Copies kept per store is a whole number from ${k.min} to ${k.max}.`;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < m.min || maxBytes > m.max)
    return `The largest copy is a whole number of MB from ${megabytes(m.min)} to ${megabytes(m.max)} (10 GB).`;
  return null;
}

/**
 * Set the limits, in one transaction with the audit line; fewer copies kept removes each store's older complete copies
 * at once (a copy still arriving is left alone). The same limits again change nothing and write no line.
 */
export async function setBackupLimits(sql: HqSql, limits: { kept: number; maxBytes: number }, who: string): Promise<{ changed: boolean; removed: number }> {
  const problem = backupLimitsProblem(limits.kept, limits.maxBytes);
  if (problem) throw new Problem("invalid_input", problem);
  return await sql.begin(async (tx) => {
    const [before] = await tx<{ kept: number; max_bytes: number }[]>`
      SELECT copies_kept AS kept, max_bytes::float8 AS max_bytes FROM hq_backup_limits FOR UPDATE`;
    if (before && before.kept === limits.kept && before.max_bytes === limits.maxBytes) return { changed: false, removed: 0 };
    await tx`
      INSERT INTO hq_backup_limits (id, copies_kept, max_bytes, changed_at, changed_by)
      VALUES (true, ${limits.kept}, ${limits.maxBytes}, now(), ${who})
      ON CONFLICT (id) DO UPDATE SET copies_kept = excluded.copies_kept, max_bytes = excluded.max_bytes,
        changed_at = excluded.changed_at, changed_by = excluded.changed_by`;
    const gone = await tx`
      DELETE FROM store_backups b USING (
        SELECT store_id, backup_id, row_number() OVER (PARTITION BY store_id ORDER BY backup_id DESC) AS n FROM store_backups WHERE complete
      ) r
      WHERE b.store_id = r.store_id AND b.backup_id = r.backup_id AND r.n > ${limits.kept}`;
    await hqAudit(tx, {
      who,
      action: "backups.limits_changed",
      subject: "stores' backup copies at head office",
      before: before ? { copies_kept: before.kept, max_bytes: before.max_bytes } : null,
      after: { copies_kept: limits.kept, max_bytes: limits.maxBytes, copies_removed: gone.count },
    });
    return { changed: true, removed: gone.count };
  });
}

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
 * upload); then, in one transaction, count it whole and remove what is past the copies kept (the limits), with any copy an
 * earlier upload left half-written over an hour ago. A copy cut short or larger than `maxBytes` is removed and refused.
 */
export async function receiveBackup(
  sql: HqSql,
  storeId: string,
  name: string,
  body: ReadableStream<Uint8Array>,
  declared: number,
  maxBytes: number,
): Promise<StoreBackup> {
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
      if (total > declared || total > maxBytes)
        throw new Problem("body_too_large", `The backup is larger than it said or than ${megabytes(maxBytes)} MB; nothing was kept.`);
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
          SELECT backup_id FROM store_backups WHERE store_id = ${storeId}::uuid AND complete ORDER BY backup_id DESC
          LIMIT coalesce((SELECT copies_kept FROM hq_backup_limits), ${BACKUPS_KEPT}))))`;
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
