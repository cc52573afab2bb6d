// Upgrading the store database safely: one start at a time migrates (a lock beside the file), a copy is taken first,
// and a binary older than the database refuses to start instead of running on tables it does not know.
import { Database } from "bun:sqlite";
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type Logger, stderrLog } from "../platform/log/log.ts";
import { version } from "../platform/version.ts";
import { migrations } from "./migrations/index.ts";

/** The schema version this binary writes: its newest migration. */
export const schemaVersion: number = migrations.at(-1)?.version ?? 0;

/** A database written by a newer ShopFlow than this one. */
export class DatabaseTooNew extends Error {}

/** Another start held the upgrade lock for longer than a start waits. */
export class UpgradeBusy extends Error {}

/** Copies taken before upgrades that are kept beside the database; older ones are removed after a new one. */
export const KEEP_UPGRADE_COPIES = 3;

/** How long a start waits for another one that is upgrading the same database. */
const LOCK_WAIT_MS = 5 * 60_000;

export function userVersion(db: Database): number {
  return db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version ?? 0;
}

/** The schema version of the database at `path` without changing anything, or null when there is none. */
export function readSchemaVersion(path: string): number | null {
  if (!existsSync(path)) return null;
  // no WAL beside it: everything is in the file, whose header holds the version (offset 60); opening it would leave
  // -wal and -shm files behind and cost the next start its clean-close shortcut
  if (!existsSync(`${path}-wal`)) {
    const header = Buffer.alloc(100);
    const fd = openSync(path, "r");
    let got: number;
    try {
      got = readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
    if (got === 0) return 0;
    if (got < 100 || header.toString("latin1", 0, 16) !== "SQLite format 3\u0000") throw new Error("it is not an SQLite database");
    return header.readUInt32BE(60);
  }
  const db = new Database(path, { readonly: true });
  try {
    return userVersion(db);
  } finally {
    db.close();
  }
}

/** Refuse a database whose schema is newer than this binary's, before anything is written to it. */
export function refuseNewerSchema(db: Database, path: string): void {
  let found: number;
  try {
    found = userVersion(db);
  } catch {
    return; // a file too broken to read its header: the integrity check that follows says so
  }
  if (found <= schemaVersion) return;
  const by = upgradedBy(db);
  const copy = path === ":memory:" || path === "" ? null : newestCopy(path, schemaVersion);
  throw new DatabaseTooNew(
    `the database ${path} is at schema version ${found}, written by a newer ShopFlow${by ? ` (${by.programVersion})` : ""}; this binary (ShopFlow ${version}) ` +
      `writes schema version ${schemaVersion} and cannot run on it. Nothing was changed. Start the newer shopflow again ` +
      `('shopflow --version' shows the schema a binary writes).` +
      (copy
        ? ` Going back to this version loses what was done since the upgrade; only if you must, stop the server and run 'shopflow restore ${copy}', the copy taken before it.`
        : ""),
  );
}

// `shopflow-schema-30-20261205T015750123Z.db` beside `shopflow.db`: the schema the copy is at and when it was taken
const copyName = (stem: string, schema: number, at: Date) => `${stem}-schema-${schema}-${at.toISOString().replace(/[-:.]/g, "")}.db`;
const stemOf = (path: string) => basename(path).replace(/\.db$/, "");
const copyPattern = (stem: string) => new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-schema-(\\d+)-(\\d{8}T\\d{9}Z)\\.db$`);

/** The copies taken before upgrades, oldest first. */
export function upgradeCopies(path: string): { file: string; schema: number }[] {
  const pattern = copyPattern(stemOf(path));
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, m: pattern.exec(name) }))
    .filter((x) => x.m !== null)
    .sort((a, b) => a.m![2]!.localeCompare(b.m![2]!) || a.name.localeCompare(b.name))
    .map((x) => ({ file: join(dirname(path), x.name), schema: Number(x.m![1]) }));
}

function newestCopy(path: string, atMost: number): string | null {
  return (
    upgradeCopies(path)
      .filter((c) => c.schema <= atMost)
      .at(-1)?.file ?? null
  );
}

/**
 * Bring the database up to this binary's schema: under the upgrade lock (a second start waits for the first), with a
 * copy of the database as it was taken first. `run` applies the migrations; it runs only when some are still due once
 * the lock is held. Nothing is migrated without a whole copy: a copy that fails stops the start. `check` (the integrity
 * check) runs first under the lock: a second start checking while the first migrates would read half-changed tables.
 */
export function upgradeUnderLock(db: Database, path: string, run: () => void, log: Logger = stderrLog, check: () => void = () => {}): void {
  if (path === ":memory:" || path === "") {
    check();
    run();
    return;
  }
  const lock = takeUpgradeLock(path, log);
  try {
    check();
    const from = userVersion(db);
    if (from >= schemaVersion) return; // another start did it while this one waited
    const copy = from > 0 ? copyBeforeUpgrade(db, path, from, log) : null;
    run();
    recordUpgrade(db, from, copy);
  } finally {
    lock.close();
  }
}

/**
 * The lock is a small SQLite file beside the database held in an exclusive transaction: the operating system drops it
 * with the process, so a start that crashed never leaves a stale lock behind.
 */
function takeUpgradeLock(path: string, log: Logger): Database {
  const lock = new Database(`${path}-upgrade-lock`, { create: true });
  try {
    lock.exec("PRAGMA busy_timeout = 0");
    try {
      lock.exec("BEGIN EXCLUSIVE");
      return lock;
    } catch (e) {
      if (!isBusy(e)) throw e;
    }
    log.warn("db.upgrade_waiting", {
      msg: `another shopflow is upgrading ${path}; waiting for it to finish (up to ${LOCK_WAIT_MS / 60_000} minutes)`,
      path,
    });
    lock.exec(`PRAGMA busy_timeout = ${LOCK_WAIT_MS}`);
    try {
      lock.exec("BEGIN EXCLUSIVE");
      return lock;
    } catch (e) {
      if (!isBusy(e)) throw e;
      throw new UpgradeBusy(
        `another shopflow has been upgrading ${path} for ${LOCK_WAIT_MS / 60_000} minutes; let it finish (see 'systemctl status shopflow' or the other window), then start again`,
      );
    }
  } catch (e) {
    lock.close();
    throw e;
  }
}

const isBusy = (e: unknown) => /^SQLITE_BUSY/.test(String((e as { code?: unknown })?.code ?? ""));

/** A whole, durable copy of the database as it is before the upgrade, then only the newest few copies kept. */
function copyBeforeUpgrade(db: Database, path: string, from: number, log: Logger): string {
  const file = join(dirname(path), copyName(stemOf(path), from, new Date()));
  const temp = `${file}.part`;
  rmSync(temp, { force: true });
  try {
    db.exec(`VACUUM INTO '${temp.replaceAll("'", "''")}'`);
    const fd = openSync(temp, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    const dir = openSync(dirname(path), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (e) {
    rmSync(temp, { force: true });
    throw new Error(
      `could not copy ${path} before upgrading it from schema version ${from} (${e instanceof Error ? e.message : String(e)}); ` +
        "nothing was upgraded. Free some disk space beside the database and start again.",
    );
  }
  log.warn("db.upgrading", {
    msg: `upgrading ${path} from schema version ${from} to ${schemaVersion}; the database as it was is kept in ${file}`,
    path,
    from,
    to: schemaVersion,
    copy: file,
  });
  for (const old of upgradeCopies(path).slice(0, -KEEP_UPGRADE_COPIES)) rmSync(old.file, { force: true });
  return file;
}

const hasUpgrades = (db: Database) => db.query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'upgrades'").get() !== null;

/** Say in the database which ShopFlow upgraded it, from which schema, and where the copy went (036_upgrades). */
function recordUpgrade(db: Database, from: number, copy: string | null): void {
  if (!hasUpgrades(db)) return;
  db.query("INSERT INTO upgrades (from_schema, to_schema, program_version, at, copy_file) VALUES (?, ?, ?, ?, ?)").run(
    from,
    userVersion(db),
    version,
    new Date().toISOString(),
    copy,
  );
}

/** The ShopFlow that last upgraded the database, when it says (036_upgrades and later). */
export function upgradedBy(db: Database): { programVersion: string; at: string } | null {
  try {
    if (!hasUpgrades(db)) return null;
    return db.query<{ programVersion: string; at: string }, []>("SELECT program_version AS programVersion, at FROM upgrades ORDER BY id DESC LIMIT 1").get();
  } catch {
    return null;
  }
}
