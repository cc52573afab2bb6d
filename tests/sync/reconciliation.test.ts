// Reconciliation: a store's own day totals against the sales and returns head office holds that the report covers.
import { beforeAll, describe, expect, test } from "bun:test";
import type { ReturnPayload } from "../../src/sync/contracts.ts";
import type { HqSql } from "../../src/sync/hq/db/db.ts";
import { type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { reconcile } from "../../src/sync/hq/reconciliation/reconciliation.ts";
import { acceptRestoredEpoch } from "../../src/sync/hq/stores/epochs.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { batch, type Doc, dayTotals, item, returnDoc, saleDoc, sha256, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let sql: HqSql;
beforeAll(() => {
  sql = db.sql;
});

const DAY = "2026-11-25";

const refunded = (returns: ReturnPayload[]) => returns.reduce((s, r) => s + r.total, 0);
const returned = (seq: number, doc: ReturnPayload): BatchItem => item(seq, doc, "return");
const noReturns = { returns_count: 0, refund_minor: 0 };

const total = (docs: Doc[]) => docs.reduce((s, d) => s + d.total, 0);

async function send(storeId: string, epoch: string, list: BatchItem[]) {
  const r = await receiveBatch(sql, storeId, batch(storeId, epoch, list));
  expect(r.status).toBe(200);
}

describe("reconcile", () => {
  test("a report matching head office's sales; a later sale is not counted against it", async () => {
    const { storeId } = await addStore(sql, "Aachen");
    const docs = [1, 2, 3, 4].map((n) => saleDoc(n));
    await send(storeId, "E1", [item(1, docs[0]), item(2, docs[1]), item(3, docs[2]), dayTotals(4, docs.slice(0, 3)), item(5, docs[3])]);
    const [row, ...rest] = await reconcile(sql, { from: DAY, to: DAY, storeId });
    expect(rest).toEqual([]);
    expect(row).toEqual({
      store_id: storeId,
      name: "Aachen",
      business_date: DAY,
      reported: {
        sales_count: 3,
        total_minor: total(docs.slice(0, 3)),
        returns_count: null,
        refund_minor: null,
        epoch: "E1",
        as_of_seq: 4,
        computed_at: `${DAY}T18:00:00.000Z`,
      },
      covered: { sales_count: 3, total_minor: total(docs.slice(0, 3)), ...noReturns },
      held: { sales_count: 4, total_minor: total(docs), ...noReturns },
      differs: [],
      status: "match",
      reason: null,
    });
  });

  test("a sale head office refused makes the store's report a mismatch", async () => {
    const { storeId } = await addStore(sql, "Bonn");
    const docs = [1, 2, 3].map((n) => saleDoc(n));
    const refused = { ...item(2, docs[1]), hash: "0".repeat(64) }; // went to dead letters
    await send(storeId, "E1", [item(1, docs[0]), refused, item(3, docs[2]), dayTotals(4, docs)]);
    const [row] = await reconcile(sql, { from: DAY, to: DAY, storeId });
    expect(row!.status).toBe("mismatch");
    expect(row!.reported).toMatchObject({ sales_count: 3, total_minor: total(docs) });
    expect(row!.covered).toEqual({ sales_count: 2, total_minor: docs[0]!.total + docs[2]!.total, ...noReturns });
    expect(row!.differs).toEqual(["sales_count", "total_minor"]);
  });

  test("the latest report counts; a date without one is not reported; other dates and stores are left out", async () => {
    const { storeId } = await addStore(sql, "Celle");
    const a = [1, 2].map((n) => saleDoc(n));
    const b = saleDoc(3, { day: "2026-11-26" });
    // reports at 2 (one sale) and 5 (counting a sale head office never got), then 6: the latest word, which matches
    await send(storeId, "E1", [item(1, a[0]), dayTotals(2, a.slice(0, 1)), item(3, a[1]), item(4, b), dayTotals(5, [...a, saleDoc(99)])]);
    expect((await reconcile(sql, { from: DAY, to: DAY, storeId }))[0]!.status).toBe("mismatch");
    await send(storeId, "E1", [dayTotals(6, a)]);
    const rows = await reconcile(sql, { from: DAY, to: "2026-11-26", storeId });
    expect(rows.map((r) => [r.business_date, r.status, r.reported?.as_of_seq ?? null, r.held.sales_count])).toEqual([
      [DAY, "match", 6, 2],
      ["2026-11-26", "not_reported", null, 1],
    ]);
    expect(rows[1]!.covered).toBeNull();
    expect(await reconcile(sql, { from: "2026-11-27", to: "2026-11-30", storeId })).toEqual([]);
    const everyone = await reconcile(sql, { from: DAY, to: DAY });
    expect(everyone.map((r) => r.name)).toEqual(expect.arrayContaining(["Aachen", "Bonn", "Celle"]));
    await expect(reconcile(sql, { from: "25.11.2026", to: DAY })).rejects.toThrow(RangeError);
  });

  test("a restored store's report covers the sales it sent again that head office already had", async () => {
    const { storeId } = await addStore(sql, "Dorsten");
    const docs = [1, 2, 3, 4].map((n) => saleDoc(n));
    await send(storeId, "e1", [item(1, docs[0]), item(2, docs[1]), item(3, docs[2]), dayTotals(4, docs.slice(0, 3)), item(5, docs[3])]);
    // the backup held the first two sales; since then one new sale; its report counts three
    const fresh = saleDoc(7);
    const restored = [item(1, docs[0]), item(2, docs[1]), item(3, fresh), dayTotals(4, [docs[0]!, docs[1]!, fresh])];
    expect((await receiveBatch(sql, storeId, batch(storeId, "e2", restored))).status).toBe(409);
    expect((await acceptRestoredEpoch(sql, storeId, "e2", "Carla", { retireLive: true })).status).toBe(200);
    await send(storeId, "e2", restored);
    const [row] = await reconcile(sql, { from: DAY, to: DAY, storeId });
    expect(row).toMatchObject({
      reported: { epoch: "e2", as_of_seq: 4, sales_count: 3 },
      covered: { sales_count: 3, total_minor: docs[0]!.total + docs[1]!.total + fresh.total, ...noReturns },
      held: { sales_count: 5 },
      status: "match",
    });
  });
});

describe("reconcile with returns", () => {
  test("a report with refund figures matches head office's returns; a return sent after it is not counted against it", async () => {
    const { storeId } = await addStore(sql, "Essen");
    const docs = [1, 2, 3].map((n) => saleDoc(n));
    const r = [returnDoc(docs[0]!, 1), returnDoc(docs[1]!, 2, { lines: [{ line_no: 2 }, { line_no: 4 }] }), returnDoc(docs[2]!, 3)];
    await send(storeId, "E1", [
      item(1, docs[0]),
      item(2, docs[1]),
      returned(3, r[0]!),
      item(4, docs[2]),
      returned(5, r[1]!),
      dayTotals(6, docs, DAY, r.slice(0, 2)),
      returned(7, r[2]!),
    ]);
    const [row] = await reconcile(sql, { from: DAY, to: DAY, storeId });
    expect(row).toMatchObject({
      reported: { sales_count: 3, total_minor: total(docs), returns_count: 2, refund_minor: refunded(r.slice(0, 2)), as_of_seq: 6 },
      covered: { sales_count: 3, total_minor: total(docs), returns_count: 2, refund_minor: refunded(r.slice(0, 2)) },
      held: { sales_count: 3, total_minor: total(docs), returns_count: 3, refund_minor: refunded(r) },
      differs: [],
      status: "match",
    });
  });

  test("a store whose refunds differ from head office's is a mismatch that names them; so is a return head office refused", async () => {
    const { storeId } = await addStore(sql, "Fulda");
    const docs = [1, 2].map((n) => saleDoc(n));
    const r = [returnDoc(docs[0]!, 1), returnDoc(docs[1]!, 2)];
    const report = (seq: number, refund: number, count: number): BatchItem => {
      const payload = JSON.stringify({ ...JSON.parse(dayTotals(seq, docs, DAY, r).payload), refund_minor: refund, returns_count: count });
      return { seq, kind: "day_totals", ref: DAY, hash: sha256(payload), payload };
    };
    await send(storeId, "E1", [item(1, docs[0]), item(2, docs[1]), returned(3, r[0]!), returned(4, r[1]!), report(5, refunded(r) + 1, 2)]);
    const mismatch = async () => (await reconcile(sql, { from: DAY, to: DAY, storeId }))[0]!;
    expect(await mismatch()).toMatchObject({
      reported: { refund_minor: refunded(r) + 1, returns_count: 2 },
      covered: { refund_minor: refunded(r), returns_count: 2 },
      differs: ["refund_minor"],
      status: "mismatch",
    });
    // the store's next word agrees: a match again
    await send(storeId, "E1", [report(6, refunded(r), 2)]);
    expect(await mismatch()).toMatchObject({ differs: [], status: "match" });
    // one count off is a mismatch too, whatever the amounts say
    await send(storeId, "E1", [report(7, refunded(r), 3)]);
    expect(await mismatch()).toMatchObject({ differs: ["returns_count"], status: "mismatch" });

    // a return head office refused (a dead letter) leaves the store's word unmatched
    const other = await addStore(sql, "Gotha");
    const refused = { ...returned(2, r[0]!), hash: "0".repeat(64) };
    await send(other.storeId, "E1", [item(1, docs[0]), refused, dayTotals(3, docs.slice(0, 1), DAY, r.slice(0, 1))]);
    const [row] = await reconcile(sql, { from: DAY, to: DAY, storeId: other.storeId });
    expect(row).toMatchObject({
      covered: { sales_count: 1, returns_count: 0, refund_minor: 0 },
      differs: ["returns_count", "refund_minor"],
      status: "mismatch",
    });
  });

  test("a store that sends no refund figures is compared on its sales alone, and its returns are still shown", async () => {
    const { storeId } = await addStore(sql, "Hagen");
    const docs = [1, 2].map((n) => saleDoc(n));
    const r = returnDoc(docs[0]!, 1);
    await send(storeId, "E1", [item(1, docs[0]), item(2, docs[1]), returned(3, r), dayTotals(4, docs)]);
    const [row] = await reconcile(sql, { from: DAY, to: DAY, storeId });
    expect(row).toMatchObject({
      reported: { sales_count: 2, returns_count: null, refund_minor: null },
      covered: { sales_count: 2, returns_count: 1, refund_minor: r.total },
      held: { returns_count: 1, refund_minor: r.total },
      differs: [],
      status: "match",
    });
    // but a difference in its sales is still one
    await send(storeId, "E1", [dayTotals(5, docs.slice(0, 1))]);
    expect((await reconcile(sql, { from: DAY, to: DAY, storeId }))[0]).toMatchObject({ differs: ["sales_count", "total_minor"], status: "mismatch" });
  });

  test("a day with only returns is reconciled; a restored store's report covers the returns it sent again", async () => {
    const { storeId } = await addStore(sql, "Iserlohn");
    const sold = saleDoc(1);
    const NEXT = "2026-11-26";
    const r1 = returnDoc(sold, 1, { day: NEXT });
    const r2 = returnDoc(sold, 2, { day: NEXT, lines: [{ line_no: 2 }] });
    await send(storeId, "e1", [item(1, sold), returned(2, r1), returned(3, r2), dayTotals(4, [], NEXT, [r1, r2])]);
    expect((await reconcile(sql, { from: NEXT, to: NEXT, storeId }))[0]).toMatchObject({
      business_date: NEXT,
      covered: { sales_count: 0, total_minor: 0, returns_count: 2, refund_minor: r1.total + r2.total },
      status: "match",
    });
    // the backup held the sale and the first return; its report counts that return and a new one
    const r3 = returnDoc(sold, 3, { day: NEXT, lines: [{ line_no: 3 }] });
    const restored = [item(1, sold), returned(2, r1), returned(3, r3), dayTotals(4, [], NEXT, [r1, r3])];
    expect((await receiveBatch(sql, storeId, batch(storeId, "e2", restored))).status).toBe(409);
    expect((await acceptRestoredEpoch(sql, storeId, "e2", "Carla", { retireLive: true })).status).toBe(200);
    await send(storeId, "e2", restored);
    expect((await reconcile(sql, { from: NEXT, to: NEXT, storeId }))[0]).toMatchObject({
      reported: { epoch: "e2", as_of_seq: 4, returns_count: 2 },
      covered: { returns_count: 2, refund_minor: r1.total + r3.total },
      held: { returns_count: 3 },
      status: "match",
    });
  });

  test("while head office refuses a store's database its days since are 'unknown' with the reason, never 'match'", async () => {
    const { storeId } = await addStore(sql, "Jena");
    const EARLIER = "2026-11-20";
    const old = saleDoc(1, { day: EARLIER });
    const docs = [2, 3].map((n) => saleDoc(n));
    await send(storeId, "E1", [item(1, old), dayTotals(2, [old], EARLIER), item(3, docs[0]), item(4, docs[1]), dayTotals(5, docs)]);
    const both = { from: EARLIER, to: DAY, storeId };
    expect((await reconcile(sql, both)).map((r) => r.status)).toEqual(["match", "match"]);

    // a restored database (or a second machine with the store's token) sends under another epoch: refused, not merged;
    // what it sold cannot arrive, so head office's old figures matching the old report says nothing about the day
    expect((await receiveBatch(sql, storeId, batch(storeId, "E2", [item(1, saleDoc(9))]))).status).toBe(409);
    const rows = await reconcile(sql, both);
    expect(rows.map((r) => [r.business_date, r.status])).toEqual([
      [EARLIER, "match"], // before the last day head office holds: the other database only holds copies of it
      [DAY, "unknown"],
    ]);
    expect(rows[1]!.reason).toContain("refuses the database this store now sends from");
    expect(rows[1]!.differs).toEqual([]);
    expect(rows[1]!.reported).toMatchObject({ sales_count: 2, epoch: "E1" }); // still shown, for what it is worth
  });

  test("a day without the store's total says so, with the reason", async () => {
    const { storeId } = await addStore(sql, "Kiel");
    await send(storeId, "E1", [item(1, saleDoc(1))]);
    const [row] = await reconcile(sql, { from: DAY, to: DAY, storeId });
    expect(row).toMatchObject({ status: "not_reported", reported: null, covered: null, differs: [] });
    expect(row!.reason).toContain("No store total yet");
  });
});
