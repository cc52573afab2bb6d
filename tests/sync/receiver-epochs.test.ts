// A store database restored from a backup: its batches are refused until someone at head office accepts it; then it
// sends its whole outbox again under the new epoch and head office keeps every sale exactly once.
import { beforeAll, describe, expect, test } from "bun:test";
import { type HqSql, hqMigrations, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { type BatchItem, type Receipt, reasons, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { acceptRestoredEpoch } from "../../src/sync/hq/stores/epochs.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { batch, item, items, saleDoc, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let sql: HqSql;
beforeAll(() => {
  sql = db.sql;
});

const ok = (acked: number, epoch: string): Receipt => ({ status: 200, body: { acked_through: acked, epoch } });
const newStore = async () => (await addStore(sql, "Store")).storeId;

async function saleIds(storeId: string) {
  const rows = await sql<{ sale_id: string }[]>`SELECT sale_id::text FROM sales WHERE store_id = ${storeId} ORDER BY sale_id`;
  return rows.map((r) => r.sale_id);
}

async function ledger(storeId: string, epoch: string) {
  const rows = await sql<{ seq: number; status: string }[]>`
    SELECT seq, status FROM outbox_items WHERE store_id = ${storeId} AND epoch = ${epoch} ORDER BY seq`;
  return rows.map((r) => `${r.seq}:${r.status}`);
}

/** Sent in batches of `size`, each answered 200, as the uploader would. */
async function sendAll(storeId: string, epoch: string, list: BatchItem[], size: number) {
  for (let i = 0; i < list.length; i += size) {
    const part = list.slice(i, i + size);
    expect(await receiveBatch(sql, storeId, batch(storeId, epoch, part))).toEqual(ok(part.at(-1)!.seq, epoch));
  }
}

describe("a restored store database", () => {
  test("is refused until accepted; then its outbox sent again from 1 adds only its new sales, once", async () => {
    const storeId = await newStore();
    const original = items(1, 10);
    await sendAll(storeId, "e1", original, 4);

    // The backup held sales 1..6; since the restore the store sold 3 more, with new ids, under seq 7..9.
    const restored = [...original.slice(0, 6).map((it) => ({ ...it })), ...items(7, 3)];
    for (const b of [batch(storeId, "e2", restored.slice(0, 5)), batch(storeId, "e2", restored.slice(5), 6)]) {
      const r = await receiveBatch(sql, storeId, b);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ error: { code: "epoch_mismatch", details: { head_office_epoch: "e1", store_epoch: "e2", last_seq: 10 } } });
    }
    const [reported] = await sql`SELECT epoch, last_seq, restored_epoch FROM stores WHERE store_id = ${storeId}`;
    expect(reported).toEqual({ epoch: "e1", last_seq: 10, restored_epoch: "e2" });
    expect((await saleIds(storeId)).length).toBe(10);

    const accepted = await acceptRestoredEpoch(sql, storeId, "e2", "Carla (head office)", { retireLive: true });
    expect(accepted).toEqual({ status: 200, body: { store_id: storeId, epoch: "e2", previous_epoch: "e1", previous_last_seq: 10 } });
    const [change] = await sql`SELECT old_epoch, new_epoch, old_last_seq, accepted_by, at IS NOT NULL AS dated FROM epoch_changes WHERE store_id = ${storeId}`;
    expect(change).toEqual({ old_epoch: "e1", new_epoch: "e2", old_last_seq: 10, accepted_by: "Carla (head office)", dated: true });
    const [now] = await sql`SELECT epoch, last_seq, restored_epoch, restored_epoch_at FROM stores WHERE store_id = ${storeId}`;
    expect(now).toEqual({ epoch: "e2", last_seq: 0, restored_epoch: null, restored_epoch_at: null });

    // The store sends everything again from 1; a batch that starts later is a gap.
    expect((await receiveBatch(sql, storeId, batch(storeId, "e2", restored.slice(5), 6))).body).toMatchObject({ error: { code: "gap" } });
    await sendAll(storeId, "e2", restored, 4);
    const expected = [...original, ...restored.slice(6)].map((it) => JSON.parse(it.payload).id as string).sort();
    expect(await saleIds(storeId)).toEqual(expected);
    expect(await ledger(storeId, "e1")).toEqual(original.map((it) => `${it.seq}:merged`)); // the old epoch's ledger stays
    expect(await ledger(storeId, "e2")).toEqual([
      "1:duplicate",
      "2:duplicate",
      "3:duplicate",
      "4:duplicate",
      "5:duplicate",
      "6:duplicate",
      "7:merged",
      "8:merged",
      "9:merged",
    ]);
    const [counts] = await sql`
      SELECT (SELECT count(*) FROM sale_lines WHERE store_id = ${storeId}) AS lines,
        (SELECT count(*) FROM dead_letters WHERE store_id = ${storeId}) AS dead`;
    expect(counts).toEqual({ lines: 13 * 5, dead: 0 });
    // new sales carry the epoch and sequence number they were merged under
    const placed = await sql`SELECT epoch, count(*) AS n, max(seq) AS top FROM sales WHERE store_id = ${storeId} GROUP BY epoch ORDER BY epoch`;
    expect([...placed]).toEqual([
      { epoch: "e1", n: 10, top: 10 },
      { epoch: "e2", n: 3, top: 9 },
    ]);

    // A replay after acceptance gets the same answer and changes nothing.
    expect(await receiveBatch(sql, storeId, batch(storeId, "e2", restored))).toEqual(ok(9, "e2"));
    expect((await saleIds(storeId)).length).toBe(13);
    // The old database, still around somewhere, is now the one refused.
    expect((await receiveBatch(sql, storeId, batch(storeId, "e1", original.slice(8)))).status).toBe(409);
  });

  test("a sale it sends again with other contents goes to dead letters; the one on record stays", async () => {
    const storeId = await newStore();
    const original = items(1, 3);
    await sendAll(storeId, "e1", original, 3);
    expect((await receiveBatch(sql, storeId, batch(storeId, "e2", items(1, 1)))).status).toBe(409);
    expect((await acceptRestoredEpoch(sql, storeId, "e2", "Carla", { retireLive: true })).status).toBe(200);

    const edited = JSON.parse(original[1]!.payload);
    edited.paid += 1;
    const resent = [original[0]!, item(2, edited), original[2]!];
    expect(await receiveBatch(sql, storeId, batch(storeId, "e2", resent))).toEqual(ok(3, "e2"));
    expect(await ledger(storeId, "e2")).toEqual(["1:duplicate", "2:dead_letter", "3:duplicate"]);
    const dead = await sql`SELECT epoch, seq, reason FROM dead_letters WHERE store_id = ${storeId}`;
    expect([...dead]).toEqual([{ epoch: "e2", seq: 2, reason: reasons.otherDocument }]);
    const [held] = await sql`SELECT paid_minor FROM sales WHERE store_id = ${storeId} AND sale_id = ${edited.id}`;
    expect(held!.paid_minor).toBe(edited.paid - 1);
  });

  test("acceptance is refused for an epoch the store has not reported, or one head office held before", async () => {
    const storeId = await newStore();
    expect((await acceptRestoredEpoch(sql, storeId, "e2", "Carla")).body).toMatchObject({ error: { code: "epoch_not_reported" } });
    await sendAll(storeId, "e1", items(1, 2), 2);
    expect((await acceptRestoredEpoch(sql, storeId, "e2", "Carla")).body).toMatchObject({
      error: { code: "epoch_not_reported", details: { reported_epoch: null } },
    });

    // reported e2, then e3 (restored twice): a person looking at the older report is told so
    await receiveBatch(sql, storeId, batch(storeId, "e2", items(1, 1)));
    await receiveBatch(sql, storeId, batch(storeId, "e3", items(1, 1)));
    const stale = await acceptRestoredEpoch(sql, storeId, "e2", "Carla");
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: "epoch_not_reported", details: { reported_epoch: "e3" } } });
    expect((await acceptRestoredEpoch(sql, storeId, "e3", " ")).status).toBe(422);
    expect((await acceptRestoredEpoch(sql, storeId, "e3", "Carla", { retireLive: true })).status).toBe(200);

    // the first database comes back: head office held e1 before, so it cannot be accepted again
    expect((await receiveBatch(sql, storeId, batch(storeId, "e1", items(3, 1), 3))).status).toBe(409);
    expect((await acceptRestoredEpoch(sql, storeId, "e1", "Carla")).body).toMatchObject({ error: { code: "epoch_held_before" } });
    const [store] = await sql`SELECT epoch, restored_epoch FROM stores WHERE store_id = ${storeId}`;
    expect(store).toEqual({ epoch: "e3", restored_epoch: "e1" });

    expect((await acceptRestoredEpoch(sql, "00000000-0000-0000-0000-000000000000", "e1", "Carla")).status).toBe(404);
    expect((await acceptRestoredEpoch(sql, "not a uuid", "e1", "Carla")).status).toBe(404);
  });

  test("acceptance while the epoch head office follows is still live: refused unless the admin says it is retired", async () => {
    const storeId = await newStore();
    await sendAll(storeId, "e1", items(1, 2), 2);
    expect((await receiveBatch(sql, storeId, batch(storeId, "e2", items(1, 1)))).status).toBe(409);
    const live = await acceptRestoredEpoch(sql, storeId, "e2", "Carla");
    expect(live.status).toBe(409);
    expect(live.body).toMatchObject({ error: { code: "epoch_live" } });
    expect((await sql`SELECT epoch, restored_epoch FROM stores WHERE store_id = ${storeId}`)[0]).toEqual({ epoch: "e1", restored_epoch: "e2" });
    // heard from long enough ago, it is not live any more
    await sql`UPDATE outbox_items SET received_at = now() - interval '1 hour' WHERE store_id = ${storeId}`;
    expect((await acceptRestoredEpoch(sql, storeId, "e2", "Carla")).status).toBe(200);
  });

  test("acceptance and a batch of the old epoch racing each other: the batch is merged before or refused after", async () => {
    const storeId = await newStore();
    await sendAll(storeId, "e1", items(1, 5), 5);
    expect((await receiveBatch(sql, storeId, batch(storeId, "e2", items(1, 1)))).status).toBe(409);
    const late = batch(storeId, "e1", items(6, 50));
    const [answer, accepted] = await Promise.all([receiveBatch(sql, storeId, late), acceptRestoredEpoch(sql, storeId, "e2", "Carla", { retireLive: true })]);
    expect(accepted.status).toBe(200);
    const [change] = await sql<{ old_last_seq: number }[]>`SELECT old_last_seq FROM epoch_changes WHERE store_id = ${storeId}`;
    const [e1] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM sales WHERE store_id = ${storeId} AND epoch = 'e1'`;
    if (answer.status === 200) expect([change!.old_last_seq, e1!.n]).toEqual([55, 55]);
    else expect([answer.status, change!.old_last_seq, e1!.n]).toEqual([409, 5, 5]);
  });
});

describe("migration", () => {
  test("the ledger and sales received before epochs were recorded belong to the store's epoch", async () => {
    await sql`CREATE DATABASE hq_epochs_migration`;
    const old = openHq(db.pg.url.replace(/\/postgres$/, "/hq_epochs_migration"), { max: 2 });
    try {
      await migrateHq(
        old,
        hqMigrations.filter((m) => m.version < 3),
      );
      const { storeId } = await addStore(old, "Before");
      const doc = saleDoc(1);
      const first = item(1, doc);
      await old`UPDATE stores SET epoch = 'E-old', last_seq = 2 WHERE store_id = ${storeId}`;
      await old`INSERT INTO outbox_items (store_id, seq, kind, ref, content_hash, status)
        VALUES (${storeId}, 1, 'sale', ${doc.id}, ${first.hash}, 'merged'), (${storeId}, 2, 'sale', 'x', 'h2', 'dead_letter')`;
      await old`INSERT INTO dead_letters (store_id, seq, content_hash, kind, reason, body) VALUES (${storeId}, 2, 'h2', 'sale', 'bad', '{}')`;
      await old`INSERT INTO sales (store_id, sale_id, business_date, receipt_number, register_id, opened_at, completed_at, subtotal_minor,
        total_minor, tax_minor, discount_minor, rounding_minor, paid_minor, change_minor, payload, content_hash, seq)
        VALUES (${storeId}, ${doc.id}, '2026-11-25', 'R1', 1, now(), now(), 1, 1, 0, 0, 0, 1, 0, '{}', ${first.hash}, 1)`;

      await migrateHq(old);
      const [epochs] = await old`
        SELECT (SELECT array_agg(DISTINCT epoch) FROM outbox_items) AS ledger, (SELECT array_agg(DISTINCT epoch) FROM dead_letters) AS dead,
          (SELECT array_agg(DISTINCT epoch) FROM sales) AS sales`;
      expect(epochs).toEqual({ ledger: ["E-old"], dead: ["E-old"], sales: ["E-old"] });
      // the store goes on where it was, and sending that sale again is a duplicate
      const next = await receiveBatch(old, storeId, batch(storeId, "E-old", [item(3, doc), ...items(4, 1)], 3));
      expect(next).toEqual(ok(4, "E-old"));
      const statuses = await old`SELECT seq, status FROM outbox_items WHERE store_id = ${storeId} ORDER BY seq`;
      expect(statuses.map((r) => r.status)).toEqual(["merged", "dead_letter", "duplicate", "merged"]);
    } finally {
      await old.end();
    }
  });
});
