// The back office's stock at 1,000,000 products: the product list searched as a manager types (GET /products?q=, the
// whole page), a supplier's 500-line delivery received (POST /stock/deliveries as the page sends it), and sales at a
// steady 100 a second through the JSON API while the ledger writes a movement per line and open sales hold stock.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../src/server/api/tokens.ts";
import { createApp } from "../src/server/app.ts";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { openShop } from "../src/server/compose.ts";
import { writeSetting } from "../src/server/settings/settings.ts";
import { signIn } from "../tests/helpers/store.ts";
import type { Section } from "./context.ts";
import { openLoop, sequential } from "./measure.ts";
import { progress, round, seededRandom, summarize } from "./stats.ts";

const PRODUCTS = Number(process.env.BENCH_STOCK_PRODUCTS ?? 1_000_000);
const SEARCHES = 400;
const DELIVERIES = 7;
const DELIVERY_LINES = 500;
const RATE_PER_S = 100;
const DURATION_MS = 10_000;
const DRAIN_MS = 10_000;

/** Words a manager looks products up by, from the demo catalog's names, and a few SKU and name prefixes. */
const WORDS = [
  "milk",
  "bread",
  "apple",
  "choc",
  "coffee",
  "tea",
  "cheese",
  "ham",
  "rice",
  "juice",
  "beer",
  "water",
  "soap",
  "yog",
  "butter",
  "tomato",
  "crisps",
  "SKU-0004",
];

export const stock: Section = {
  name: "stock",
  phase: "offline",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-stock-"));
    const store = openShop({ dataDir: dir });
    const app = createApp(store);
    try {
      const s0 = performance.now();
      seedDemoCatalog(store.db, { products: PRODUCTS, now: store.clock.now().toISOString() });
      writeSetting(store.db, "negative_stock", "allow");
      store.reloadSettings();
      store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      progress(`stock: ${PRODUCTS} products seeded in ${round((performance.now() - s0) / 1000, 1)} s`);
      const manager = await signIn(store, 1, { role: "manager", name: "Stock Bench" });
      const random = seededRandom(1414);
      const sku = (n: number) => `SKU-${String(n).padStart(6, "0")}`;
      const anySku = () => sku(1 + Math.floor(random() * PRODUCTS));

      // the product list as a manager types: whole pages, word prefixes and SKU prefixes over a million names
      let k = 0;
      const search = await sequential(SEARCHES, 60_000, async () => {
        const q = WORDS[k++ % WORDS.length]!;
        const res = await app.request(`/products?q=${encodeURIComponent(q)}`, { headers: { Cookie: manager.cookie } });
        const html = await res.text();
        return { ok: res.status === 200 && html.includes('data-testid="product-row"'), status: res.status };
      });
      if (search.failures > 0) progress(`stock: ${search.failures} searches found nothing or failed`);
      progress(`stock: product search p99 ${summarize(search.latenciesMs).p99_ms} ms`);

      // a supplier's delivery: 500 lines of SKU, quantity and unit cost, checked and received in one POST
      store.printing.worker.halt();
      const deliveryMs: number[] = [];
      for (let d = 0; d < DELIVERIES; d++) {
        // each product once, as a supplier's delivery note lists it
        const skus = new Set<string>();
        while (skus.size < DELIVERY_LINES) skus.add(anySku());
        const lines = [...skus].map((s) => `${s},${1 + Math.floor(random() * 24)},${(0.5 + random() * 9).toFixed(2)}`);
        const body = new URLSearchParams({ supplier: "Bench Wholesale", reference: `BW-${d}`, items: lines.join("\n"), step: "receive" }).toString();
        const t0 = performance.now();
        const res = await app.request("/stock/deliveries", {
          method: "POST",
          headers: { ...manager.headers, "Content-Type": "application/x-www-form-urlencoded" },
          body,
        });
        deliveryMs.push(performance.now() - t0);
        if (res.status !== 303) throw new Error(`a ${DELIVERY_LINES}-line delivery answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      }
      const delivery = summarize(deliveryMs);
      progress(`stock: ${DELIVERY_LINES}-line delivery median ${delivery.p50_ms} ms, max ${delivery.max_ms} ms`);

      // sales at 100/s through the API: each line a sale movement beside on-hand, holds written and let go
      const { token } = createToken(store.db, "Stock bench", store.clock.now().toISOString());
      const barcodes = store.db
        .query<{ barcode: string; price: number }, []>(
          "SELECT barcode, price FROM products WHERE weighed = 0 AND price > 0 AND barcode IS NOT NULL ORDER BY random() LIMIT 20000",
        )
        .all();
      let n = 0;
      let firstError: string | null = null;
      const sales = await openLoop(RATE_PER_S, DURATION_MS, DRAIN_MS, async () => {
        const picked = Array.from({ length: 5 }, () => barcodes[Math.floor(random() * barcodes.length)]!);
        const total = picked.reduce((s, p) => s + p.price, 0);
        const res = await app.request("/api/v1/sales", {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": `stock-bench-${n++}` },
          body: JSON.stringify({
            lines: picked.map((p) => ({ barcode: p.barcode, qty: 1 })),
            payments: [{ method: "cash", amount: Math.ceil((total * 1.25) / 1000) * 1000 + 1000 }],
          }),
        });
        const text = await res.text();
        if (res.status !== 201 && firstError === null) {
          firstError = text.slice(0, 300);
          progress(`stock: a sale answered ${res.status}: ${firstError}`);
        }
        return { ok: res.status === 201, status: res.status };
      });
      const disagreements = store.ledger.disagreements().length;
      return {
        stock: {
          products: PRODUCTS,
          product_search: { via: "GET /products?q= (the back office's list page, whole page)", ...summarize(search.latenciesMs), failures: search.failures },
          delivery_500: { via: `POST /stock/deliveries, ${DELIVERY_LINES} CSV lines, step=receive`, deliveries: DELIVERIES, ...delivery },
          sale_open_loop: {
            via: "POST /api/v1/sales in-process, five lines each, print worker halted",
            offered_per_s: RATE_PER_S,
            completed: sales.latenciesMs.length,
            ...summarize(sales.latenciesMs),
            non_201: sales.failures,
            send_lag_p99_ms: summarize(sales.sendLagMs).p99_ms,
          },
          ledger_disagreements: disagreements,
        },
      };
    } finally {
      await store.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
