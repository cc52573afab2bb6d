// `make bench` (backup): a store holding a year of sales, served by the built binary, sells 100 sales a second over
// HTTP while its nightly backup runs (its backup time set a minute or two ahead). Reports the backup's time and size and
// the sales' p99 before, during and after the backup. Target: p99 during it at most 10 ms. Prints one JSON line.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { prepareFixture } from "../bench/fixture.ts";
import { startServer } from "../bench/server.ts";
import { percentile, progress, round } from "../bench/stats.ts";
import { saleStream } from "../bench/workload.ts";
import { seedYearOfSales } from "../bench/year-of-sales.ts";
import type { BackupStatus } from "../src/server/backups/status.ts";
import { openShop } from "../src/server/compose.ts";
import { writeSetting } from "../src/server/settings/settings.ts";
import { signIn } from "../tests/helpers/store.ts";

const SALES = Number(process.env.BENCH_BACKUP_SALES ?? 500_000);
const PRODUCTS = Number(process.env.BENCH_BACKUP_PRODUCTS ?? 20_000);
const RATE = 100;
const AFTER_MS = 10_000;
const WARM_UP_MS = 10_000;
const MAX_MS = 300_000;
const TARGET_P99_MS = 10;
const BINARY = process.env.BENCH_BINARY ?? join(import.meta.dir, "..", "dist", "shopflow");

const fixture = prepareFixture({ products: PRODUCTS });
try {
  const store = openShop({ dataDir: fixture.dataDir });
  const lane = await signIn(store, 1, { name: "Backup Bench", shift: false });
  const t0 = performance.now();
  seedYearOfSales(store, { sales: SALES, cashierId: lane.userId, asks: 1 });
  progress(`backup: ${SALES} sales seeded in ${round((performance.now() - t0) / 1000, 1)} s`);
  await store.stop();
  store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  store.close();
  // tonight's backup time a minute or two from now, last night's made: the server's own schedule starts the backup
  // (it looks once a minute) while the sales below have been going in for a while, past the first requests' warm-up
  const at = new Date(Math.ceil((Date.now() + 90_000) / 60_000) * 60_000);
  const lastNight = new Date(at.getTime() - 86_400_000 + 60_000).toISOString();
  const seeded = openShop({ dataDir: fixture.dataDir });
  writeSetting(seeded.db, "backup_time", at.toISOString().slice(11, 16));
  writeSetting(seeded.db, "time_zone", "UTC");
  seeded.close();
  const before: BackupStatus = {
    last: { file: "(bench)", bytes: 0, dbBytes: 0, at: lastNight, ms: 0, sales: 0 },
    failed: null,
    uploaded: null,
    uploadFailed: null,
  };
  writeFileSync(join(fixture.dataDir, "backup-status.json"), JSON.stringify(before));

  const server = await startServer({ binary: BINARY, dataDir: fixture.dataDir, timeoutMs: 30_000 });
  const status = (): BackupStatus => JSON.parse(readFileSync(join(fixture.dataDir, "backup-status.json"), "utf8"));
  const next = saleStream(fixture, 11);
  const samples: { due: number; ms: number; ok: boolean }[] = [];
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const wall0 = Date.now() - start;
  let done: number | null = null;
  try {
    for (let i = 0; ; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0.5) await Bun.sleep(wait);
      const sale = next();
      const p: Promise<void> = fetch(`${server.baseUrl}/api/v1/sales`, {
        method: "POST",
        headers: { Authorization: `Bearer ${fixture.token}`, "Content-Type": "application/json" },
        body: JSON.stringify(sale),
      })
        .then(async (res) => {
          await res.arrayBuffer();
          samples.push({ due: wall0 + due, ms: performance.now() - due, ok: res.status === 201 });
        })
        .catch(() => {
          samples.push({ due: wall0 + due, ms: performance.now() - due, ok: false });
        })
        .finally(() => pending.delete(p));
      pending.add(p);
      if (i % RATE === 0) {
        const s = status();
        if (done === null && (s.last?.at !== lastNight || s.failed)) done = performance.now();
        if ((done !== null && performance.now() - done > AFTER_MS) || performance.now() - start > MAX_MS) break;
      }
    }
    await Promise.all([...pending]);
  } finally {
    await server.stop();
  }
  const s = status();
  if (s.failed || !s.last || s.last.at === lastNight) throw new Error(`the server's backup did not finish: ${s.failed?.problem ?? "no backup made"}`);
  const from = Date.parse(s.last.at);
  const to = from + s.last.ms;
  const p99 = (xs: number[]) =>
    round(
      percentile(
        xs.sort((a, b) => a - b),
        99,
      ),
      2,
    );
  const during = samples.filter((x) => x.due >= from && x.due <= to).map((x) => x.ms);
  const warm = samples[0]!.due + WARM_UP_MS;
  const beforeIt = samples.filter((x) => x.due >= warm && x.due < from).map((x) => x.ms);
  const after = samples.filter((x) => x.due > to).map((x) => x.ms);
  const report = {
    backup: {
      sales_in_store: s.last.sales,
      database_mb: round(s.last.dbBytes / 1_048_576, 1),
      backup_mb: round(s.last.bytes / 1_048_576, 1),
      backup_ms: s.last.ms,
      rate_per_s: RATE,
      sales_during_backup: during.length,
      sale_p99_during_backup_ms: p99(during),
      sale_p99_before_backup_ms: p99(beforeIt),
      sale_p99_after_backup_ms: p99(after),
      sale_max_during_backup_ms: round(Math.max(0, ...during), 2),
      failed_sales: samples.filter((x) => !x.ok).length,
      target_p99_ms: TARGET_P99_MS,
      pass: during.length > 0 && p99([...during]) <= TARGET_P99_MS && samples.every((x) => x.ok),
    },
  };
  progress(`backup: ${report.backup.backup_ms} ms for ${report.backup.database_mb} MB; sale p99 ${report.backup.sale_p99_during_backup_ms} ms during it`);
  console.log(JSON.stringify(report));
  process.exitCode = report.backup.pass ? 0 : 1;
} finally {
  fixture.remove();
}
