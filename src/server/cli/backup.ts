// shopflow backup [--to DIR] and shopflow restore FILE: a checked, compressed copy of the store database while the
// server keeps selling, and putting one back when the server is stopped.
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { RestoreRefused, restoreBackup } from "../backups/restore.ts";
import { backupSettings } from "../backups/settings.ts";
import { updateBackupStatus } from "../backups/status.ts";
import { BackupFailed, takeBackup } from "../backups/take.ts";
import { databasePath } from "../compose.ts";
import { UsageError } from "../platform/usage-error.ts";

type DataDir = (v: { data?: string }) => string;

export const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 2 : 1)} MB`;

/** The backup settings as kept, read without opening the store (no migrations, no background work). */
function settingRows(dbPath: string): Record<string, string> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows: Record<string, string> = {};
    for (const r of db.query<{ key: string; value: string }, []>("SELECT key, value FROM settings").all()) rows[r.key] = r.value;
    return rows;
  } finally {
    db.close();
  }
}

export async function backupCommand(args: string[], dataDir: DataDir): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { data: { type: "string" }, to: { type: "string" } } });
  if (positionals.length > 0) throw new UsageError(`backup takes no file name ("${positionals[0]}"); choose the folder with --to DIR`);
  const dir = dataDir(values);
  const dbPath = databasePath(dir);
  if (!existsSync(dbPath)) throw new UsageError(`there is no store database in ${dir}; give the data folder with --data DIR`);
  const folder = values.to ? resolve(values.to) : backupSettings(settingRows(dbPath), dir).folder;
  const at = new Date();
  try {
    const done = await takeBackup(dbPath, { folder, at });
    updateBackupStatus(dbPath, (s) => ({ ...s, last: done }));
    console.log(`backup written: ${done.file}`);
    console.log(`${megabytes(done.bytes)} compressed (${megabytes(done.dbBytes)} database, ${done.sales} sales), checked, in ${(done.ms / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    if (!(e instanceof BackupFailed)) throw e;
    updateBackupStatus(dbPath, (s) => ({ ...s, failed: { at: at.toISOString(), problem: e.message } }));
    console.error(`shopflow: no backup was made: ${e.message}`);
    return 1;
  }
}

export async function restoreCommand(args: string[], dataDir: DataDir): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { data: { type: "string" } } });
  const file = positionals[0];
  if (!file) throw new UsageError("restore needs a backup file: shopflow restore /media/usb/shopflow-….db.gz [--data DIR]");
  const dir = dataDir(values);
  const dbPath = databasePath(dir);
  try {
    const r = await restoreBackup(resolve(file), dbPath, { at: new Date(), epoch: Bun.randomUUIDv7() });
    console.log(`restored ${file} into ${dirname(dbPath)} (${r.sales} sales${r.takenAt ? `, backup taken ${r.takenAt}` : ""})`);
    if (r.keptAside.length > 0) console.log(`the database it replaces is kept aside as ${r.keptAside[0]}`);
    if (r.epoch) {
      console.log(`new database epoch ${r.epoch} (was ${r.previousEpoch}): head office shows this store as restored; once an admin there`);
      console.log("accepts it, the store sends its sales again and head office keeps each one once.");
    }
    console.log("Start the server again: sales made after this backup was taken are not in it (head office may still hold them).");
    return 0;
  } catch (e) {
    if (!(e instanceof RestoreRefused)) throw e;
    console.error(`shopflow: ${e.message}`);
    return 1;
  }
}
