// Low stock, live: from a sale's COMMIT to the alert arriving on a back-office browser's open /events stream, on a
// store of 1,000,000 products served by Bun.serve in this process (the streams are real HTTP over loopback TCP). The
// sales are the API's action (checkout.sell), made here so the moment of COMMIT is known exactly: it is when the call
// returns. 100 sales a second, each taking another product to its reorder point; two supervisors and a cashier listen.
// Beside it, what the trigger costs a sale: sales with the trigger dropped, with it and no crossing, and crossing.
// `bun bench/live.ts` prints the JSON alone on stdout; it is also a bench section (`live`, offline phase).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../src/server/api/tokens.ts";
import { createApp } from "../src/server/app.ts";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { openShop, type Shop } from "../src/server/compose.ts";
import { signIn } from "../tests/helpers/store.ts";
import { readSse, type SseReader } from "../tests/live/sse.ts";
import type { Section } from "./context.ts";
import { progress, round, summarize } from "./stats.ts";

const PRODUCTS = Number(process.env.BENCH_LIVE_PRODUCTS ?? 1_000_000);
const SALES = Number(process.env.BENCH_LIVE_SALES ?? 1000);
/** Sales of each kind for the trigger's cost. */
const COST_SALES = Number(process.env.BENCH_LIVE_COST_SALES ?? 2000);
const RATE_PER_S = 100;
const ARRIVAL_TIMEOUT_MS = 10_000;

type Item = { id: number; sku: string; price: number };

/**
 * Four sets of `size` products a sale may take one of (whole units, priced, two or more on the shelf), each spread over
 * the whole catalog and none in two sets.
 */
function spreadItems(shop: Shop, size: number): Item[][] {
  const eligible = "FROM products WHERE weighed = 0 AND price > 0 AND stock_milli >= 2000";
  const total = shop.db.query<{ n: number }, []>(`SELECT count(*) AS n ${eligible}`).get()!.n;
  const step = Math.max(1, Math.floor(total / (4 * size)));
  const rows = shop.db
    .query<Item, [number, number]>(
      `SELECT id, sku, price FROM (SELECT id, sku, price, row_number() OVER (ORDER BY id) AS n ${eligible}) WHERE n % ? = 0 LIMIT ?`,
    )
    .all(step, 4 * size);
  if (rows.length < 4 * size) throw new Error(`the store has ${rows.length} products to sell of the ${4 * size} the bench needs`);
  return [0, 1, 2, 3].map((g) => rows.filter((_, i) => i % 4 === g));
}

/** Sell one of each, one after another; how long each sale took, COMMIT included. */
function sellEach(shop: Shop, registerId: number, items: Item[]): number[] {
  return items.map((p) => {
    const t0 = performance.now();
    shop.checkout.sell(registerId, [{ sku: p.sku, qty: 1 }], [{ method: "card", amount: p.price }]);
    return performance.now() - t0;
  });
}

async function listen(baseUrl: string, cookie: string): Promise<SseReader> {
  const res = await fetch(`${baseUrl}/events`, { headers: { Cookie: cookie, "HX-Request": "true" } });
  if (res.status !== 200) throw new Error(`/events answered ${res.status}`);
  return readSse(res);
}

