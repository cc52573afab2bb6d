// Sales history: a year of a busy store's sales (500,000), searched as cashiers do — the latest, a day, a receipt number
// (typed or scanned), a receipt's last digits, an amount, a card's last four — each answered as the whole page.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/server/app.ts";
import { openShop } from "../src/server/compose.ts";
import { signIn } from "../tests/helpers/store.ts";
import type { Section } from "./context.ts";
import { percentile, progress, round, seededRandom } from "./stats.ts";

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
      const registers = store.db
        .query<{ id: number }, []>("SELECT id FROM registers ORDER BY id")
        .all()
        .map((r) => r.id);
      const next = seededRandom(42);
      const t0 = performance.now();
      const end = Date.parse("2026-11-30T20:00:00Z");
      const start = end - 365 * 86_400_000;
      const seqs = new Map<number, number>();
      const sale = store.db.query(
        `INSERT INTO sales(id, register_id, status, receipt_seq, receipt_number, opened_at, completed_at, business_date, subtotal, tax_total, total, paid, cashier_id)
         VALUES (?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const line = store.db.query("INSERT INTO sale_lines VALUES (?, ?, 1, 'SKU', NULL, 'Bench item', 1000, ?, ?, 0, 'STD', 2000, ?, ?)");
      const pay = store.db.query("INSERT INTO sale_payments(sale_id, n, method, amount, card_last4) VALUES (?, 1, ?, ?, ?)");
      const probes = { receipts: [] as string[], seqs: [] as number[], amounts: [] as number[], last4s: [] as string[], days: [] as string[] };
      store.db.transaction(() => {
        for (let i = 0; i < SALES; i++) {
          const at = new Date(start + ((end - start) * i) / SALES);
          const reg = registers[i % registers.length]!;
          const seq = (seqs.get(reg) ?? 0) + 1;
          seqs.set(reg, seq);
          const number = `${String(reg).padStart(3, "0")}-${String(seq).padStart(6, "0")}`;
          const total = 50 + Math.floor(next() * 15_000);
          const id = `bench-${i}`;
          const iso = at.toISOString();
          sale.run(id, reg, seq, number, iso, iso, iso.slice(0, 10), total, Math.round(total / 6), total, total, lane.userId);
          const first = Math.floor(total / 2);
          line.run(id, 1, first, first, Math.round(first / 6), first);
          line.run(id, 2, total - first, total - first, Math.round((total - first) / 6), total - first);
          const card = next() < 0.45;
          const last4 = card ? String(Math.floor(next() * 10_000)).padStart(4, "0") : null;
          pay.run(id, card ? "card" : "cash", total, last4);
          if (i % Math.floor(SALES / ASKS_PER_KIND) === 0) {
            probes.receipts.push(number);
            probes.seqs.push(seq);
            probes.amounts.push(total);
            probes.days.push(iso.slice(0, 10));
            if (last4) probes.last4s.push(last4);
          }
        }
      })();
      store.db.exec("ANALYZE");
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
