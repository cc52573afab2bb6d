// Put a backup in place of the store database: refused while anything has the database open (a running server
// holds SQLite's lock on it), the file checked whole first (unzips, passes integrity_check, is a ShopFlow store database
// no newer than this program), the current files kept aside under the time, and a new database epoch started so head
// office sees a restored database and never takes its sequence numbers for the old ones (DESIGN §7).
import { Database } from "bun:sqlite";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { migrations } from "../db/migrations/index.ts";
import { startNewEpoch } from "../head-office/epoch.ts";
import { copyProblem, syncFolder } from "./take.ts";

/** A restore that was not done, with the sentence saying why; nothing was changed. */
export class RestoreRefused extends Error {}

export type Restored = { keptAside: string[]; sales: number; takenAt: string | null; epoch: string | null; previousEpoch: string | null; schema: number };

const DB_FILES = ["", "-wal", "-shm", "-clean"] as const;

/**
 * True when another connection has the database open (a server serving on it, or a command under way): SQLite keeps
 * the WAL index locked while a connection is open, so an exclusive lock cannot be had. Works across processes and
 * within one.
 */
export function databaseInUse(dbPath: string): boolean {
  if (!existsSync(dbPath)) return false;
  let probe: Database;
  try {
    probe = new Database(dbPath, { readwrite: true, create: false });
  } catch {
    return false;
  }
  try {
    probe.exec("PRAGMA busy_timeout = 0");
    probe.exec("PRAGMA locking_mode = EXCLUSIVE");
    probe.exec("BEGIN EXCLUSIVE");
    probe.exec("COMMIT");
    return false;
  } catch (e) {
    // busy: someone has it open. Anything else (a damaged file, the reason for restoring) is not "in use"
    return /^SQLITE_(BUSY|LOCKED)/.test((e as { code?: string }).code ?? "");
  } finally {
    probe.close();
  }
}

/** Unzip (when gzipped: the magic bytes say) into `to`. */
async function unpack(file: string, to: string): Promise<void> {
  const head = Buffer.alloc(2);
  const fd = Bun.file(file);
  const first = new Uint8Array(await fd.slice(0, 2).arrayBuffer());
  head.set(first);
  if (head[0] === 0x1f && head[1] === 0x8b) await pipeline(createReadStream(file), createGunzip(), createWriteStream(to));
  else await pipeline(createReadStream(file), createWriteStream(to));
}

/** Why the unpacked file is not a store database this program can take, or null. */
function notAStoreDatabase(path: string): { problem: string | null; sales: number; schema: number } {
  const header = readFileSync(path).subarray(0, 16).toString("latin1");
  if (header !== "SQLite format 3\u0000") return { problem: "it is not a ShopFlow backup (not an SQLite database)", sales: 0, schema: 0 };
  const db = new Database(path, { readwrite: true, create: false, strict: true });
  try {
    const broken = copyProblem(db);
    if (broken !== null) return { problem: `it fails its integrity check (${broken}); try an older backup`, sales: 0, schema: 0 };
    const tables = new Set(
      db
        .query<{ name: string }, []>("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .all()
        .map((r) => r.name),
    );
    if (!["sales", "settings", "sync_state", "outbox"].every((t) => tables.has(t)))
      return { problem: "it is an SQLite database but not a ShopFlow store's", sales: 0, schema: 0 };
    const schema = db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version ?? 0;
    const newest = migrations.at(-1)!.version;
    if (schema > newest)
      return {
        problem: `it was made by a newer ShopFlow (database version ${schema}; this program knows up to ${newest}); restore it with that version or newer`,
        sales: 0,
        schema,
      };
    const sales = db.query<{ n: number }, []>("SELECT count(*) AS n FROM sales WHERE status = 'completed'").get()?.n ?? 0;
    return { problem: null, sales, schema };
  } finally {
    db.close();
  }
}

/**
 * Restore `file` (a backup, gzipped or not) as the database at `dbPath`. `at` names the files kept aside and starts the
 * new epoch; `epoch` is its random id.
 */
export async function restoreBackup(file: string, dbPath: string, input: { at: Date; epoch: string }): Promise<Restored> {
  if (!existsSync(file)) throw new RestoreRefused(`${file} does not exist; give the path of a backup file (shopflow-….db.gz)`);
  if (databaseInUse(dbPath))
    throw new RestoreRefused(
      `the store database ${dbPath} is in use: a ShopFlow server (or another command) is running on this data folder. Stop it first, then restore`,
    );
  const folder = dirname(dbPath);
  // a new disk: the data folder may not be there yet
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.restoring-${process.pid}.db`);
  rmSync(temp, { force: true });
  try {
    try {
      await unpack(file, temp);
    } catch (e) {
      throw new RestoreRefused(`${basename(file)} cannot be unpacked (${e instanceof Error ? e.message : e}); it is damaged or not a ShopFlow backup`);
    }
    let check: ReturnType<typeof notAStoreDatabase>;
    try {
      check = notAStoreDatabase(temp);
    } catch (e) {
      check = { problem: `it cannot be read as a database (${e instanceof Error ? e.message : e})`, sales: 0, schema: 0 };
    }
    if (check.problem !== null) throw new RestoreRefused(`${basename(file)} was not restored: ${check.problem}. Nothing was changed`);
    // the new epoch goes into the copy before it is put in place: whatever happens next, the restored file never
    // sends under the old epoch's numbers
    const copy = new Database(temp, { readwrite: true, create: false, strict: true });
    let epochs: { epoch: string | null; previousEpoch: string | null } = { epoch: null, previousEpoch: null };
    try {
      copy.exec("PRAGMA journal_mode = DELETE");
      const hasState = copy.query("SELECT 1 FROM sync_state WHERE id = 1").get() !== null;
      if (hasState) {
        const started = copy
          .transaction(() => startNewEpoch(copy, { epoch: input.epoch, at: input.at.toISOString(), reason: `restored from backup ${basename(file)}` }))
          .immediate();
        epochs = { epoch: started.epoch, previousEpoch: started.previousEpoch };
      }
    } finally {
      copy.close();
    }
    const stamp = input.at
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}Z$/, "Z");
    const keptAside: string[] = [];
    if (databaseInUse(dbPath))
      throw new RestoreRefused(`the store database ${dbPath} came into use while the backup was checked; stop the server, then restore`);
    for (const suffix of DB_FILES) {
      const from = `${dbPath}${suffix}`;
      if (!existsSync(from)) continue;
      const to = `${dbPath}.before-restore-${stamp}${suffix}`;
      renameSync(from, to);
      keptAside.push(to);
    }
    renameSync(temp, dbPath);
    syncFolder(folder);
    const takenAt = /(\d{8}T\d{6}Z)/.exec(basename(file))?.[1] ?? null;
    return { keptAside, sales: check.sales, takenAt, ...epochs, schema: check.schema };
  } finally {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
  }
}
