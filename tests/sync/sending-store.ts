// A store as head office meets it in the tests of its stock pages and store limits: registered, then sending its
// numbered items under its epoch, in order, as the uploader does — stock movements built here, other kinds given.
import type { StockMovementsPayload } from "../../src/sync/contracts.ts";
import { contentHash, outboxRef } from "../../src/sync/contracts.ts";
import type { HqSql } from "../../src/sync/hq/db/db.ts";
import { type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { batch } from "./support.ts";

export type StockProduct = StockMovementsPayload["products"][number];

/** `seq` and `movement` are the last item and stock movement numbers it used: a test steps them back to send one again. */
export class SendingStore {
  seq = 0;
  movement = 0;

  private constructor(
    private readonly sql: HqSql,
    readonly id: string,
    readonly epoch: string,
  ) {}

  static async register(sql: HqSql, name: string): Promise<SendingStore> {
    return new SendingStore(sql, (await addStore(sql, name)).storeId, `E-${name}`);
  }

  /** Its next item: one delivery of each product, bringing it to `onHand` (thousandths). */
  stock(levels: [StockProduct, number][]): BatchItem {
    const movements = levels.map(([p, onHand]) => ({
      at: "2026-11-25T10:00:00.000Z",
      id: ++this.movement,
      sku: p.sku,
      reason: "delivery",
      qty_milli: 1000,
      on_hand_milli: onHand,
    }));
    const doc: StockMovementsPayload = { products: levels.map(([p]) => p), movements };
    const payload = JSON.stringify(doc);
    return { seq: ++this.seq, kind: "stock_movements", ref: outboxRef.stock_movements(doc), hash: contentHash(payload), payload };
  }

  /** Sends items in one batch; head office must take it. */
  async send(items: BatchItem[]): Promise<void> {
    const r = await receiveBatch(this.sql, this.id, batch(this.id, this.epoch, items));
    if (r.status !== 200) throw new Error(`head office refused the batch of ${this.id}: ${r.status} ${JSON.stringify(r.body)}`);
  }

  /** Sends its next stock item. */
  sendStock(levels: [StockProduct, number][]): Promise<void> {
    return this.send([this.stock(levels)]);
  }
}

/** North and South, registered at head office, nothing sent yet. */
export async function northAndSouth(sql: HqSql): Promise<{ north: SendingStore; south: SendingStore }> {
  return { north: await SendingStore.register(sql, "North"), south: await SendingStore.register(sql, "South") };
}
