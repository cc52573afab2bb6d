// `make bench`, its own step: the store's reports over a month of a busy shop (100,000 sales, three lines each, and the
// month before as busy, so the period before has as much to read), each view asked as a manager's page over the month
// and as its CSV. Prints one JSON report; target: p99 ≤ 100 ms.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { percentile, progress, round, seededRandom } from "../bench/stats.ts";
import { businessDate } from "../src/domain/kernel/calendar.ts";
import { createApp } from "../src/server/app.ts";
import { openShop, type Shop } from "../src/server/compose.ts";
import { version } from "../src/server/platform/version.ts";
import { reportViews } from "../src/server/reports/queries.ts";
import { signIn } from "../tests/helpers/store.ts";

const SALES = Number(process.env.BENCH_REPORT_SALES ?? 100_000);
const ASKS_PER_VIEW = Number(process.env.BENCH_REPORT_ASKS ?? 30);
export const REPORT_P99_TARGET_MS = 100;
const PRODUCTS = 2000;
const TZ = "Europe/Madrid";

/** Two months of sales (October and November 2026), spread over opening hours, registers, cashiers and products. */
export function seed(store: Shop, cashiers: number[], registers: number[]): void {
  const next = seededRandom(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  store.db.exec(`INSERT OR IGNORE INTO tax_classes VALUES ('STD', 'Standard', 2000), ('RED', 'Reduced', 1000);
    INSERT OR IGNORE INTO categories(id, name) VALUES (1, 'Dairy'), (2, 'Bakery'), (3, 'Drinks'), (4, 'Fruit'), (5, 'Deli');`);
  const product = store.db.query(
    "INSERT INTO products(id, sku, name, price, tax_class, category_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, '2026-09-01T00:00:00Z')",
  );
  const sale = store.db.query(
    `INSERT INTO sales(id, register_id, status, receipt_seq, receipt_number, opened_at, completed_at, business_date, subtotal, discount_total,
       tax_total, total, paid, change_due, cashier_id) VALUES (?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
  );
  const line = store.db.query(
    "INSERT INTO sale_lines(sale_id, line_no, product_id, sku, name, qty_milli, unit_price, amount, discount, tax_class, tax_rate_bp, tax, total, unit_cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const pay = store.db.query("INSERT INTO sale_payments(sale_id, n, method, amount) VALUES (?, 1, ?, ?)");
  const prices: number[] = [];
  store.db.transaction(() => {
    for (let p = 1; p <= PRODUCTS; p++) {
      prices[p] = 50 + Math.floor(next() * 3000);
      product.run(p, `SKU-${p}`, `Product ${p}`, prices[p]!, p % 3 ? "RED" : "STD", 1 + (p % 5));
    }
    const end = Date.parse("2026-11-30T21:00:00Z");
    const span = 61 * 86_400_000;
    const seqs = new Map<number, number>();
    for (let i = 0; i < SALES * 2; i++) {
      // opening hours, 08:00–21:00 Madrid, spread over the two months
      const dayStart = end - span + Math.floor((i / (SALES * 2)) * 61) * 86_400_000;
      const at = new Date(dayStart - 13 * 3600_000 + Math.floor(next() * 13 * 3600_000)).toISOString();
      const reg = pick(registers);
      const seq = (seqs.get(reg) ?? 0) + 1;
      seqs.set(reg, seq);
      const id = `s${i}`;
      let total = 0;
      let tax = 0;
      let discount = 0;
      const lines: unknown[][] = [];
      for (let n = 1; n <= 3; n++) {
        const pid = 1 + Math.floor(next() * PRODUCTS);
        const rate = pid % 3 ? 1000 : 2000;
        const qty = 1000 * (1 + Math.floor(next() * 3));
        const amount = (prices[pid]! * qty) / 1000;
        const off = next() < 0.1 ? Math.floor(amount / 10) : 0;
        const lineTax = Math.round(((amount - off) * rate) / (10000 + rate));
        total += amount - off;
        tax += lineTax;
        discount += off;
        lines.push([
          id,
          n,
          pid,
          `SKU-${pid}`,
          `Product ${pid}`,
          qty,
          prices[pid]!,
          amount,
          off,
          rate === 2000 ? "STD" : "RED",
          rate,
          lineTax,
          amount - off,
          next() < 0.7 ? Math.floor(prices[pid]! * 0.6) : null,
        ]);
      }
      sale.run(
        id,
        reg,
        seq,
        `${String(reg).padStart(3, "0")}-${String(seq).padStart(6, "0")}`,
        at,
        at,
        businessDate(new Date(at), TZ),
        total + discount,
        discount,
        tax,
        total,
        total,
        pick(cashiers),
      );
      for (const l of lines) line.run(...(l as [string]));
      pay.run(id, next() < 0.6 ? "card" : "cash", total);
    }
  })();
}

export async function measure(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-reports-"));
  const store = openShop({ dataDir: dir });
  try {
    store.db.run(`INSERT OR REPLACE INTO settings(key, value) VALUES ('time_zone', '${TZ}')`);
    store.reloadSettings();
    const boss = await signIn(store, 1, { role: "manager", shift: false, name: "Report Bench" });
    const cashiers = [boss.userId];
    for (let r = 2; r <= 6; r++) cashiers.push((await signIn(store, r, { shift: false })).userId);
    const registers = store.db
      .query<{ id: number }, []>("SELECT id FROM registers")
      .all()
      .map((r) => r.id);
    const t0 = performance.now();
    seed(store, cashiers, registers);
    store.db.exec("ANALYZE");
    progress(`reports: ${SALES * 2} sales (two months) seeded in ${round((performance.now() - t0) / 1000, 1)} s`);
    const app = createApp(store);
    const month = "from=2026-11-01&to=2026-11-30";
    const all: number[] = [];
    const byView: Record<string, { p50_ms: number; p99_ms: number }> = {};
    for (const view of reportViews) {
      const ms: number[] = [];
      for (let i = 0; i < ASKS_PER_VIEW; i++) {
        const url = i % 2 ? `/reports/${view}.csv?${month}` : `/reports/${view}?${month}`;
        const s = performance.now();
        const res = await app.request(url, { headers: { Cookie: boss.cookie } });
        await res.text();
        ms.push(performance.now() - s);
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      }
      ms.sort((a, b) => a - b);
      all.push(...ms);
      byView[view] = { p50_ms: round(percentile(ms, 50), 2), p99_ms: round(percentile(ms, 99), 2) };
    }
    all.sort((a, b) => a - b);
    progress(`reports: p99 ${round(percentile(all, 99), 2)} ms over ${all.length} reports`);
    return { sales_in_month: SALES, asks: all.length, p50_ms: round(percentile(all, 50), 2), p99_ms: round(percentile(all, 99), 2), by_view: byView };
  } finally {
    await store.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const figures = await measure();
  const pass = { reports_p99_ms: (figures.p99_ms as number) <= REPORT_P99_TARGET_MS };
  const meta = { version, bun: Bun.version, at: new Date().toISOString() };
  console.log(JSON.stringify({ bench: meta, reports: figures, targets: { reports_p99_ms: { max: REPORT_P99_TARGET_MS } }, pass }, null, 2));
  process.exitCode = pass.reports_p99_ms ? 0 : 1;
}
