// Reconciliation: a store's own day totals against the sales head office holds that the report covers.
import { beforeAll, describe, expect, test } from "bun:test";
import type { HqSql } from "../../src/sync/hq/db/db.ts";
import { type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { reconcile } from "../../src/sync/hq/reconciliation/reconciliation.ts";
import { acceptRestoredEpoch } from "../../src/sync/hq/stores/epochs.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { batch, type Doc, item, saleDoc, sha256, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let sql: HqSql;
beforeAll(() => {
  sql = db.sql;
});

const DAY = "2026-11-25";

/** The store's report of a date, counting the sales given, as its own summary would. */
function dayTotals(seq: number, sales: Doc[], date = DAY): BatchItem {
  const payload = JSON.stringify({
    business_date: date,
    sales_count: sales.length,
    total_minor: sales.reduce((s, d) => s + d.total, 0),
    tax_minor: sales.reduce((s, d) => s + d.tax_total, 0),
    discount_minor: 0,
    rounding_minor: 0,
    by_method: {},
    computed_at: `${date}T18:00:00.000Z`,
  });
  return { seq, kind: "day_totals", ref: date, hash: sha256(payload), payload };
}

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
      reported: { sales_count: 3, total_minor: total(docs.slice(0, 3)), epoch: "E1", as_of_seq: 4, computed_at: `${DAY}T18:00:00.000Z` },
      covered: { sales_count: 3, total_minor: total(docs.slice(0, 3)) },
      held: { sales_count: 4, total_minor: total(docs) },
      status: "match",
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
    expect(row!.covered).toEqual({ sales_count: 2, total_minor: docs[0]!.total + docs[2]!.total });
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
    expect((await acceptRestoredEpoch(sql, storeId, "e2", "Carla")).status).toBe(200);
    await send(storeId, "e2", restored);
    const [row] = await reconcile(sql, { from: DAY, to: DAY, storeId });
    expect(row).toMatchObject({
      reported: { epoch: "e2", as_of_seq: 4, sales_count: 3 },
      covered: { sales_count: 3, total_minor: docs[0]!.total + docs[1]!.total + fresh.total },
      held: { sales_count: 5 },
      status: "match",
    });
  });
});
