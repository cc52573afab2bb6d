// Frequently bought together at 1,000,000 products: a store's history of baskets (shop-like: a few thousand products
// bought often, a long tail, some products with a habitual partner) counted from the journal as the background worker
// does after an upgrade, the register's suggestion looked up after a scan, the report's first page, and sales at a
// steady 100 a second through the JSON API with the worker stopped, then running on the new sales, then catching up on
// the whole history as after an upgrade (a sale must not notice it), and how fast it catches up when the shop is quiet.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../src/server/api/tokens.ts";
import { createApp } from "../src/server/app.ts";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { openShop, type Shop } from "../src/server/compose.ts";
import { journalWriter } from "../src/server/journal/journal.ts";
import { ensureRegister } from "../src/server/registers/records.ts";
import { togetherWorker } from "../src/server/reports/together-worker.ts";
import { writeSetting } from "../src/server/settings/settings.ts";
import type { Section } from "./context.ts";
import { type Outcome, openLoop } from "./measure.ts";
import { progress, round, seededRandom, summarize } from "./stats.ts";

const PRODUCTS = Number(process.env.BENCH_TOGETHER_PRODUCTS ?? 1_000_000);
const BASKETS = Number(process.env.BENCH_TOGETHER_BASKETS ?? 50_000);
/** The products bought often (Zipf-weighted); the rest of the catalog is the long tail. */
const HEAD = Math.min(20_000, Math.floor(PRODUCTS / 10) * 2);
const TAIL_SHARE = 0.15;
const PARTNER_SHARE = 0.35;
const LOOKUPS = 20_000;
const REPORT_LOADS = 50;
const RATE_PER_S = 100;
const DURATION_MS = 10_000;
const DRAIN_MS = 10_000;
const QUIET_MS = 10_000;

type Product = { id: number; sku: string; barcode: string | null; name: string; price: number };

/** The history: BASKETS completed sales written as a completing sale writes them (sale, lines, journal entry). */
function seedBaskets(store: Shop, products: Product[], random: () => number): void {
  const weights = Array.from({ length: HEAD }, (_, i) => 1 / (i + 1));
  const cdf: number[] = [];
  weights.reduce((sum, w, i) => (cdf[i] = sum + w), 0);
  const total = cdf.at(-1)!;
  const head = (): number => {
    const x = random() * total;
    let lo = 0;
    let hi = HEAD - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const pick = () => (random() < TAIL_SHARE ? Math.floor(random() * products.length) : head());
  const registerId = ensureRegister(store.db, "Bench lane", "2026-01-01T00:00:00.000Z");
  const journal = journalWriter(store.db);
  const addSale = store.db.query(
    "INSERT INTO sales(id, register_id, status, opened_at, completed_at, business_date, subtotal, total, paid) VALUES (?, ?, 'completed', ?, ?, ?, ?, ?, ?)",
  );
  const addLine = store.db.query(`INSERT INTO sale_lines(sale_id, line_no, product_id, sku, barcode, name, qty_milli, unit_price, amount, discount,
    tax_class, tax_rate_bp, tax, total) VALUES (?, ?, ?, ?, ?, ?, 1000, ?, ?, 0, 'STD', 2000, 0, ?)`);
  const t0 = Date.parse("2026-01-01T08:00:00.000Z");
  const write = store.db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      // 1 to 40 different products, most baskets small (a geometric size, mean about 8)
      const size = Math.min(40, 1 + Math.floor(Math.log(1 - random()) / Math.log(1 - 1 / 8)));
      const basket = new Set<number>();
      while (basket.size < size) {
        const i = pick();
        basket.add(i);
        // a habit: this product's partner (its neighbour in the head) goes with it a third of the time
        if (i < HEAD && random() < PARTNER_SHARE) basket.add(i ^ 1);
      }
      const id = `bench-sale-${n}`;
      const at = new Date(t0 + n * 60_000).toISOString();
      const items = [...basket].map((i) => products[i]!);
      const sum = items.reduce((s, p) => s + p.price, 0);
      addSale.run(id, registerId, at, at, at.slice(0, 10), sum, sum, sum);
      items.forEach((p, k) => {
        addLine.run(id, k + 1, p.id, p.sku, p.barcode, p.name, p.price, p.price, p.price);
      });
      journal(at, "sale.completed", id, { total: sum });
    }
  });
  for (let n = 0; n < BASKETS; n += 5_000) write.immediate(n, Math.min(BASKETS, n + 5_000));
}

