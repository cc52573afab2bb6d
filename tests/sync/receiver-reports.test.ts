// What a store reports besides sales, at head office: its day totals (every snapshot kept) and the Z report of each
// closed shift (kept once), checked as strictly as sales; and a real store's reports arriving through the receiver.
import { beforeAll, describe, expect, test } from "bun:test";
import type { HqSql } from "../../src/sync/hq/db/db.ts";
import { type BatchItem, type Receipt, reasons, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { codes, makeTestStore, signIn } from "../helpers/store.ts";
import { batch, items, sha256, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let sql: HqSql;
beforeAll(() => {
  sql = db.sql;
});

const ok = (acked: number): Receipt => ({ status: 200, body: { acked_through: acked, epoch: "E1" } });
const newStore = async () => (await addStore(sql, "Store")).storeId;

/** An outbox item of any kind, as the store writes it. */
function report(seq: number, kind: string, ref: string, doc: unknown): BatchItem {
  const payload = JSON.stringify(doc);
  return { seq, kind, ref, hash: sha256(payload), payload };
}

function dayTotals(date: string, salesCount: number, total: number, extra: Record<string, unknown> = {}) {
  return {
    business_date: date,
    sales_count: salesCount,
    total_minor: total,
    tax_minor: Math.round(total / 11),
    discount_minor: 0,
    rounding_minor: 0,
    by_method: { cash: total - 100, card: 100 },
    computed_at: `${date}T18:00:00.000Z`,
    ...extra,
  };
}

/** The ref a store gives a closed shift: its id and when it opened (the opened_at of shiftClosed). */
const shiftRef = (shiftId: number) => `${shiftId}@2026-11-25T08:00:00.000Z`;

function shiftClosed(shiftId: number, extra: Record<string, unknown> = {}) {
  return {
    shift_id: shiftId,
    register_id: 1,
    opened_at: "2026-11-25T08:00:00.000Z",
    closed_at: "2026-11-25T16:00:00.000Z",
    business_date: "2026-11-25",
    opened_by: "Ann",
    closed_by: "Bob",
    opening_float: 10_000,
    sales_count: 42,
    sales_total: 123_450,
    discount_total: 0,
    rounding_total: 0,
    cancelled_count: 1,
    refund_total: 0,
    tax_total: 1234,
    taxes: [{ tax_class: "STD", rate_bp: 2000, net: 100, tax: 20 }],
    tenders: [{ method: "cash", amount: 5000 }],
    cash_in: 0,
    cash_out: 0,
    no_sales: 0,
    cash_sales: 5000,
    expected_cash: 15_000,
    counted_cash: 14_990,
    over_short: -10,
    ...extra,
  };
}

describe("day totals", () => {
  test("every snapshot a store sends of a date is kept, with its sequence number; a replay adds none", async () => {
    const storeId = await newStore();
    const list = [
      ...items(1, 2),
      report(3, "day_totals", "2026-11-25", dayTotals("2026-11-25", 2, 1000)),
      ...items(4, 1),
      report(5, "day_totals", "2026-11-25", dayTotals("2026-11-25", 3, 1500, { note: "kept in the payload" })),
      report(6, "day_totals", "2026-11-24", dayTotals("2026-11-24", 0, 0)),
      report(7, "day_totals", "2026-11-25", dayTotals("2026-11-25", 3, 1500)), // the same figures again: merged too
    ];
    const b = batch(storeId, "E1", list);
    expect(await receiveBatch(sql, storeId, b)).toEqual(ok(7));
    expect(await receiveBatch(sql, storeId, b)).toEqual(ok(7));
    const rows = await sql`
      SELECT epoch, seq, business_date::text, sales_count, total_minor, tax_minor, payload->'by_method' AS by_method, payload->>'note' AS note,
        content_hash
      FROM store_day_totals WHERE store_id = ${storeId} ORDER BY seq`;
    expect([...rows]).toEqual([
      {
        epoch: "E1",
        seq: 3,
        business_date: "2026-11-25",
        sales_count: 2,
        total_minor: 1000,
        tax_minor: 91,
        by_method: { cash: 900, card: 100 },
        note: null,
        content_hash: list[2]!.hash,
      },
      {
        epoch: "E1",
        seq: 5,
        business_date: "2026-11-25",
        sales_count: 3,
        total_minor: 1500,
        tax_minor: 136,
        by_method: { cash: 1400, card: 100 },
        note: "kept in the payload",
        content_hash: list[4]!.hash,
      },
      {
        epoch: "E1",
        seq: 6,
        business_date: "2026-11-24",
        sales_count: 0,
        total_minor: 0,
        tax_minor: 0,
        by_method: { cash: -100, card: 100 },
        note: null,
        content_hash: list[5]!.hash,
      },
      {
        epoch: "E1",
        seq: 7,
        business_date: "2026-11-25",
        sales_count: 3,
        total_minor: 1500,
        tax_minor: 136,
        by_method: { cash: 1400, card: 100 },
        note: null,
        content_hash: list[6]!.hash,
      },
    ]);
    const statuses = await sql`SELECT status, count(*) AS n FROM outbox_items WHERE store_id = ${storeId} GROUP BY 1`;
    expect([...statuses]).toEqual([{ status: "merged", n: 7 }]);
  });
});

describe("closed shifts", () => {
  test("a Z report is kept once, with its figures; sent again it is a duplicate, changed it is refused", async () => {
    const storeId = await newStore();
    const z = shiftClosed(7);
    const uncounted = shiftClosed(8, { counted_cash: null, over_short: null });
    const list = [report(1, "shift_closed", shiftRef(7), z), report(2, "shift_closed", shiftRef(8), uncounted), report(3, "shift_closed", shiftRef(7), z)];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(3));
    const changed = report(5, "shift_closed", shiftRef(7), { ...z, counted_cash: 15_000, over_short: 0 });
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", [report(4, "shift_closed", shiftRef(7), z), changed]))).toEqual(ok(5));

    const rows = await sql`
      SELECT shift_id, epoch, seq, register_id, business_date::text, opened_by, closed_by, opening_float, sales_count, sales_total,
        cancelled_count, tax_total, cash_sales, expected_cash, counted_cash, over_short, payload->'tenders' AS tenders, content_hash,
        closed_at = '2026-11-25T16:00:00Z'::timestamptz AS closed_at_right
      FROM shift_closures WHERE store_id = ${storeId} ORDER BY shift_id`;
    expect([...rows]).toEqual([
      {
        shift_id: 7,
        epoch: "E1",
        seq: 1,
        register_id: 1,
        business_date: "2026-11-25",
        opened_by: "Ann",
        closed_by: "Bob",
        opening_float: 10_000,
        sales_count: 42,
        sales_total: 123_450,
        cancelled_count: 1,
        tax_total: 1234,
        cash_sales: 5000,
        expected_cash: 15_000,
        counted_cash: 14_990,
        over_short: -10,
        tenders: [{ method: "cash", amount: 5000 }],
        content_hash: list[0]!.hash,
        closed_at_right: true,
      },
      expect.objectContaining({ shift_id: 8, seq: 2, counted_cash: null, over_short: null }),
    ]);
    const ledger = await sql`SELECT seq, status FROM outbox_items WHERE store_id = ${storeId} ORDER BY seq`;
    expect(ledger.map((r) => r.status)).toEqual(["merged", "merged", "duplicate", "duplicate", "dead_letter"]);
    const dead = await sql`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId}`;
    expect([...dead]).toEqual([{ seq: 5, reason: reasons.otherShift }]);
  });
});

describe("closed shifts of a restored store", () => {
  test("a shift id the restored database hands out again, opened at another time, is another shift and is kept", async () => {
    const storeId = await newStore();
    const again = shiftClosed(7, { opened_at: "2026-11-26T08:00:00.000Z", closed_at: "2026-11-26T16:00:00.000Z", business_date: "2026-11-26" });
    const list = [report(1, "shift_closed", shiftRef(7), shiftClosed(7)), report(2, "shift_closed", "7@2026-11-26T08:00:00.000Z", again)];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(2));
    const rows = await sql`SELECT shift_id, business_date::text FROM shift_closures WHERE store_id = ${storeId} ORDER BY opened_at`;
    expect([...rows]).toEqual([
      { shift_id: 7, business_date: "2026-11-25" },
      { shift_id: 7, business_date: "2026-11-26" },
    ]);
  });
});

