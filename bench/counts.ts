// Stock counts at 1,000,000 products: a 10,000-line count (a shelf location's products, every line off by a little, a
// few sales while counting) committed — review, a 'count' movement per line through the ledger, the lines' expected
// and cost written down, the audit row, in one transaction — against the 1 s; the report's read of it; and one
// scan, the counter's wait. In-process on a real SQLite file. Run alone (`bun bench/counts.ts`: one JSON report on
// stdout, progress on stderr) or as the section `counts` of bench/run.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../src/server/api/tokens.ts";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { openShop } from "../src/server/compose.ts";
import { countQueries } from "../src/server/inventory/count-queries.ts";
import { reviewOf } from "../src/server/inventory/counts.ts";
import { version } from "../src/server/platform/version.ts";
import { writeSetting } from "../src/server/settings/settings.ts";
import type { Section } from "./context.ts";
import { progress, round, seededRandom, summarize } from "./stats.ts";

const PRODUCTS = Number(process.env.BENCH_COUNT_PRODUCTS ?? 1_000_000);
const LINES = 10_000;
const RUNS = 3;
const SALES_WHILE_COUNTING = 20;
const SCANS = 300;
/** The target for committing a 10,000-line count. */
export const COUNT_COMMIT_TARGET_MS = 1000;

async function measure(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-counts-"));
  const store = openShop({ dataDir: dir });
  try {
    const at = store.clock.now().toISOString();
    const s0 = performance.now();
    seedDemoCatalog(store.db, { products: PRODUCTS, now: at });
    writeSetting(store.db, "negative_stock", "allow");
    store.reloadSettings();
    store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const seedMs = performance.now() - s0;
    progress(`counts: ${PRODUCTS} products seeded in ${round(seedMs / 1000, 1)} s`);
    store.printing.worker.halt();

    const supervisor = await store.users.add("Count Bench Supervisor", "supervisor", "246810", at);
    const manager = await store.users.add("Count Bench Manager", "manager", "135791", at);
    const who = { userId: supervisor.id, userName: supervisor.name, registerName: null };
    const { registerId } = createToken(store.db, "Count bench", at);
    const reads = countQueries(store.db);
    const random = seededRandom(2121);

    const commitMs: number[] = [];
    const reviewMs: number[] = [];
    const listMs: number[] = [];
    let movements = 0;
    for (let run = 0; run < RUNS; run++) {
      // a shelf location of 10,000 products from all over the catalog, with costs
      const location = `Bench aisle ${run + 1}`;
      store.db.transaction(() => {
        store.db
          .query(
            "UPDATE products SET location = ?, cost = coalesce(cost, price / 2) WHERE id IN (SELECT id FROM products WHERE location IS NULL ORDER BY random() LIMIT ?)",
          )
          .run(location, LINES);
      })();
      const shelf = store.db
        .query<{ id: number; barcode: string | null; price: number; weighed: number }, [string]>(
          "SELECT id, barcode, price, weighed FROM products WHERE location = ?",
        )
        .all(location);
      const { id } = store.counts.open(who, { kind: "location", location });

      // the counters' lists, each line a little off what the books say (every line a movement: the worst case)
      const rows = store.db
        .query<{ id: number; stock_milli: number }, [string]>("SELECT id, stock_milli FROM products WHERE location = ?")
        .all(location)
        .map((p) => {
          const off = (1 + Math.floor(random() * 3)) * (random() < 0.5 ? -1 : 1) * 1000;
          return { productId: p.id, qtyMilli: Math.max(0, p.stock_milli + off) };
        });
      const l0 = performance.now();
      store.counts.addList(who, id, rows);
      listMs.push(performance.now() - l0);

      // customers buy from the shelf while it is counted
      const sellable = shelf.filter((p) => p.barcode && p.weighed === 0 && p.price > 0);
      for (let s = 0; s < SALES_WHILE_COUNTING; s++) {
        const p = sellable[Math.floor(random() * sellable.length)]!;
        store.checkout.sell(registerId, [{ barcode: p.barcode! }], [{ method: "cash", amount: p.price * 2 + 1000 }]);
      }

      // the report's read: every line's expected from the ledger, and the review
      const r0 = performance.now();
      const review = reviewOf(reads.reviewRows(id), [], "leave");
      reviewMs.push(performance.now() - r0);

      const c0 = performance.now();
      const done = store.counts.approve(who, id, { uncounted: "leave", seen: reads.header(id)!.changes }, { id: manager.id, name: manager.name });
      commitMs.push(performance.now() - c0);
      movements += done.movements;
      if (done.movements !== review.lines.filter((l) => l.varianceMilli !== 0).length)
        throw new Error("the approval wrote another number of movements than the review had differences");
      progress(`counts: run ${run + 1}: ${LINES}-line count committed in ${round(commitMs.at(-1)!, 1)} ms (${done.movements} movements)`);
    }

    // one scan as a counter waits for it: a transaction of its own, committed to disk, on a count of the whole store
    const { id } = store.counts.open(who, { kind: "all" });
    const ids = store.db.query<{ id: number }, [number]>("SELECT id FROM products WHERE weighed = 0 ORDER BY random() LIMIT ?").all(SCANS);
    const scanMs: number[] = [];
    for (const p of ids) {
      const t0 = performance.now();
      store.counts.count(id, p.id, 1000);
      scanMs.push(performance.now() - t0);
    }
    store.counts.cancel(who, id);

    const commit = summarize(commitMs);
    return {
      products: PRODUCTS,
      seed_ms: round(seedMs, 0),
      lines: LINES,
      runs: RUNS,
      sales_while_counting: SALES_WHILE_COUNTING,
      movements,
      count_commit_10k_ms: commit.max_ms,
      commit: { via: "shop.counts.approve in-process: review, a movement per line, lines written down, audit; one transaction", ...commit },
      review_10k: { via: "the report's read: each line's expected from the ledger, and the review", ...summarize(reviewMs) },
      list_10k: { via: "a 10,000-row count list added in one transaction", ...summarize(listMs) },
      scan: { via: "one scan, its own transaction (synchronous=FULL)", ...summarize(scanMs) },
      ledger_disagreements: store.ledger.disagreements().length,
    };
  } finally {
    await store.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const counts: Section = {
  name: "counts",
  phase: "offline",
  async run() {
    return { counts: await measure() };
  },
};

if (import.meta.main) {
  const figures = await measure();
  const value = figures.count_commit_10k_ms as number;
  const pass = { count_commit_10k_ms: Number.isFinite(value) && value <= COUNT_COMMIT_TARGET_MS };
  const meta = { version, bun: Bun.version, products: PRODUCTS, at: new Date().toISOString() };
  console.log(JSON.stringify({ bench: meta, counts: figures, targets: { count_commit_10k_ms: { max: COUNT_COMMIT_TARGET_MS } }, pass }, null, 2));
  process.exitCode = pass.count_commit_10k_ms ? 0 : 1;
}