/** Everything counted so far forgotten, as before the first count. */
function forgetCounts(store: Shop): void {
  store.db.transaction(() => {
    for (const table of ["together_pairs", "together_products", "together_rules", "together_stale"]) store.db.exec(`DELETE FROM ${table}`);
    store.db.exec(`UPDATE together_cursor SET last_seq = 0, part = 0, baskets = 0, skipped = 0, min_baskets = NULL, period_start = NULL, halvings = 0,
      halve_by = 0, halve_stage = 0, halve_a = 0, halve_b = 0, restale_after = NULL WHERE id = 1`);
  })();
  store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

/** Sales at RATE_PER_S through the API, five lines each. */
async function salesAtRate(app: ReturnType<typeof createApp>, token: string, products: Product[], random: () => number, tag: string) {
  let n = 0;
  const sellable = products.slice(0, HEAD).filter((p) => p.barcode !== null && p.price > 0);
  return await openLoop(RATE_PER_S, DURATION_MS, DRAIN_MS, async (): Promise<Outcome> => {
    const picked = Array.from({ length: 5 }, () => sellable[Math.floor(random() * sellable.length)]!);
    const total = picked.reduce((s, p) => s + p.price, 0);
    const res = await app.request("/api/v1/sales", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": `together-${tag}-${n++}` },
      body: JSON.stringify({ lines: picked.map((p) => ({ barcode: p.barcode, qty: 1 })), payments: [{ method: "cash", amount: total * 2 + 1000 }] }),
    });
    await res.text();
    return { ok: res.status === 201, status: res.status };
  });
}

