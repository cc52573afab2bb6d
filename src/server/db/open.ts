// The one place that opens the store database: pragmas, integrity check, migrations, background checkpoints.
import { Database } from "bun:sqlite";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { type Logger, stderrLog } from "../platform/log/log.ts";
import { type CheckpointStats, type Checkpoints, integrityProblem, startCheckpoints } from "./checkpoints.ts";
import { type Migration, migrations } from "./migrations/index.ts";
import { refuseNewerSchema, upgradeUnderLock } from "./upgrade.ts";

export type OpenOptions = {
  readonly?: boolean;
  migrate?: boolean;
  /** Where upgrades, checkpoint trouble and a failed integrity check are logged (default: stderr). */
  log?: Logger;
};

export class DatabaseCorrupt extends Error {}

/**
 * How sound the open database is known to be. "ok": checked before it opened, or in the background since.
 * "checking": it shut down cleanly and is untouched since, so it serves while the check runs. "failed": it refuses
 * every change from then on.
 */
export type Integrity = { state: "ok" | "checking" | "failed"; problem: string | null };

type Lifecycle = { path: string; checkpoints: Checkpoints | null; integrity: Integrity };
const lifecycles = new WeakMap<Database, Lifecycle>();

/** A store connection: closing it also stops its checkpointer and, when SQLite shut the file cleanly, says so on disk. */
class StoreDatabase extends Database {
  override close(throwOnError?: boolean): void {
    const life = lifecycles.get(this);
    if (!life) {
      super.close(throwOnError);
      return;
    }
    lifecycles.delete(this);
    const released = life.checkpoints?.stop() ?? true;
    // finalize every statement so SQLite closes now: the last connection checkpoints the WAL and removes it
    super.close(true);
    const checked = life.integrity.state === "ok" || life.checkpoints?.integrity() === "ok";
    if (released && checked) markCleanClose(life.path);
  }
}

export function openDatabase(path: string, options: OpenOptions = {}): Database {
  const onDisk = path !== ":memory:" && path !== "";
  const writable = !options.readonly;
  const log = options.log ?? stderrLog;
  if (onDisk) mkdirSync(dirname(path), { recursive: true });
  const cleanBefore = onDisk && writable && closedCleanly(path);
  const db = new StoreDatabase(path, { create: writable, readonly: !writable, strict: true });
  let checkLater = false;
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    // a newer binary's database: refused before this one writes anything to it
    if (options.migrate !== false) refuseNewerSchema(db, path);
    if (writable) {
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = FULL");
    }
    db.exec("PRAGMA foreign_keys = ON");
    // REPLACE deletes before it inserts; with this on, the append-only triggers see that delete and refuse it
    db.exec("PRAGMA recursive_triggers = ON");
    const migrating = writable && options.migrate !== false && pendingMigrations(db, migrations);
    // The check reads every page, so its time grows with the catalog. After a crash, a copy or an upgrade it runs
    // before the store serves; after a clean shutdown it runs in the background and a failure stops all changes.
    checkLater = cleanBefore && !migrating;
    const check = () => {
      const problem = integrityProblem(db);
      if (problem !== null) throw new DatabaseCorrupt(`database ${path} failed its integrity check: ${problem}`);
    };
    // one start at a time migrates, after a copy of the database as it was (upgrade.ts); the check runs under the
    // same lock, so it never reads tables another start is changing (its full-text index half made)
    if (migrating) upgradeUnderLock(db, path, () => migrate(db, migrations), log, check);
    else if (!checkLater) check();
  } catch (e) {
    db.close();
    throw e;
  }
  if (!onDisk || !writable) return db;
  const life: Lifecycle = { path, checkpoints: null, integrity: { state: checkLater ? "checking" : "ok", problem: null } };
  lifecycles.set(db, life);
  life.checkpoints = startCheckpoints(db, path, {
    checkIntegrity: checkLater,
    log,
    onIntegrity(problem) {
      if (!lifecycles.has(db)) return;
      life.integrity = { state: problem === null ? "ok" : "failed", problem };
      if (problem === null) return;
      db.exec("PRAGMA query_only = ON");
      log.error("db.integrity_failed", {
        msg: `database ${path} failed its integrity check: ${problem}. It refuses every change from now on; restore a backup.`,
        path,
        problem,
      });
    },
  });
  return db;
}

/** Integrity and checkpoint figures of a database opened by `openDatabase` (null for others: in memory, read-only). */
export function databaseHealth(db: Database): { integrity: Integrity; checkpoints: CheckpointStats | null } | null {
  const life = lifecycles.get(db);
  return life ? { integrity: life.integrity, checkpoints: life.checkpoints?.stats() ?? null } : null;
}

export function migrate(db: Database, list: readonly Migration[]): number {
  // out of order, a later migration would raise user_version past an earlier one and that one would never run
  const disorder = list.findIndex((m, i) => i > 0 && m.version <= list[i - 1]!.version);
  if (disorder > 0) throw new Error(`migration ${list[disorder]!.name} is listed after ${list[disorder - 1]!.name}; list them in version order`);
  const current = userVersion(db);
  let applied = 0;
  for (const m of list) {
    if (m.version <= current) continue;
    // a migration that rebuilds a table others refer to runs as SQLite says it must: foreign keys off (the pragma is
    // a no-op inside a transaction), the rebuild, then every reference checked before it commits
    if (m.rebuildsTables) db.exec("PRAGMA foreign_keys = OFF");
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (m.rebuildsTables) {
          const broken = db.query<{ table: string; parent: string }, []>("PRAGMA foreign_key_check").all();
          if (broken.length > 0) throw new Error(`migration ${m.name} leaves ${broken.length} broken references (${broken[0]!.table} -> ${broken[0]!.parent})`);
        }
        db.exec(`PRAGMA user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (m.rebuildsTables) db.exec("PRAGMA foreign_keys = ON");
    }
    applied++;
  }
  return applied;
}

function userVersion(db: Database): number {
  return db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version ?? 0;
}

function pendingMigrations(db: Database, list: readonly Migration[]): boolean {
  const current = userVersion(db);
  return list.some((m) => m.version > current);
}

// The clean-close mark: a file beside the database naming the exact file SQLite left behind (device, inode, size,
// change times). It holds for one start only: it is removed, durably, before that start writes anything.
const markPath = (path: string) => `${path}-clean`;

function fingerprint(path: string): string | null {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : null;
}

function syncFolder(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** True when the last close of `path` was clean and nothing touched the file since; uses up the mark either way. */
function closedCleanly(path: string): boolean {
  let mark: string;
  try {
    mark = readFileSync(markPath(path), "utf8");
  } catch {
    return false;
  }
  try {
    rmSync(markPath(path), { force: true });
    syncFolder(dirname(path));
  } catch {
    return false;
  }
  return !existsSync(`${path}-wal`) && mark === fingerprint(path);
}

/** SQLite closed the file and removed the WAL, so everything is in the database file: say so for the next start. */
function markCleanClose(path: string): void {
  // still there: another connection (a CLI command beside the server, say) has the file open, so this was not the last
  if (existsSync(`${path}-wal`)) return;
  const print = fingerprint(path);
  if (print === null) return;
  try {
    const fd = openSync(markPath(path), "w");
    try {
      writeSync(fd, print);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    syncFolder(dirname(path));
  } catch {
    // without the mark the next start checks the whole file first: slower, never less safe
  }
}
