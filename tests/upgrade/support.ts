// What the upgrade tests share: the kept databases of earlier releases (tests/fixtures/store-schema-<N>.db.gz, made by
// scripts/make-upgrade-fixture.ts) unpacked into a data folder, and a database left at an older schema by this code.
import { Database } from "bun:sqlite";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { migrations } from "../../src/server/db/migrations/index.ts";
import { migrate, openDatabase } from "../../src/server/db/open.ts";

const fixtures = resolve(import.meta.dir, "../fixtures");

export type KeptSale = { id: string; receipt_number: string; total: number; lines: number };
export type Fixture = { schema: number; madeBy: string; sales: KeptSale[]; file: string };

/** Every kept release database, oldest schema first. */
export function releaseFixtures(): Fixture[] {
  return readdirSync(fixtures)
    .map((name) => /^store-schema-(\d+)\.db\.gz$/.exec(name))
    .filter((m) => m !== null)
    .map((m) => ({ ...JSON.parse(readFileSync(join(fixtures, `store-schema-${m[1]}.json`), "utf8")), file: join(fixtures, m[0]) }) as Fixture)
    .sort((a, b) => a.schema - b.schema);
}

/** The fixture unpacked as `dataDir`/shopflow.db, as the release left it. */
export function unpack(fixture: Fixture, dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "shopflow.db");
  writeFileSync(path, Bun.gunzipSync(readFileSync(fixture.file)));
  return path;
}

/**
 * A database a start has to upgrade, as `dataDir`/shopflow.db: the oldest kept release's, or, when that is at today's
 * schema, one this code leaves a migration short of it. `from` is its schema.
 */
export function olderDatabase(dataDir: string): { path: string; from: number } {
  const oldest = releaseFixtures()[0]!;
  if (oldest.schema < migrations.at(-1)!.version) return { path: unpack(oldest, dataDir), from: oldest.schema };
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "shopflow.db");
  const db = openDatabase(path, { migrate: false });
  migrate(db, migrations.slice(0, -1));
  db.close();
  return { path, from: migrations.at(-2)!.version };
}

/** Read straight from the file, read-only, without the program's open (no migration, no checks). */
export function raw<T>(path: string, fn: (db: Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export const schemaOf = (path: string) => raw(path, (db) => db.query<{ user_version: number }, []>("PRAGMA user_version").get()!.user_version);

export const completedSales = (path: string) =>
  raw(path, (db) =>
    db
      .query<{ id: string; receipt_number: string; total: number }, []>(
        "SELECT id, receipt_number, total FROM sales WHERE status = 'completed' ORDER BY receipt_number",
      )
      .all(),
  );
