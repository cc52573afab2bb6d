// The stock ledger going up to head office, on a real store database: each movement in exactly one outbox item, in
// ledger order, with the on-hand after it; the cursor and the item commit together or not at all, so a rerun — after a
// failure or a restart — sends nothing twice; and a sale's transaction writes no item of this kind.
import { afterEach, describe, expect, test } from "bun:test";
import { codes, makeTestStore, type TestStore } from "../../../tests/helpers/store.ts";
import { outboxItem, outboxPayloads, type StockMovementsPayload } from "../../sync/contracts.ts";
import { openShop } from "../compose.ts";
import { outboxWriter } from "./outbox.ts";
import { stockMovementBatches } from "./stock-movements.ts";

let t: TestStore | null = null;
afterEach(() => {
  t?.close();
  t = null;
});

type Item = { seq: number; kind: string; ref: string; hash: string; payload: string };
const stockItems = (s: TestStore) =>
  s.store.db.query<Item, []>("SELECT seq, kind, ref, hash, payload FROM outbox WHERE kind = 'stock_movements' ORDER BY seq").all();
const movementIds = (s: TestStore) =>
  s.store.db
    .query<{ id: number }, []>("SELECT id FROM stock_movements ORDER BY id")
    .all()
    .map((r) => r.id);
const sentIds = (s: TestStore) => stockItems(s).flatMap((i) => (JSON.parse(i.payload) as StockMovementsPayload).movements.map((m) => m.id));
const cursor = (s: TestStore) => s.store.db.query<{ last_id: number }, []>("SELECT last_id FROM stock_movement_cursor").get()!.last_id;
const at = () => "2026-11-25T10:30:00.000Z";

function trade(s: TestStore): void {
  s.store.checkout.sell(s.registerId, [{ barcode: codes.milk, qty: 2 }, { barcode: codes.bread }], [{ method: "cash", amount: 1000 }]);
  s.store.checkout.sell(s.registerId, [{ sku: "APPLES-KG", qty: 1.25 }, { barcode: codes.milk }], [{ method: "cash", amount: 1000 }]);
}

describe("the stock ledger going up", () => {
  test("every movement once, in ledger order, each with the product's on-hand right after it", async () => {
    t = makeTestStore();
    trade(t);
    expect(await t.store.stockMovements.appendAll(at)).toBe(movementIds(t).length);
    const items = stockItems(t);
    expect(items.length).toBe(1);
    for (const item of items) expect(outboxItem.safeParse(item).error?.issues ?? []).toEqual([]);
    expect(sentIds(t)).toEqual(movementIds(t));
    expect(cursor(t)).toBe(movementIds(t).at(-1)!);

    const doc = outboxPayloads.stock_movements.parse(JSON.parse(items[0]!.payload));
    const milk = doc.movements.filter((m) => m.sku === "MILK-1L");
    // opening 50, then a sale of 2 and a sale of 1
    expect(milk.map((m) => [m.reason, m.qty_milli, m.on_hand_milli])).toEqual([
      ["opening", 50_000, 50_000],
      ["sale", -2000, 48_000],
      ["sale", -1000, 47_000],
    ]);
    expect(milk[1]!.sale_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(doc.products.find((p) => p.sku === "APPLES-KG")).toEqual({ sku: "APPLES-KG", name: "Apples Braeburn (kg)", reorder_point_milli: null });
    expect(doc.products.length).toBe(new Set(doc.movements.map((m) => m.sku)).size);
    // nothing waits: a second pass writes nothing
    expect(await t.store.stockMovements.appendAll(at)).toBe(0);
    expect(stockItems(t).length).toBe(1);
  });

  test("a thousand at most to an item: consecutive ranges, none twice, the on-hand right where a batch stops short", async () => {
    t = makeTestStore();
    trade(t);
    trade(t);
    const small = stockMovementBatches(t.store.db, outboxWriter(t.store.db), { perItem: 3 });
    const all = movementIds(t);
    expect(await small.appendAll(at)).toBe(all.length);
    const docs = stockItems(t).map((i) => outboxPayloads.stock_movements.parse(JSON.parse(i.payload)));
    expect(docs.length).toBe(Math.ceil(all.length / 3));
    expect(docs.flatMap((d) => d.movements.map((m) => m.id))).toEqual(all);
    // on-hand after each of the milk's movements is the running sum of its movements, whichever item it is in
    let running = 0;
    for (const m of docs.flatMap((d) => d.movements).filter((x) => x.sku === "MILK-1L")) {
      running += m.qty_milli;
      expect(m.on_hand_milli).toBe(running);
    }
    expect(running).toBe(t.store.catalog.bySku("MILK-1L")!.stockMilli);
  });

  test("a sale's transaction puts no stock item in the outbox: only the step does", () => {
    t = makeTestStore();
    trade(t);
    expect(stockItems(t)).toEqual([]);
    expect(cursor(t)).toBe(0);
  });
});

describe("the cursor and the outbox item commit together", () => {
  test("an outbox that refuses the item leaves the cursor where it was", async () => {
    t = makeTestStore();
    trade(t);
    t.store.db.exec("CREATE TEMP TRIGGER refuse_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => t!.store.stockMovements.appendNext(at())).toThrow("disk full");
    expect([cursor(t), stockItems(t).length]).toEqual([0, 0]);
    t.store.db.exec("DROP TRIGGER refuse_outbox");
    expect(await t.store.stockMovements.appendAll(at)).toBe(movementIds(t).length);
    expect(sentIds(t)).toEqual(movementIds(t));
  });

  test("a cursor that cannot move takes the item back out", async () => {
    t = makeTestStore();
    trade(t);
    t.store.db.exec("CREATE TEMP TRIGGER stuck_cursor BEFORE UPDATE ON stock_movement_cursor BEGIN SELECT RAISE(ABORT, 'I/O error'); END");
    expect(() => t!.store.stockMovements.appendNext(at())).toThrow("I/O error");
    expect([cursor(t), stockItems(t).length]).toEqual([0, 0]);
    t.store.db.exec("DROP TRIGGER stuck_cursor");
    await t.store.stockMovements.appendAll(at);
    expect(sentIds(t)).toEqual(movementIds(t));
  });

  test("after a restart the store goes on from its cursor: nothing sent twice, the new movements once", async () => {
    t = makeTestStore();
    trade(t);
    await t.store.stockMovements.appendAll(at);
    const before = stockItems(t);
    const first = t;
    first.store.close();
    // the same database opened again, as after a power cut: what committed is all there is
    const again = openShop({ dataDir: first.dir });
    t = { ...first, store: again, close: () => first.close() };
    try {
      expect(await again.stockMovements.appendAll(at)).toBe(0);
      expect(stockItems(t)).toEqual(before);
      again.checkout.sell(t.registerId, [{ barcode: codes.wine }], [{ method: "cash", amount: 2000 }]);
      expect(await again.stockMovements.appendAll(at)).toBe(1);
      expect(sentIds(t)).toEqual(movementIds(t));
      expect(new Set(sentIds(t)).size).toBe(sentIds(t).length);
    } finally {
      again.close();
    }
  });
});
