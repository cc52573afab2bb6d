// The bought-together worker in a serving store (real SQLite, in-process): it catches up on a long history in short
// steps and makes way for sales — a sale made meanwhile is answered while the counting still has work left, and
// while a sale request is under way the worker waits. Progress and order are asserted, never durations.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { journalWriter } from "../../src/server/journal/journal.ts";
import { togetherWorker } from "../../src/server/reports/together-worker.ts";
import { makeTestStore, type TestStore } from "../helpers/store.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

/** `n` completed sales of three or four of the catalog's products, written as completing a sale writes them. */
function history(n: number): number {
  const ids = t.store.db
    .query<{ id: number }, []>("SELECT id FROM products ORDER BY id")
    .all()
    .map((p) => p.id);
  const journal = journalWriter(t.store.db);
  const addSale = t.store.db.query(
    "INSERT INTO sales(id, register_id, status, opened_at, completed_at, business_date, subtotal, total, paid) VALUES (?, ?, 'completed', ?, ?, ?, 100, 100, 100)",
  );
  const addLine = t.store.db.query(`INSERT INTO sale_lines(sale_id, line_no, product_id, sku, barcode, name, qty_milli, unit_price, amount, discount,
    tax_class, tax_rate_bp, tax, total) VALUES (?, ?, ?, 'SKU', NULL, 'Item', 1000, 100, 100, 0, 'STD', 2000, 0, 100)`);
  const at = t.clock.now().toISOString();
  t.store.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `old-sale-${i}`;
      addSale.run(id, t.registerId, at, at, at.slice(0, 10));
      const basket = ids.filter((_, k) => (i + k) % 5 !== 0 && (i * 7 + k) % 6 !== 1);
      basket.forEach((p, k) => {
        addLine.run(id, k + 1, p);
      });
      journal(at, "sale.completed", id, { total: 100 });
    }
  })();
  return t.store.db.query<{ seq: number }, []>("SELECT max(seq) AS seq FROM journal").get()!.seq;
}

/** Waits (a bounded while) until `done` holds; the test fails when it never does. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 6_000; i++) {
    if (done()) return;
    await Bun.sleep(10);
  }
  throw new Error(`never: ${what}`);
}

const counted = () => t.store.together.state().lastSeq;
const sell = () =>
  t.api("/api/v1/sales", { method: "POST", json: { lines: [{ sku: "MILK-1L" }, { sku: "BREAD-SOUR" }], payments: [{ method: "cash", amount: 10_000 }] } });

describe("the worker makes way for sales", () => {
  test("a sale made while it catches up on 5,000 baskets is answered before the counting is done, which then finishes", async () => {
    const end = history(5_000);
    const worker = togetherWorker(t.store.together, { traffic: t.store.saleTraffic, everyMs: 20 });
    try {
      worker.start();
      await until(() => counted() > 0, "the worker has begun");
      const res = await sell();
      expect(res.status).toBe(201);
      // answered, and the worker is still in the history: the sale did not wait for the catch-up
      expect(counted()).toBeLessThan(end);
      await until(() => counted() > end, "the worker has counted the history and the new sale");
      await until(() => t.store.together.step() === null, "nothing left to do");
      expect(t.store.together.state().baskets).toBe(5_001);
    } finally {
      await worker.stop();
    }
  });

  test("while a sale request is under way the worker waits, and goes on once it is answered", async () => {
    history(2_000);
    const answered = t.store.saleTraffic.begin();
    const worker = togetherWorker(t.store.together, { traffic: t.store.saleTraffic, everyMs: 20 });
    try {
      worker.start();
      await Bun.sleep(300);
      expect(counted()).toBe(0);
      answered();
      await until(() => counted() > 0, "the worker goes on");
    } finally {
      await worker.stop();
    }
  });

  test("a large basket is counted over several short steps, taken up again at the row where the last one stopped", () => {
    history(1);
    // a budget of nothing: each step writes one row of pairs (the first product's with the rest) and stops
    const steps: (string | null)[] = [];
    for (let kind = t.store.together.step(0); kind === "count"; kind = t.store.together.step(0)) steps.push(kind);
    const products = t.store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM sale_lines WHERE sale_id = 'old-sale-0'").get()!.n;
    expect(steps.length).toBe(products - 1);
    const pairs = t.store.db.query<{ n: number; total: number }, []>("SELECT count(*) AS n, sum(baskets) AS total FROM together_pairs").get()!;
    expect(pairs).toEqual({ n: (products * (products - 1)) / 2, total: (products * (products - 1)) / 2 });
    expect(t.store.together.state()).toMatchObject({ baskets: 1, lastSeq: 1 });
  });
});
