// One backup of the store database while it serves: a consistent copy through `VACUUM INTO` on a connection of its
// own, checked with `PRAGMA integrity_check`, gzipped as a stream and put in place atomically (temp, fsync, rename,
// fsync of the folder), so a backup file that exists is whole. The command line runs it directly; the server runs it in
// a worker thread (backup-worker.ts) so the registers never wait for it.
import { Database } from "bun:sqlite";
import { closeSync, createReadStream, fdatasyncSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

/** What a finished backup is: where, how big (compressed and as a database), when, and how long it took. */
export type BackupDone = { file: string; bytes: number; dbBytes: number; at: string; ms: number; sales: number };

/** A backup that could not be made, with the sentence a shop owner can act on. */
export class BackupFailed extends Error {}

/** Backup files of a store: `shopflow-<store>-<UTC time>.db.gz`; rotation and the list read the time back. */
export const BACKUP_NAME = /^shopflow-([A-Za-z0-9-]{1,64})-(\d{8}T\d{6}Z)\.db\.gz$/;

export function backupName(store: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return `shopflow-${store}-${stamp}.db.gz`;
}

/** The time a backup's name carries, or null for a file that is not one of ours. */
export function backupTime(name: string): Date | null {
  const m = BACKUP_NAME.exec(name);
  if (!m) return null;
  const s = m[2]!;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * What names this store in its backups' file names: its head-office store id when it has one (what a chain's IT
 * recognises), else the start of its installation id.
 */
export function storeLabel(db: Database): string {
  const hq = db.query<{ value: string }, []>("SELECT value FROM settings WHERE key = 'hq_store_id'").get()?.value ?? "";
  if (/^[A-Za-z0-9-]{1,64}$/.test(hq)) return hq;
  const installation = db.query<{ id: string | null }, []>("SELECT installation_id AS id FROM sync_state WHERE id = 1").get()?.id ?? null;
  return `store-${(installation ?? "new").replace(/[^A-Za-z0-9]/g, "").slice(0, 8) || "new"}`;
}

export function syncFolder(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Gzip `from` into `to` as a stream, syncing every few megabytes so the disk never holds a large batch of unwritten
 * backup behind a sale's sync; the file is synced whole at the end.
 */
async function compress(from: string, to: string): Promise<void> {
  // a new file of our own (never one planted at this name, nor a link it names), for the server and its group alone
  rmSync(to, { force: true });
  const fd = openSync(to, "wx", BACKUP_FILE_MODE);
  try {
    const gzip = createGzip({ level: 6 });
    const feeding = pipeline(createReadStream(from), gzip);
    let unsynced = 0;
    for await (const chunk of gzip as AsyncIterable<Buffer>) {
      for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
      unsynced += chunk.length;
      if (unsynced >= SYNC_EVERY) {
        fdatasyncSync(fd);
        unsynced = 0;
      }
    }
    await feeding;
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const SYNC_EVERY = 1024 * 1024;
/** A backup holds the whole store (people, their PINs' hashes, customers): the server's user and its group only. */
export const BACKUP_FILE_MODE = 0o640;

/** What `PRAGMA integrity_check` finds wrong in a copy (the start of it), or null when it is sound. */
export function copyProblem(db: Database): string | null {
  try {
    const rows = db
      .query<{ integrity_check: string }, []>("PRAGMA integrity_check")
      .all()
      .map((r) => r.integrity_check);
    return rows.length === 1 && rows[0] === "ok" ? null : rows.join("; ").slice(0, 300);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Back up the database at `dbPath` into `folder` as `shopflow-<store>-<time>.db.gz`. Reads only: the serving
 * connection keeps selling while the copy is taken (WAL: the copy is the database as of the moment it began).
 */
export async function takeBackup(dbPath: string, options: { folder: string; at: Date }): Promise<BackupDone> {
  const began = performance.now();
  try {
    mkdirSync(options.folder, { recursive: true, mode: 0o750 });
  } catch (e) {
    throw new BackupFailed(
      `the backup folder ${options.folder} cannot be made (${e instanceof Error ? e.message : e}); check the disk is plugged in and writable`,
    );
  }
  let source: Database;
  try {
    source = new Database(dbPath, { readwrite: true, create: false, strict: true });
  } catch (e) {
    throw new BackupFailed(`the store database ${dbPath} cannot be opened (${e instanceof Error ? e.message : e}); check the data folder`);
  }
  let label: string;
  const tempDb = join(options.folder, `.backup-${process.pid}-${options.at.getTime()}.db.part`);
  try {
    source.exec("PRAGMA busy_timeout = 5000");
    // the copy is checked and compressed before anything relies on it, and the compressed file is synced: syncing the
    // copy as well would only make the serving connection's own syncs wait behind it
    source.exec("PRAGMA synchronous = OFF");
    label = storeLabel(source);
    rmSync(tempDb, { force: true });
    try {
      // made empty first, as the backup's own mode (SQLite would make it readable by everyone); VACUUM INTO fills it
      closeSync(openSync(tempDb, "wx", BACKUP_FILE_MODE));
      source.query("VACUUM INTO ?").run(tempDb);
    } catch (e) {
      throw new BackupFailed(`the copy could not be written to ${options.folder} (${e instanceof Error ? e.message : e}); check there is room on that disk`);
    }
    // While the copy read, the WAL could not be copied back past it and grew with every sale. Copied back here, on
    // this thread, rather than by the next sale's own checkpoint on the serving thread; synced as the server's are.
    source.exec("PRAGMA synchronous = FULL");
    source.query("PRAGMA wal_checkpoint(PASSIVE)").get();
  } finally {
    source.close();
  }
  const name = backupName(label, options.at);
  const file = join(options.folder, name);
  const tempGz = `${file}.part`;
  try {
    const copy = new Database(tempDb, { readonly: true, strict: true });
    let sales = 0;
    try {
      const problem = copyProblem(copy);
      if (problem !== null) throw new BackupFailed(`the copy failed its integrity check (${problem}); the store database itself may be damaged`);
      sales = copy.query<{ n: number }, []>("SELECT count(*) AS n FROM sales WHERE status = 'completed'").get()?.n ?? 0;
    } finally {
      copy.close();
    }
    const dbBytes = statSync(tempDb).size;
    try {
      await compress(tempDb, tempGz);
      renameSync(tempGz, file);
      syncFolder(options.folder);
    } catch (e) {
      throw new BackupFailed(`the backup could not be written to ${options.folder} (${e instanceof Error ? e.message : e}); check there is room on that disk`);
    }
    return { file, bytes: statSync(file).size, dbBytes, at: options.at.toISOString(), ms: Math.round(performance.now() - began), sales };
  } finally {
    rmSync(tempDb, { force: true });
    rmSync(tempGz, { force: true });
  }
}