describe("checks", () => {
  test("malformed reports go to dead letters with the reason, and the queue goes on", async () => {
    const storeId = await newStore();
    const list: BatchItem[] = [
      report(1, "day_totals", "2026-11-24", dayTotals("2026-11-25", 1, 100)),
      report(2, "day_totals", "2026-11-25", dayTotals("2026-11-25", 1, 100.5, { by_method: { cash: 100 } })),
      report(3, "day_totals", "2026-02-30", dayTotals("2026-02-30", 1, 100, { computed_at: "2026-11-25T18:00:00.000Z" })),
      report(4, "day_totals", "2026-11-25", dayTotals("2026-11-25", -1, 100)),
      report(5, "day_totals", "2026-11-25", dayTotals("2026-11-25", 1, 100, { by_method: { cash: "100" } })),
      report(6, "shift_closed", "07", shiftClosed(7)),
      report(7, "shift_closed", shiftRef(9), shiftClosed(9, { closed_by: "B\u0000b" })),
      report(8, "shift_closed", shiftRef(9), shiftClosed(9, { closed_at: "yesterday" })),
      report(9, "shift_closed", shiftRef(9), shiftClosed(9, { tenders: [{ method: "", amount: 1 }] })),
      report(10, "shift_closed", shiftRef(9), { ...shiftClosed(9), expected_cash: undefined }),
      report(11, "shift_closed", shiftRef(9), shiftClosed(9, { note: "\ud800" })),
      report(12, "refund", "1", { id: 1 }),
      report(13, "shift_closed", shiftRef(9), shiftClosed(9)),
    ];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(13));
    const dead = await sql<{ seq: number; reason: string }[]>`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [1, "ref does not match the business_date in the payload"],
      [2, expect.stringMatching(/^not a day totals document: total_minor: /)],
      [3, expect.stringMatching(/^not a day totals document: business_date: must be a date/)],
      [4, expect.stringMatching(/^not a day totals document: sales_count: /)],
      [5, expect.stringMatching(/^not a day totals document: by_method\.cash: /)],
      [6, "ref does not match the shift_id and opened_at in the payload"],
      [7, "closed_by: text with a NUL character or an unpaired surrogate"],
      [8, expect.stringMatching(/^not a closed shift document: closed_at: must be an ISO 8601 instant/)],
      [9, expect.stringMatching(/^not a closed shift document: tenders\[0\]\.method: /)],
      [10, expect.stringMatching(/^not a closed shift document: expected_cash: /)],
      [11, "note: text with a NUL character or an unpaired surrogate"],
      [12, 'unknown kind "refund"'],
    ]);
    const [held] = await sql`SELECT (SELECT count(*) FROM store_day_totals WHERE store_id = ${storeId}) AS days,
      (SELECT array_agg(seq) FROM shift_closures WHERE store_id = ${storeId}) AS shifts`;
    expect(held).toEqual({ days: 0, shifts: [13] });
  });

  test("text that PostgreSQL refuses is found whether the payload spells it escaped or raw", async () => {
    const storeId = await newStore();
    const raw = (seq: number, payload: string): BatchItem => ({ seq, kind: "shift_closed", ref: shiftRef(9), hash: sha256(payload), payload });
    const good = JSON.stringify(shiftClosed(9));
    const list = [
      raw(1, good.replace('"Bob"', '"B\\u0000b"')), // an escaped NUL
      raw(2, good.replace('"Bob"', '"B\\ud83db"')), // an escaped lone high surrogate
      raw(3, good.replace('"Bob"', '"B\ud83db"')), // a raw lone surrogate in the text itself
      raw(4, good.replace('"Bob"', '"\\\\u0000 \\ud83d\\ude00"')), // a backslash and "u0000", then an escaped pair: all fine
      raw(5, good.replace('"taxes":', '"__proto__":{"x":1},"taxes":')), // a key JSON allows and JavaScript objects cannot copy
    ];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(5));
    const dead = await sql<{ seq: number; reason: string }[]>`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    expect(dead.map((d) => d.seq)).toEqual([1, 2, 3, 5]);
    expect(dead[3]!.reason).toBe("(payload): a key named __proto__");
    const [z] = await sql`SELECT closed_by FROM shift_closures WHERE store_id = ${storeId}`;
    expect(z!.closed_by).toBe("\\u0000 \u{1F600}");
  });
});