export const together: Section = {
  name: "together",
  phase: "offline",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-together-"));
    const store = openShop({ dataDir: dir });
    const app = createApp(store);
    try {
      const random = seededRandom(1616);
      const s0 = performance.now();
      seedDemoCatalog(store.db, { products: PRODUCTS, now: store.clock.now().toISOString() });
      writeSetting(store.db, "negative_stock", "allow");
      store.reloadSettings();
      // the head is the first HEAD products in a shuffled order, so the often-bought ones are spread over the catalog
      const products = store.db.query<Product, []>("SELECT id, sku, barcode, name, price FROM products WHERE weighed = 0 AND active = 1").all();
      for (let i = products.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [products[i], products[j]] = [products[j]!, products[i]!];
      }
      seedBaskets(store, products, random);
      store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      progress(`together: ${PRODUCTS} products and ${BASKETS} baskets seeded in ${round((performance.now() - s0) / 1000, 1)} s`);

      // the history counted as the worker does it, step by step: how long each step holds the writer
      const countMs: number[] = [];
      const rulesMs: number[] = [];
      const c0 = performance.now();
      for (;;) {
        const t = performance.now();
        const did = store.together.step();
        const ms = performance.now() - t;
        if (!did) break;
        (did === "rules" ? rulesMs : countMs).push(ms);
      }
      const countSeconds = (performance.now() - c0) / 1000;
      const pairs = store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM together_pairs").get()!.n;
      const rules = store.db
        .query<{ n: number; products: number }, []>("SELECT count(*) AS n, count(DISTINCT product_id) AS products FROM together_rules")
        .get()!;
      progress(`together: counted in ${round(countSeconds, 1)} s, ${pairs} pairs, ${rules.n} rules for ${rules.products} products`);

      // the lookup after a scan: the scanned product drawn as shoppers buy, a basket of a few others beside it
      const lookupMs: number[] = [];
      let offered = 0;
      for (let i = 0; i < LOOKUPS; i++) {
        const scanned = products[Math.floor(HEAD * random() ** 2)]!.id;
        const inBasket = new Set<number>([scanned]);
        while (inBasket.size < 6) inBasket.add(products[Math.floor(random() * HEAD)]!.id);
        const t = performance.now();
        const s = store.together.suggestionFor(scanned, inBasket);
        lookupMs.push(performance.now() - t);
        if (s) offered++;
      }
      const lookup = summarize(lookupMs);
      progress(`together: suggestion lookup p99 ${lookup.p99_ms} ms, ${offered} of ${LOOKUPS} scans offered one`);

      const reportMs: number[] = [];
      for (let i = 0; i < REPORT_LOADS; i++) {
        const t = performance.now();
        store.together.strongest(201);
        reportMs.push(performance.now() - t);
      }

      // a sale's latency with the worker stopped, then running (it counts the sales as they come); the WAL the
      // counting above wrote is checkpointed first, so neither run pays for it
      store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      const { token } = createToken(store.db, "Together bench", store.clock.now().toISOString());
      store.printing.worker.halt();
      const without = await salesAtRate(app, token, products, random, "off");
      // the worker as the store runs it: told of the sale requests, it waits for a quiet moment
      const worker = togetherWorker(store.together, { everyMs: 1_000, traffic: store.saleTraffic });
      worker.start();
      const withWorker = await salesAtRate(app, token, products, random, "on").finally(() => worker.stop());
      const sale = (r: typeof without) => ({ completed: r.latenciesMs.length, ...summarize(r.latenciesMs), non_201: r.failures });
      progress(`together: sale p99 ${summarize(without.latenciesMs).p99_ms} ms without the worker, ${summarize(withWorker.latenciesMs).p99_ms} ms with it`);

      // the counts started again from nothing, as after an upgrade: the worker catches up on the whole history while
      // the sales come in, then with none
      forgetCounts(store);
      const journalEnd = store.db.query<{ seq: number }, []>("SELECT max(seq) AS seq FROM journal").get()!.seq;
      const catching = togetherWorker(store.together, { everyMs: 1_000, traffic: store.saleTraffic });
      catching.start();
      const whileCatchingUp = await salesAtRate(app, token, products, random, "catch-up").finally(() => catching.stop());
      const seqAfterSales = store.together.state().lastSeq;
      catching.start();
      await Bun.sleep(QUIET_MS);
      await catching.stop();
      const seqAfterQuiet = store.together.state().lastSeq;
      const quietPerS = ((seqAfterQuiet - seqAfterSales) * 1000) / QUIET_MS;
      progress(
        `together: sale p99 ${summarize(whileCatchingUp.latenciesMs).p99_ms} ms while the worker catches up (${seqAfterSales} of ${journalEnd} entries by then), ${round(quietPerS, 0)} entries/s when quiet`,
      );
      return {
        together: {
          products: PRODUCTS,
          baskets: BASKETS,
          count: { seconds: round(countSeconds, 2), baskets_per_s: round(BASKETS / countSeconds, 0) },
          // how long one background step holds the writer: what a scan may wait behind it
          count_steps: summarize(countMs),
          rules_steps: summarize(rulesMs),
          pairs,
          rules: rules.n,
          products_with_rules: rules.products,
          lookup: { via: "store.together.suggestionFor in-process (what POST /register/scan adds)", ...lookup, offered },
          report_page: { via: "the report's first page of rules, in-process", ...summarize(reportMs) },
          sale_without_worker: { via: `POST /api/v1/sales in-process at ${RATE_PER_S}/s`, ...sale(without) },
          sale_with_worker: { via: `the same, the bought-together worker running every 1 s`, ...sale(withWorker) },
          sale_while_catching_up: { via: `the same, the worker catching up on all ${BASKETS} baskets`, ...sale(whileCatchingUp) },
          catch_up: {
            journal_entries: journalEnd,
            counted_during_sales: seqAfterSales,
            quiet_entries_per_s: round(quietPerS, 0),
            quiet_seconds_for_all: round(journalEnd / Math.max(1, quietPerS), 0),
          },
        },
      };
    } finally {
      await store.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

// `bun bench/together.ts` runs this section alone and prints its JSON (make bench runs it with the others).
if (import.meta.main) console.log(JSON.stringify(await together.run({} as Parameters<Section["run"]>[0]), null, 2));
