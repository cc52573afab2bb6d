// The floor: the same sale as a bare in-process transaction (checkout.sell, no HTTP), on a copy of the bench store.
import type { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openShop } from "../src/server/compose.ts";
import { openDatabase } from "../src/server/db/open.ts";
import type { Section } from "./context.ts";
import { progress, round, summarize } from "./stats.ts";
import { saleStream } from "./workload.ts";

const WARM_UP = 200;
const MAX_SALES = 50_000;
const MAX_MS = 5_000;
const COMMITS = 500;
const COMMITS_MAX_MS = 3_000;
const WAL_SAMPLE_SALES = 100;

/** Pages one sale adds to the WAL (each is written, then checkpointed into the database: the write amplification). */
function walPagesPerSale(db: Database, sell: () => unknown): number | null {
  type Checkpoint = { busy: number; log: number; checkpointed: number };
  const checkpoint = (mode: string) => db.query<Checkpoint, []>(`PRAGMA wal_checkpoint(${mode})`).get();
  const auto = db.query<{ wal_autocheckpoint: number }, []>("PRAGMA wal_autocheckpoint").get()?.wal_autocheckpoint ?? 1000;
  try {
    db.exec("PRAGMA wal_autocheckpoint = 0");
    if (checkpoint("TRUNCATE")?.busy !== 0) return null;
    for (let i = 0; i < WAL_SAMPLE_SALES; i++) sell();
    const after = checkpoint("PASSIVE");
    return after ? round(after.log / WAL_SAMPLE_SALES, 1) : null;
  } finally {
    db.exec(`PRAGMA wal_autocheckpoint = ${auto}`);
  }
}

export const floor: Section = {
  name: "floor",
  phase: "offline",
  async run(ctx) {
    const store = openShop({ dataDir: ctx.fixture.floorDataDir });
    try {
      store.reloadSettings();
      const registerId = ctx.fixture.registerId;
      const nextSale = saleStream(ctx.fixture, 501);
      const sell = () => {
        const s = nextSale();
        return store.checkout.sell(registerId, s.lines, s.payments);
      };
      for (let i = 0; i < WARM_UP; i++) sell();
      progress(`floor: in-process checkout.sell for up to ${MAX_MS / 1000} s`);
      const latencies: number[] = [];
      const t0 = performance.now();
      while (latencies.length < MAX_SALES && performance.now() - t0 < MAX_MS) {
        const s = performance.now();
        sell();
        latencies.push(performance.now() - s);
      }
      const elapsed = performance.now() - t0;
      const walPages = walPagesPerSale(store.db, sell);
      const salesPerS = (latencies.length / elapsed) * 1000;
      const lat = summarize(latencies);
      const floorMsPerSale = 1000 / salesPerS;
      const saturation = ctx.results.sale_saturation as { ms_per_sale?: number } | undefined;
      return {
        floor: {
          sales: latencies.length,
          sales_per_s: round(salesPerS, 1),
          us_per_sale: round(floorMsPerSale * 1000, 1),
          p50_us: round(lat.p50_ms * 1000, 1),
          p99_us: round(lat.p99_ms * 1000, 1),
          wal_pages_per_sale: walPages,
        },
        // Saturated HTTP time per sale over bare transaction time per sale: what HTTP, JSON and validation cost.
        http_floor_ratio: saturation?.ms_per_sale ? round(saturation.ms_per_sale / floorMsPerSale, 2) : null,
      };
    } finally {
      store.close();
    }
  },
};

/**
 * The disk's share: a one-row commit with the store's own pragmas (WAL, synchronous=FULL), beside the floor store.
 * When this tail is high, sale tails are the disk's, not the code's.
 */
export const diskCommit: Section = {
  name: "disk_commit",
  phase: "offline",
  async run(ctx) {
    const path = join(ctx.fixture.floorDataDir, "commit-probe.db");
    const db = openDatabase(path, { migrate: false });
    try {
      db.exec("CREATE TABLE probe (n INTEGER NOT NULL)");
      const insert = db.query("INSERT INTO probe (n) VALUES (?)");
      const commit = db.transaction((n: number) => insert.run(n));
      const latencies: number[] = [];
      const t0 = performance.now();
      while (latencies.length < COMMITS && performance.now() - t0 < COMMITS_MAX_MS) {
        const s = performance.now();
        commit.immediate(latencies.length);
        latencies.push(performance.now() - s);
      }
      const lat = summarize(latencies);
      return {
        disk_commit: {
          commits: latencies.length,
          p50_us: round(lat.p50_ms * 1000, 1),
          p99_us: round(lat.p99_ms * 1000, 1),
          max_us: round(lat.max_ms * 1000, 1),
        },
      };
    } finally {
      db.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
    }
  },
};
