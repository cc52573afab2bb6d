// Sales history: a year of a busy store's sales (500,000), searched as cashiers do — the latest, a day, a receipt number
// (typed or scanned), a receipt's last digits, an amount, a card's last four — each answered as the whole page.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/server/app.ts";
import { openShop } from "../src/server/compose.ts";
import { signIn } from "../tests/helpers/store.ts";
import type { Section } from "./context.ts";
import { percentile, progress, round } from "./stats.ts";
import { seedYearOfSales } from "./year-of-sales.ts";

const SALES = Number(process.env.BENCH_HISTORY_SALES ?? 500_000);
const REGISTERS = 4;
const ASKS_PER_KIND = 150;

export const history: Section = {
  name: "history",
  phase: "offline",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-history-"));
    const store = openShop({ dataDir: dir });
    const app = createApp(store);
    try {
      const lane = await signIn(store, 1, { name: "History Bench" });
      for (let r = 2; r <= REGISTERS; r++) await signIn(store, r, { shift: false });
      const t0 = performance.now();
      const { probes } = seedYearOfSales(store, { sales: SALES, cashierId: lane.userId, asks: ASKS_PER_KIND });
      progress(`history: ${SALES} sales seeded in ${round((performance.now() - t0) / 1000, 1)} s`);

      const money = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, "0")}`;
      const kinds: Record<string, string[]> = {
        latest: Array.from({ length: ASKS_PER_KIND }, () => "/sales"),
        day: probes.days.map((d) => `/sales?day=${d}`),
        receipt: probes.receipts.map((r) => `/sales?q=${r}`),
        receipt_digits: probes.seqs.map((s) => `/sales?q=${s}`),
        amount: probes.amounts.map((a) => `/sales?q=${money(a)}`),
        card_last4: probes.last4s.map((l) => `/sales?q=${l}`),
      };
      const all: number[] = [];
      const byKind: Record<string, { p50_ms: number; p99_ms: number; asks: number }> = {};
      for (const [kind, urls] of Object.entries(kinds)) {
        const ms: number[] = [];
        for (const url of urls) {
          const s = performance.now();
          const res = await app.request(url, { headers: { Cookie: lane.cookie } });
          await res.text();
          ms.push(performance.now() - s);
          if (res.status !== 200 && res.status !== 303) throw new Error(`${url} answered ${res.status}`);
        }
        ms.sort((a, b) => a - b);
        all.push(...ms);
        byKind[kind] = { p50_ms: round(percentile(ms, 50), 2), p99_ms: round(percentile(ms, 99), 2), asks: ms.length };
      }
      all.sort((a, b) => a - b);
      progress(`history: p99 ${round(percentile(all, 99), 2)} ms over ${all.length} searches`);
      return { history: { sales: SALES, searches: all.length, p50_ms: round(percentile(all, 50), 2), p99_ms: round(percentile(all, 99), 2), by_kind: byKind } };
    } finally {
      await store.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
