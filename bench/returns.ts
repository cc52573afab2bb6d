// Returns in a store holding a year of sales (500,000, with their events): the receipt found by the code a cashier
// scans (the register's return screen, /returns/sale?code=, as htmx asks for it), and returns completed through the
// JSON API (POST /api/v1/returns, one line each, each against another sale) at a steady 100 a second, open loop.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../src/server/api/tokens.ts";
import { createApp } from "../src/server/app.ts";
import { openShop } from "../src/server/compose.ts";
import { writeSetting } from "../src/server/settings/settings.ts";
import { signIn } from "../tests/helpers/store.ts";
import type { Section } from "./context.ts";
import { openLoop, sequential } from "./measure.ts";
import { progress, round, summarize } from "./stats.ts";
import { seedYearOfSales } from "./year-of-sales.ts";

const SALES = Number(process.env.BENCH_RETURNS_SALES ?? 500_000);
const REGISTERS = 4;
const LOOKUPS = 1000;
const RATE_PER_S = 100;
const DURATION_MS = 10_000;
const DRAIN_MS = 10_000;

export const returns: Section = {
  name: "returns",
  phase: "offline",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-returns-"));
    const store = openShop({ dataDir: dir });
    const app = createApp(store);
    try {
      const at = store.clock.now().toISOString();
      store.db.exec("INSERT INTO tax_classes VALUES ('STD', 'Standard', 2000)");
      store.db
        .query("INSERT INTO products(id, sku, name, price, tax_class, stock_milli, updated_at) VALUES (1, 'SKU', 'Bench item', 500, 'STD', 0, ?)")
        .run(at);
      // returns a year after the sale: the shop's policy here takes them back whenever (its 30 days would refuse most)
      writeSetting(store.db, "return_days", "");
      store.reloadSettings();
      const lane = await signIn(store, 1, { name: "Returns Bench" });
      for (let r = 2; r <= REGISTERS; r++) await signIn(store, r, { shift: false });
      const t0 = performance.now();
      const year = seedYearOfSales(store, { sales: SALES, cashierId: lane.userId, asks: 1, events: true });
      // a year's sales come a few at a time; the seed came in one go: its pages go into the database file before measuring
      store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      progress(`returns: ${SALES} sales with their events seeded in ${round((performance.now() - t0) / 1000, 1)} s`);
      // the webshop's token: its own register, as API sales and returns have
      const { token } = createToken(store.db, "Returns bench", store.clock.now().toISOString());

      // lookups and returns each take other sales, spread over the year
      const planned = Math.floor((DURATION_MS / 1000) * RATE_PER_S);
      const spread = (count: number, offset: number) => Array.from({ length: count }, (_, k) => year.sale(Math.floor(((k + 0.5) * SALES) / count) - offset));
      const looked = spread(LOOKUPS, 1);
      const returned = spread(planned, 2);

      let k = 0;
      const lookup = await sequential(LOOKUPS, 60_000, async () => {
        const { receiptNumber } = looked[k++]!;
        const res = await app.request(`/returns/sale?code=${receiptNumber}`, { headers: { Cookie: lane.cookie, "HX-Request": "true" } });
        const html = await res.text();
        const ok = res.status === 200 && html.includes(receiptNumber);
        if (!ok) throw new Error(`/returns/sale?code=${receiptNumber} answered ${res.status}: ${html.slice(0, 200)}`);
        return { ok, status: res.status };
      });
      progress(`returns: receipt lookup p99 ${summarize(lookup.latenciesMs).p99_ms} ms over ${lookup.latenciesMs.length}`);

      // Each return queues its receipt in its transaction; printing it (7-8 ms of the encoder's CPU per receipt, on the
      // same thread) is the print worker's, after the answer: halted here, so the figure is the return's own.
      store.printing.worker.halt();
      progress(`returns: ${RATE_PER_S} returns/s for ${DURATION_MS / 1000} s, open loop`);
      let n = 0;
      let firstError: string | null = null;
      const run = await openLoop(RATE_PER_S, DURATION_MS, DRAIN_MS, async () => {
        const i = n++;
        const res = await app.request("/api/v1/returns", {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": `bench-return-${i}` },
          body: JSON.stringify({ sale_id: returned[i]!.id, lines: [{ line_no: 1 + (i % 2), qty: 1 }], reason: "changed_mind" }),
        });
        const text = await res.text();
        if (res.status !== 201 && firstError === null) {
          firstError = text.slice(0, 300);
          progress(`a return answered ${res.status}: ${firstError}`);
        }
        return { ok: res.status === 201, status: res.status };
      });
      const written = store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM returns").get()!.n;
      const lag = summarize(run.sendLagMs);
      return {
        returns: {
          sales: SALES,
          lookup: { via: "GET /returns/sale?code= (the register's return screen, htmx fragment)", ...summarize(lookup.latenciesMs) },
          return_open_loop: {
            via: "POST /api/v1/returns, one line each, distinct sales",
            print_worker: "halted: each return's receipt is queued in its transaction, printing it is not timed",
            offered_per_s: RATE_PER_S,
            planned: run.planned,
            completed: run.latenciesMs.length,
            returns_written: written,
            achieved_per_s: round((run.latenciesMs.length / run.elapsedMs) * 1000, 1),
            ...summarize(run.latenciesMs),
            non_201: run.failures,
            statuses: run.statuses,
            unfinished: run.unfinished,
            send_lag_p99_ms: lag.p99_ms,
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
