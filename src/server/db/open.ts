// The one place that opens the store database: pragmas, integrity check, migrations.
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { migrations, type Migration } from "./migrations/index.ts";

export type OpenOptions = { readonly?: boolean; migrate?: boolean };

export class DatabaseCorrupt extends Error {}

export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: !options.readonly, readonly: options.readonly ?? false, strict: true });
  db.exec("PRAGMA busy_timeout = 5000");
  if (!options.readonly) {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
  }
  db.exec("PRAGMA foreign_keys = ON");
  // REPLACE deletes before it inserts; with this on, the append-only triggers see that delete and refuse it
  db.exec("PRAGMA recursive_triggers = ON");
  const check = db.query<{ quick_check: string }, []>("PRAGMA quick_check").get();
  if (check && check.quick_check !== "ok") {
    db.close();
    throw new DatabaseCorrupt(`database ${path} failed its integrity check: ${check.quick_check}`);
  }
  if (options.migrate !== false && !options.readonly) migrate(db, migrations);
  return db;
}

export function migrate(db: Database, list: readonly Migration[]): number {
  const current = db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version ?? 0;
  let applied = 0;
  for (const m of list) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.exec(`PRAGMA user_version = ${m.version}`);
    }).immediate();
    applied++;
  }
  return applied;
}
