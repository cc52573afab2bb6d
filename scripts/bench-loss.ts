// `make bench` (loss prevention and stock movement): a busy shop's month — 100,000 completed sales of three lines by
// 12 cashiers over 2,000 products, with voids, cancellations, no-sales, price overrides and discounts — then each
// report over the month timed as its page computes it (queries and calculation). Target (issue 16): p99 ≤ 100 ms.
// Prints one JSON line.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { summarize } from "../bench/stats.ts";
import { lossReport } from "../src/domain/reports/loss-prevention.ts";
import { stockMovement } from "../src/domain/reports/stock-movement.ts";
import { openShop } from "../src/server/compose.ts";
import { readPeriod } from "../src/server/reports/loss-period.ts";
import { lossPreventionQueries } from "../src/server/reports/loss-prevention.ts";
import { stockMovementQueries } from "../src/server/reports/stock-movement.ts";

const SALES = Number(process.env.BENCH_LOSS_SALES ?? 100_000);
const PRODUCTS = 2_000;
const CASHIERS = 12;
const RUNS = 40;
const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-loss-"));
try {
  const store = openShop({ dataDir: dir });
  const db = store.db;
  const t0 = Date.UTC(2026, 10, 1);
  const month = 30 * 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const seedStart = performance.now();
  db.transaction(() => {
    db.exec("INSERT OR IGNORE INTO tax_classes VALUES ('STD', 'Standard', 2000)");
    db.query("INSERT INTO registers(id, name, created_at) VALUES (1, 'Lane 1', ?) ON CONFLICT DO NOTHING").run(iso(t0));
    const user = db.query("INSERT INTO users(id, name, role, pin_hash, created_at) VALUES (?, ?, 'cashier', ?, ?)");
    for (let u = 1; u <= CASHIERS; u++) user.run(1000 + u, `Cashier ${u}`, `tag${u}`, iso(t0));
    const product = db.query("INSERT INTO products(id, sku, name, price, tax_class, stock_milli, cost, updated_at) VALUES (?, ?, ?, 500, 'STD', ?, 300, ?)");
    for (let p = 1; p <= PRODUCTS; p++) product.run(p, `SKU-${p}`, `Product ${p}`, (p % 7) * 10_000, iso(t0));
    const sale = db.query(
      "INSERT INTO sales(id, register_id, status, opened_at, completed_at, business_date, total, cashier_id) VALUES (?, 1, ?, ?, ?, ?, 1500, ?)",
    );
    const line = db.query(
      "INSERT INTO sale_lines(sale_id, line_no, product_id, sku, name, qty_milli, unit_price, amount, discount, tax_class, tax_rate_bp, tax, total, unit_cost) VALUES (?, ?, ?, ?, 'x', 1000, 500, 500, 0, 'STD', 2000, 83, 500, 300)",
    );
    const moved = db.query("INSERT INTO stock_movements(product_id, qty_milli, reason, sale_id, at) VALUES (?, -1000, 'sale', ?, ?)");
    const event = db.query("INSERT INTO sale_events(sale_id, n, type, at, data) VALUES (?, ?, ?, ?, ?)");
    const audit = db.query("INSERT INTO audit_log(at, user_id, user_name, action, subject) VALUES (?, ?, ?, ?, ?)");
    const actions = ["sale.cancelled", "drawer.no_sale", "sale.price_overridden", "sale.discount", "sale.line_removed_after_payment"];
    for (let i = 0; i < SALES; i++) {
      const at = iso(t0 + Math.floor((i / SALES) * month));
      const id = `s${i}`;
      const cashier = 1001 + (i % CASHIERS);
      sale.run(id, "completed", at, at, at.slice(0, 10), cashier);
      // 80 % of products sell; the rest is dead stock
      for (let l = 1; l <= 3; l++) {
        const p = 1 + ((i * 7 + l * 131) % Math.floor(PRODUCTS * 0.8));
        line.run(id, l, p, `SKU-${p}`);
        moved.run(p, id, at);
      }
      event.run(id, 1, "SaleStarted", at, "{}");
      // cashier 12 voids on every 5th of their sales, the others on every 40th
      const own = Math.floor(i / CASHIERS);
      if (own % (cashier === 1000 + CASHIERS ? 5 : 40) === 0) event.run(id, 2, "ItemRemoved", at, '{"lineId":"x"}');
      if (i % 25 === 0) audit.run(at, cashier, `Cashier ${cashier - 1000}`, actions[Math.floor(i / 25 / CASHIERS) % actions.length]!, id);
    }
  })();
  const seedMs = performance.now() - seedStart;
  const period = readPeriod((k) => ({ from: "2026-11-01", to: "2026-11-30" })[k], new Date(t0 + month), "UTC");
  const loss = lossPreventionQueries(db);
  const stock = stockMovementQueries(db);
  const time = (f: () => unknown) => {
    const out: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const s = performance.now();
      f();
      out.push(performance.now() - s);
    }
    return summarize(out);
  };
  const lossTimes = time(() => lossReport(loss.counts(period.start, period.end)));
  const stockTimes = time(() => {
    const r = stockMovement(stock.onHand(period.start, period.end), period.days);
    for (const i of r.dead.slice(0, 500)) stock.lastSold(i.productId);
  });
  const flagged = lossReport(loss.counts(period.start, period.end))
    .cashiers.filter((c) => c.flags > 0)
    .map((c) => c.name);
  store.close();
  const target = 100;
  console.log(
    JSON.stringify({
      store_loss_reports: {
        sales: SALES,
        seed_ms: Math.round(seedMs),
        loss_prevention: { ...lossTimes, target_p99_ms: target, pass: lossTimes.p99_ms <= target, flagged },
        stock_movement: { ...stockTimes, target_p99_ms: target, pass: stockTimes.p99_ms <= target },
      },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
