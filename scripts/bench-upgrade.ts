// `make bench` (upgrade): what an upgrade adds to a start. The copy taken before migrating, on a store holding a year
// of sales (its size decides the time), and the migrations themselves from the kept release database
// (tests/fixtures/store-schema-<N>.db.gz) to today's schema. No target: the figures are reported. Prints one JSON line.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareFixture } from "../bench/fixture.ts";
import { progress, round } from "../bench/stats.ts";
import { seedYearOfSales } from "../bench/year-of-sales.ts";
import { openShop } from "../src/server/compose.ts";
import { openDatabase } from "../src/server/db/open.ts";
import { schemaVersion, upgradeCopies, upgradeUnderLock, userVersion } from "../src/server/db/upgrade.ts";
import { signIn } from "../tests/helpers/store.ts";
import { releaseFixtures, unpack } from "../tests/upgrade/support.ts";

const SALES = Number(process.env.BENCH_UPGRADE_SALES ?? 500_000);
const PRODUCTS = Number(process.env.BENCH_UPGRADE_PRODUCTS ?? 20_000);

const fixture = prepareFixture({ products: PRODUCTS });
const work = mkdtempSync(join(tmpdir(), "shopflow-bench-upgrade-"));
try {
  const store = openShop({ dataDir: fixture.dataDir });
  const lane = await signIn(store, 1, { name: "Upgrade Bench", shift: false });
  const t0 = performance.now();
  seedYearOfSales(store, { sales: SALES, cashierId: lane.userId, asks: 1 });
  progress(`upgrade: ${SALES} sales seeded in ${round((performance.now() - t0) / 1000, 1)} s`);
  await store.stop();
  store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  store.close();

  // the copy: the same code a start runs (lock, VACUUM INTO, fsync, rename), on the database one schema behind
  const path = join(fixture.dataDir, "shopflow.db");
  const db = new Database(path);
  db.exec(`PRAGMA user_version = ${schemaVersion - 1}`);
  const c0 = performance.now();
  upgradeUnderLock(db, path, () => db.exec(`PRAGMA user_version = ${schemaVersion}`));
  const copyMs = performance.now() - c0;
  const copy = upgradeCopies(path).at(-1)!;
  const dbBytes = statSync(path).size;
  const copyBytes = statSync(copy.file).size;
  if (userVersion(db) !== schemaVersion) throw new Error("the bench's upgrade did not finish");
  db.close();

  // the migrations: the kept release database opened by today's code (integrity check, copy, migrations)
  const kept = releaseFixtures()[0]!;
  const keptPath = unpack(kept, join(work, "release"));
  const m0 = performance.now();
  openDatabase(keptPath).close();
  const migrateMs = performance.now() - m0;

  const report = {
    upgrade: {
      sales_in_store: SALES,
      database_mb: round(dbBytes / 1_048_576, 1),
      copy_mb: round(copyBytes / 1_048_576, 1),
      copy_before_upgrade_ms: Math.round(copyMs),
      from_schema: kept.schema,
      to_schema: schemaVersion,
      release_database_start_ms: Math.round(migrateMs),
    },
  };
  progress(
    `upgrade: copy of ${report.upgrade.database_mb} MB in ${report.upgrade.copy_before_upgrade_ms} ms; schema ${kept.schema} -> ${schemaVersion} in ${report.upgrade.release_database_start_ms} ms`,
  );
  console.log(JSON.stringify(report));
} finally {
  fixture.remove();
  rmSync(work, { recursive: true, force: true });
}
