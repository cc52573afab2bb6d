// `make bench` (journal): a store journal holding a year of sales (SALES_PER_DAY a day, each day closed, months and the
// year too), then `journal verify`'s check timed over all of it. Target: at most 10 s. Prints one JSON line.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openShop } from "../src/server/compose.ts";
import { journalWriter } from "../src/server/journal/journal.ts";
import { journalKeyPath, loadOrMakeJournalKey, publicKeyFrom } from "../src/server/journal/keys.ts";
import { verifyJournalFully } from "../src/server/journal/verify.ts";

const SALES_PER_DAY = Number(process.env.BENCH_JOURNAL_SALES_PER_DAY ?? 1500);
const DAYS = 365;
const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-journal-"));
try {
  const store = openShop({ dataDir: dir });
  const write = journalWriter(store.db);
  const seedStart = performance.now();
  const day0 = Date.UTC(2025, 0, 1);
  for (let d = 0; d < DAYS; d++) {
    store.db.transaction(() => {
      for (let i = 0; i < SALES_PER_DAY; i++) {
        const at = new Date(day0 + d * 86_400_000 + 8 * 3_600_000 + i * 20_000).toISOString();
        write(at, "sale.completed", crypto.randomUUID(), { receipt: `001-${d * SALES_PER_DAY + i}`, total: 1000 + (i % 500), paid: 2000, change: 0 });
      }
    })();
    store.closures!.closeDue(new Date(day0 + (d + 1) * 86_400_000 + 3_600_000));
  }
  const seedMs = performance.now() - seedStart;
  const key = publicKeyFrom(loadOrMakeJournalKey(journalKeyPath(dir)).publicPem);
  const start = performance.now();
  const r = verifyJournalFully(store.db, key);
  const verifyMs = performance.now() - start;
  store.close();
  if (r.broken) throw new Error(`the bench's journal does not hold: ${JSON.stringify(r.broken)}`);
  const report = {
    journal_verify: {
      entries: r.entries,
      closures: r.closures,
      seed_ms: Math.round(seedMs),
      verify_ms: Math.round(verifyMs),
      target_ms: 10_000,
      pass: verifyMs <= 10_000,
    },
  };
  console.log(JSON.stringify(report));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