export async function measureLive(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-live-"));
  const shop = openShop({ dataDir: join(dir, "store") });
  let server: ReturnType<typeof Bun.serve> | null = null;
  const streams: SseReader[] = [];
  try {
    progress(`live: seeding ${PRODUCTS} products`);
    const s0 = performance.now();
    seedDemoCatalog(shop.db, { products: PRODUCTS, now: shop.clock.now().toISOString() });
    shop.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const seedMs = performance.now() - s0;
    const { registerId } = createToken(shop.db, "Live bench", shop.clock.now().toISOString());

    // what the trigger costs a sale: none of these cross a reorder point (they have none)
    progress("live: sale cost with and without the low-stock trigger");
    const sets = spreadItems(shop, Math.max(SALES, COST_SALES));
    const [off, on, crossing] = sets.slice(0, 3).map((set) => set.slice(0, COST_SALES));
    const alerted = sets[3]!.slice(0, SALES);
    const trigger = shop.db.query<{ sql: string }, []>("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'products_low_stock_crossed'").get()!;
    shop.db.exec("DROP TRIGGER products_low_stock_crossed");
    const withoutTrigger = sellEach(shop, registerId, off!);
    shop.db.exec(trigger.sql);
    const withTrigger = sellEach(shop, registerId, on!);
    const setPoint = shop.db.query("UPDATE products SET reorder_point = stock_milli - 1000 WHERE id = ?");
    shop.db.transaction(() => {
      for (const p of [...crossing!, ...alerted]) setPoint.run(p.id);
    })();
    const crossingCost = sellEach(shop, registerId, crossing!);
    shop.live.flush(); // those alerts are told before anyone listens

    // the listeners: two supervisors' back-office pages and a cashier's register, over HTTP
    const bosses = [await signIn(shop, 8, { role: "supervisor", shift: false }), await signIn(shop, 9, { role: "manager", shift: false })];
    const cashier = await signIn(shop, 1, { role: "cashier" });
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createApp(shop).fetch, idleTimeout: 60 });
    shop.start();
    const baseUrl = `http://127.0.0.1:${server.port}`;
    for (const who of [...bosses, cashier]) streams.push(await listen(baseUrl, who.cookie));
    for (const s of streams.slice(0, 2)) await s.waitFor((m) => m.event === "low-stock-count", "the badge on connecting", { timeoutMs: 10_000 });

    const arrived = streams.slice(0, 2).map(() => new Map<number, number>());
    streams.slice(0, 2).forEach((s, i) => {
      s.onMessage = (m) => {
        const id = /data-product-id="(\d+)"/.exec(m.data)?.[1];
        if (m.event === "low-stock" && id) arrived[i]!.set(Number(id), performance.now());
      };
    });

    progress(`live: ${SALES} sales at ${RATE_PER_S}/s, each taking a product to its reorder point`);
    const committed = new Map<number, number>();
    const saleMs: number[] = [];
    const start = performance.now();
    for (const [k, p] of alerted.entries()) {
      const due = start + (k * 1000) / RATE_PER_S;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      const t0 = performance.now();
      shop.checkout.sell(registerId, [{ sku: p.sku, qty: 1 }], [{ method: "card", amount: p.price }]);
      const t1 = performance.now();
      committed.set(p.id, t1);
      saleMs.push(t1 - t0);
    }
    const deadline = performance.now() + ARRIVAL_TIMEOUT_MS;
    while (arrived.some((a) => a.size < alerted.length) && performance.now() < deadline) await Bun.sleep(10);

    const latencies = arrived.flatMap((a) => [...a].map(([id, at]) => at - committed.get(id)!));
    const missing = arrived.reduce((n, a) => n + (alerted.length - a.size), 0);
    const alert = summarize(latencies);
    return {
      low_stock_alert_p99_ms: alert.p99_ms,
      live: {
        products: PRODUCTS,
        seed_ms: round(seedMs, 0),
        sales: alerted.length,
        rate_per_s: RATE_PER_S,
        listeners: { back_office: 2, register: 1 },
        alert_commit_to_received: alert,
        alerts_missing: missing,
        cashier_low_stock_messages: streams[2]!.messages.filter((m) => m.event === "low-stock").length,
        sale_ms_while_listened: summarize(saleMs),
        sale_cost: {
          without_trigger: summarize(withoutTrigger),
          with_trigger_no_crossing: summarize(withTrigger),
          crossing: summarize(crossingCost),
        },
      },
    };
  } finally {
    for (const s of streams) await s.close();
    await server?.stop(true);
    await shop.stop();
    shop.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const live: Section = { name: "live", phase: "offline", run: measureLive };

if (import.meta.main) {
  console.log(JSON.stringify(await measureLive(), null, 2));
}