describe("a real store", () => {
  test("its sales, a closed shift's Z report and the day's totals all merge", async () => {
    const shop = makeTestStore();
    try {
      const cashier = await signIn(shop.store, 1, { name: "Ann" });
      const manager = await signIn(shop.store, 2, { role: "manager", name: "Bob", shift: false });
      shop.store.till.scan(cashier.registerId, codes.milk);
      shop.store.till.pay(cashier.registerId, { method: "cash", amount: 500 }, cashier.userId);
      shop.store.checkout.sell(shop.registerId, [{ barcode: codes.wine }], [{ method: "card", amount: 1299 }]);
      const shift = shop.store.shifts.current(cashier.registerId)!;
      shop.store.shifts.close(shift.id, 10_000 + 119, null, manager.userId, shop.clock.now().toISOString());
      const outbox = shop.store.db.query<BatchItem, []>("SELECT seq, kind, ref, hash, payload FROM outbox ORDER BY seq").all();
      expect(outbox.map((o) => o.kind)).toEqual(["sale", "sale", "shift_closed", "day_totals"]);

      const storeId = await newStore();
      expect(await receiveBatch(sql, storeId, batch(storeId, "E1", outbox))).toEqual(ok(4));
      const statuses = await sql`SELECT status FROM outbox_items WHERE store_id = ${storeId} ORDER BY seq`;
      expect(statuses.map((s) => s.status)).toEqual(["merged", "merged", "merged", "merged"]);
      const [z] = await sql`SELECT shift_id, sales_count, sales_total, counted_cash FROM shift_closures WHERE store_id = ${storeId}`;
      expect(z).toEqual({ shift_id: shift.id, sales_count: 1, sales_total: 119, counted_cash: 10_119 });
      const [day] = await sql`SELECT seq, sales_count, total_minor FROM store_day_totals WHERE store_id = ${storeId}`;
      expect(day).toEqual({ seq: 4, sales_count: 2, total_minor: 119 + 1299 });
    } finally {
      shop.close();
    }
  });
});
