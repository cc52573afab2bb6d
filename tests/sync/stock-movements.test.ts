// A store's stock ledger at head office, a real store beside a real, throwaway PostgreSQL: sales, a delivery and an
// adjustment arrive as movements exactly once — with head office away, with its replies lost, with the store killed
// between sending and the acknowledgement, with head office's database killed in the middle of the batch — head
// office's counts are the store's and its levels the store's on-hand; a batch replayed, or a movement sent again under
// another item, changes nothing; a batch that strays is a dead letter and the queue goes on.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { outboxWriter } from "../../src/server/head-office/outbox.ts";
import { stockMovementBatches } from "../../src/server/head-office/stock-movements.ts";
import { contentHash, outboxRef, type StockMovementsPayload } from "../../src/sync/contracts.ts";
import { createHqApp } from "../../src/sync/hq/app.ts";
import type { HqSql } from "../../src/sync/hq/db/db.ts";
import { type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { codes } from "../helpers/store.ts";
import { batch, connectedStore, killDuringBatch, lossyFetch, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let sql: HqSql;
const dirs: string[] = [];
beforeAll(() => {
  sql = db.sql;
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const serveHq = (port = 0) => Bun.serve({ hostname: "127.0.0.1", port, fetch: createHqApp(sql, "test").fetch });

async function newStore(name: string, hq: ReturnType<typeof serveHq>, options: { fetch?: typeof fetch } = {}) {
  const reg = await addStore(sql, name);
  const store = connectedStore({ url: `http://127.0.0.1:${hq.port}`, storeId: reg.storeId, token: reg.token }, dirs, options);
  return { storeId: reg.storeId, store };
}

const lane = (store: Shop) => store.db.query<{ id: number }, []>("SELECT id FROM registers WHERE name = 'Lane 1'").get()!.id;

let people = 0;

/** `n` sales, a delivery of milk and bread, and damaged bread taken off by hand. */
async function trade(store: Shop, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    store.checkout.sell(lane(store), [{ barcode: codes.milk, qty: 1 + (i % 3) }, { barcode: codes.bread }], [{ method: "cash", amount: 2000 }]);
  }
  const at = store.clock.now().toISOString();
  const user = await store.users.add(`Sam ${++people}`, "supervisor", String(200000 + people * 7), at);
  const who = { userId: user.id, userName: user.name, registerName: null };
  const product = (sku: string) => store.catalog.bySku(sku)!;
  store.deliveries.receive(who, "Dairy Co", "DN-1", [
    { product: product("MILK-1L"), qtyMilli: 24_000, unitCost: 80 },
    { product: product("BREAD-SOUR"), qtyMilli: 6000, unitCost: null },
  ]);
  store.adjustments.adjust(who, { productId: product("BREAD-SOUR").id, qtyMilli: -2000, reasonCode: "damaged", note: "dropped" }, null);
}

/** Put the waiting movements in the outbox and send everything; what is still waiting then. */
async function upload(store: Shop, pauseMs = 20): Promise<number> {
  await store.stockMovements.appendAll(() => store.clock.now().toISOString());
  for (let i = 0; i < 200 && store.sync.status().pending > 0; i++) {
    await store.sync.tick();
    await Bun.sleep(pauseMs);
  }
  return store.sync.status().pending;
}

type Moved = { id: number; sku: string; qty_milli: number; reason: string };

/** Head office holds exactly the store's movements, once each, and the store's on-hand of every product they moved. */
async function sameStock(store: Shop, storeId: string): Promise<void> {
  const here = store.db
    .query<Moved, []>("SELECT m.id, p.sku, m.qty_milli, m.reason FROM stock_movements m JOIN products p ON p.id = m.product_id ORDER BY m.id")
    .all();
  const there = await sql<Moved[]>`
    SELECT movement_id AS id, sku, qty_milli, reason FROM hq_stock_movements WHERE store_id = ${storeId}::uuid ORDER BY movement_id`;
  expect([...there]).toEqual(here);
  const onHand = store.db
    .query<{ sku: string; on_hand: number }, []>(
      "SELECT sku, stock_milli AS on_hand FROM products WHERE id IN (SELECT product_id FROM stock_movements) ORDER BY sku",
    )
    .all();
  const levels = await sql<{ sku: string; on_hand: number }[]>`
    SELECT sku, on_hand_milli AS on_hand FROM stock_levels WHERE store_id = ${storeId}::uuid ORDER BY sku`;
  expect([...levels]).toEqual(onHand);
}

describe("a store's movements at head office", () => {
  test("sales, a delivery and an adjustment arrive once each; the levels are the store's on-hand", async () => {
    const hq = serveHq();
    const { store, storeId } = await newStore("Stock 1", hq);
    try {
      await trade(store, 5);
      expect(await upload(store)).toBe(0);
      await sameStock(store, storeId);
      const reasons = await sql<{ reason: string; n: number }[]>`
        SELECT reason, count(*)::int AS n FROM hq_stock_movements WHERE store_id = ${storeId}::uuid GROUP BY reason ORDER BY reason`;
      // the small catalog's six opening stocks, two lines a sale, two delivered lines, one adjustment
      expect([...reasons]).toEqual([
        { reason: "adjustment", n: 1 },
        { reason: "delivery", n: 2 },
        { reason: "opening", n: 6 },
        { reason: "sale", n: 10 },
      ]);
      // more trading: only the new movements go, and nothing waits once they have
      await trade(store, 3);
      expect(await upload(store)).toBe(0);
      await sameStock(store, storeId);
      expect(store.stockMovements.waiting()).toBe(false);
    } finally {
      await hq.stop(true);
      store.close();
    }
  }, 60_000);

  test("head office away: the store sells on and its movements arrive once when it is back", async () => {
    let hq = serveHq();
    const port = hq.port;
    const { store, storeId } = await newStore("Stock 2", hq);
    try {
      await trade(store, 2);
      expect(await upload(store)).toBe(0);
      await hq.stop(true);
      await trade(store, 20);
      await store.stockMovements.appendAll(() => store.clock.now().toISOString());
      await store.sync.tick();
      expect(store.sync.status().lastError).toContain("not reachable");
      hq = serveHq(port);
      expect(await upload(store, 100)).toBe(0);
      await sameStock(store, storeId);
    } finally {
      await hq.stop(true);
      store.close();
    }
  }, 60_000);

  test("replies lost after head office committed: the store sends again and no movement doubles", async () => {
    const hq = serveHq();
    const lossy = lossyFetch(2);
    const { store, storeId } = await newStore("Stock 3", hq, { fetch: lossy.fetch });
    try {
      await trade(store, 10);
      // small items, so the lost replies fall on stock items
      await stockMovementBatches(store.db, outboxWriter(store.db), { perItem: 4 }).appendAll(() => store.clock.now().toISOString());
      expect(await upload(store, 50)).toBe(0);
      expect(lossy.left()).toBeLessThan(0);
      await sameStock(store, storeId);
    } finally {
      await hq.stop(true);
      store.close();
    }
  }, 60_000);

  test("the store killed between sending and the acknowledgement: after restart every movement is there once", async () => {
    const hq = serveHq();
    const { store, storeId } = await newStore("Stock 4", hq);
    await trade(store, 300);
    await stockMovementBatches(store.db, outboxWriter(store.db), { perItem: 5 }).appendAll(() => store.clock.now().toISOString());
    const dir = store.db.filename.replace(/\/shopflow\.db$/, "");
    store.close();
    const child = Bun.spawn([process.execPath, join(import.meta.dir, "fixtures/upload.ts"), dir], { stdout: "ignore", stderr: "ignore" });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [row] = await sql<{ last_seq: number }[]>`SELECT last_seq FROM stores WHERE store_id = ${storeId}::uuid`;
      if (row!.last_seq > 0 || Date.now() > deadline || child.exitCode !== null) break;
      await Bun.sleep(1);
    }
    child.kill(9);
    await child.exited;
    const again = openShop({ dataDir: dir });
    try {
      expect(await upload(again)).toBe(0);
      await sameStock(again, storeId);
    } finally {
      await hq.stop(true);
      again.close();
    }
  }, 60_000);

  test("head office's database killed in the middle of a batch: nothing of it stays, and sent again it is merged once", async () => {
    const hq = serveHq();
    const { store, storeId } = await newStore("Stock 5", hq);
    try {
      await trade(store, 40);
      await store.stockMovements.appendAll(() => store.clock.now().toISOString());
      const items = store.db.query<BatchItem, []>("SELECT seq, kind, ref, hash, payload FROM outbox ORDER BY seq").all();
      const epoch = store.sync.status().epoch;
      const b = { ...batch(storeId, epoch, items), outbox_top: items.length };
      expect(await killDuringBatch(db, storeId, b)).toMatch(/^failed: /);
      const [held] = await sql<{ moved: number; levels: number }[]>`
        SELECT (SELECT count(*) FROM hq_stock_movements WHERE store_id = ${storeId}::uuid)::int AS moved,
          (SELECT count(*) FROM stock_levels WHERE store_id = ${storeId}::uuid)::int AS levels`;
      expect(held).toEqual({ moved: 0, levels: 0 });
      // the store's uploader sends it again, as after any failed batch
      expect(await upload(store)).toBe(0);
      await sameStock(store, storeId);
    } finally {
      await hq.stop(true);
      store.close();
    }
  }, 60_000);

  test("a serving store puts its movements in the outbox from the start when connected, and not at all when not", async () => {
    const hq = serveHq();
    const { store, storeId } = await newStore("Stock 6", hq);
    const alone = connectedStore({ url: "http://127.0.0.1:1", storeId, token: "t".repeat(32) }, dirs);
    alone.db.exec("DELETE FROM settings WHERE key IN ('hq_url', 'hq_store_id', 'hq_token')");
    const stockItems = (s: Shop) => s.db.query<{ n: number }, []>("SELECT count(*) AS n FROM outbox WHERE kind = 'stock_movements'").get()!.n;
    try {
      await trade(store, 2);
      await trade(alone, 2);
      store.start();
      alone.start();
      expect(stockItems(store)).toBe(1); // the first item goes in as the store starts, before anything waits
      expect(stockItems(alone)).toBe(0);
      for (let i = 0; i < 200 && store.sync.status().pending > 0; i++) await Bun.sleep(25);
      await sameStock(store, storeId);
    } finally {
      await Promise.all([store.stop(), alone.stop()]);
      await hq.stop(true);
      store.close();
      alone.close();
    }
  }, 60_000);
});

describe("what head office makes of a stock item", () => {
  /** A stock item of `seq` with these movements and products, as a store writes one. */
  function stockItem(seq: number, doc: StockMovementsPayload): BatchItem {
    const payload = JSON.stringify(doc);
    return { seq, kind: "stock_movements", ref: outboxRef.stock_movements(doc), hash: contentHash(payload), payload };
  }
  const milk = { sku: "MILK", name: "Milk", reorder_point_milli: 5000 };
  const move = (id: number, qty: number, onHand: number) => ({
    at: `2026-11-25T10:00:0${id % 10}.000Z`,
    id,
    sku: "MILK",
    reason: "sale",
    qty_milli: qty,
    on_hand_milli: onHand,
  });
  const held = async (storeId: string) => {
    const [h] = await sql<{ moved: number; on_hand: number | null; dead: number; last_seq: number }[]>`
      SELECT (SELECT count(*) FROM hq_stock_movements WHERE store_id = ${storeId}::uuid)::int AS moved,
        (SELECT on_hand_milli FROM stock_levels WHERE store_id = ${storeId}::uuid AND sku = 'MILK') AS on_hand,
        (SELECT count(*) FROM dead_letters WHERE store_id = ${storeId}::uuid)::int AS dead,
        (SELECT last_seq FROM stores WHERE store_id = ${storeId}::uuid) AS last_seq`;
    return h!;
  };

  test("a replayed batch, or a movement sent again in another item, changes nothing", async () => {
    const storeId = (await addStore(sql, "Stock 7")).storeId;
    const first = batch(storeId, "E1", [stockItem(1, { products: [milk], movements: [move(1, 10_000, 10_000), move(2, -1000, 9000)] })]);
    expect((await receiveBatch(sql, storeId, first)).status).toBe(200);
    const once = await held(storeId);
    expect(once).toEqual({ moved: 2, on_hand: 9000, dead: 0, last_seq: 1 });
    expect(await receiveBatch(sql, storeId, first)).toEqual({ status: 200, body: { acked_through: 1, epoch: "E1" } });
    expect(await held(storeId)).toEqual(once);
    // movement 2 again beside a new one, in the next item (a store restored from a backup sends again what it had)
    const next = batch(storeId, "E1", [stockItem(2, { products: [milk], movements: [move(2, -1000, 9000), move(3, -2000, 7000)] })]);
    expect((await receiveBatch(sql, storeId, next)).status).toBe(200);
    expect(await held(storeId)).toEqual({ moved: 3, on_hand: 7000, dead: 0, last_seq: 2 });
  });

  test("a batch that strays is a dead letter with its reason, and the queue goes on", async () => {
    const storeId = (await addStore(sql, "Stock 8")).storeId;
    const unnamed = stockItem(1, { products: [], movements: [move(1, 10_000, 10_000)] });
    const backwards = stockItem(2, { products: [milk], movements: [move(5, -1000, 9000), move(4, -1000, 8000)] });
    const card = stockItem(3, { products: [milk], movements: [{ ...move(6, -1000, 7000), document: "4111 1111 1111 1111" }] });
    const fine = stockItem(4, { products: [milk], movements: [move(7, 10_000, 10_000)] });
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [unnamed, backwards, card, fine]))).status).toBe(200);
    const dead = await sql<{ seq: number; reason: string }[]>`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId}::uuid ORDER BY seq`;
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [1, "movements[0].sku: the batch does not name product MILK"],
      [2, "movements[1].id: movements come in the order of the store's ledger, each once"],
      [3, "movements[0].document looks like a card number: head office keeps no card data, so this item was not merged"],
    ]);
    expect(await held(storeId)).toEqual({ moved: 1, on_hand: 10_000, dead: 3, last_seq: 4 });
  });
});
