// Returns at head office, against a real, throwaway PostgreSQL: each kept exactly once (replays, one return sent under
// two sequence numbers, another version of it refused, head office killed in the middle of a batch), checked as
// strictly as sales (a malformed return is a dead letter with its reason and never blocks the queue), and kept in
// tables partitioned by business month like the sales.
import { beforeAll, describe, expect, test } from "bun:test";
import { looksLikeCardNumber } from "../../src/domain/kernel/card-data.ts";
import { outboxItem, type ReturnPayload } from "../../src/sync/contracts.ts";
import { type HqSql, hqMigrations, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { type BatchItem, type Receipt, reasons, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { batch, type Doc, item, killDuringBatch, returnDoc, saleDoc, sha256, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let sql: HqSql;
beforeAll(() => {
  sql = db.sql;
});

const ok = (acked: number): Receipt => ({ status: 200, body: { acked_through: acked, epoch: "E1" } });
const newStore = async () => (await addStore(sql, "Store")).storeId;
const returned = (seq: number, doc: ReturnPayload): BatchItem => item(seq, doc, "return");

/** What head office holds of a store: its returns with their lines and refunds, its sales, the ledger, dead letters. */
async function holdings(storeId: string) {
  const [h] = await sql<{ returns: number; distinct: number; lines: number; refunds: number; sales: number; ledger: number; dead: number; last_seq: number }[]>`
    SELECT (SELECT count(*) FROM hq_returns WHERE store_id = ${storeId}::uuid) AS returns,
      (SELECT count(DISTINCT return_id) FROM hq_returns WHERE store_id = ${storeId}::uuid) AS distinct,
      (SELECT count(*) FROM hq_return_lines WHERE store_id = ${storeId}::uuid) AS lines,
      (SELECT count(*) FROM hq_return_refunds WHERE store_id = ${storeId}::uuid) AS refunds,
      (SELECT count(*) FROM sales WHERE store_id = ${storeId}::uuid) AS sales,
      (SELECT count(*) FROM outbox_items WHERE store_id = ${storeId}::uuid) AS ledger,
      (SELECT count(*) FROM dead_letters WHERE store_id = ${storeId}::uuid) AS dead,
      (SELECT last_seq FROM stores WHERE store_id = ${storeId}::uuid) AS last_seq`;
  return h!;
}

/** The returns head office holds, in sequence order, as (seq, id, content hash, total). */
async function returnsOf(storeId: string) {
  return [
    ...(await sql<{ seq: number; return_id: string; content_hash: string; total_minor: number }[]>`
    SELECT seq, return_id::text, content_hash, total_minor FROM hq_returns WHERE store_id = ${storeId}::uuid ORDER BY seq`),
  ];
}

const expected = (list: BatchItem[]) =>
  list
    .filter((it) => it.kind === "return")
    .map((it) => ({ seq: it.seq, return_id: JSON.parse(it.payload).id, content_hash: it.hash, total_minor: JSON.parse(it.payload).total }));

/** A store's outbox from seq `from`: `count` sales, every other one returned in part right after it (two lines). */
function trading(from: number, count: number): BatchItem[] {
  const out: BatchItem[] = [];
  for (let i = 0; i < count; i++) {
    const sale = saleDoc(from + i);
    out.push(item(from + out.length, sale));
    if (i % 2 === 0) out.push(returned(from + out.length, returnDoc(sale, from + i, { lines: [{ line_no: 1 }, { line_no: 2, qty: 1 }] })));
  }
  return out;
}

describe("a return", () => {
  test("arrives whole: its row, lines and refunds are the document's, with the content hash of the text sent", async () => {
    const storeId = await newStore();
    const cash = saleDoc(1);
    const card = saleDoc(2);
    const r1 = returnDoc(cash, 1, { lines: [{ line_no: 1 }, { line_no: 2, qty: 1 }], rounding: -2 });
    const r2 = returnDoc(card, 2, { lines: [{ line_no: 3 }], reason: { code: "damaged", text: "Damaged or faulty", restock: false } });
    const list = [item(1, cash), item(2, card), returned(3, r1), returned(4, r2)];
    for (const it of list) expect(outboxItem.safeParse(it).success).toBe(true); // what the store's outbox would send
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(4));

    const rows = await sql`
      SELECT return_id::text, business_date::text, return_number, sale_id::text, receipt_number, register_id,
        returned_at = ${r1.at}::timestamptz AS at_right, reason_code, reason, total_minor, tax_minor, rounding_minor, payload,
        content_hash, epoch, seq
      FROM hq_returns WHERE store_id = ${storeId}::uuid ORDER BY seq`;
    expect(rows[0]).toEqual({
      return_id: r1.id,
      business_date: r1.business_date,
      return_number: "R002-000001",
      sale_id: cash.id,
      receipt_number: cash.receipt_number,
      register_id: cash.register_id,
      at_right: true,
      reason_code: "changed_mind",
      reason: "Changed mind",
      total_minor: r1.total,
      tax_minor: r1.tax_total,
      rounding_minor: -2,
      payload: r1,
      content_hash: sha256(JSON.stringify(r1)),
      epoch: "E1",
      seq: 3,
    });
    expect(rows[1]).toMatchObject({ return_id: r2.id, sale_id: card.id, reason_code: "damaged", total_minor: card.lines[2]!.total, seq: 4 });

    const held = await sql`
      SELECT l.return_id::text, l.line_no, l.sku, l.qty_milli, l.refund_minor, l.tax_minor, l.tax_rate_bp, l.restock
      FROM hq_return_lines l JOIN hq_returns r USING (store_id, return_id, business_date)
      WHERE l.store_id = ${storeId}::uuid ORDER BY r.seq, l.line_no`;
    const line = (id: string, l: ReturnPayload["lines"][number]) => ({
      return_id: id,
      line_no: l.line_no,
      sku: l.sku,
      qty_milli: Math.round(l.qty * 1000),
      refund_minor: l.refund,
      tax_minor: l.tax,
      tax_rate_bp: l.tax_rate_bp,
      restock: l.restock,
    });
    expect([...held]).toEqual([...r1.lines.map((l) => line(r1.id, l)), ...r2.lines.map((l) => line(r2.id, l))]);
    expect(held.map((l) => l.restock)).toEqual([true, true, false]);

    const refunds = await sql`
      SELECT f.return_id::text, f.n, f.method, f.amount_minor, f.card_brand, f.card_last4, f.auth_code, f.terminal_ref
      FROM hq_return_refunds f JOIN hq_returns r USING (store_id, return_id, business_date)
      WHERE f.store_id = ${storeId}::uuid ORDER BY r.seq, f.n`;
    expect([...refunds]).toEqual([
      { return_id: r1.id, n: 1, method: "cash", amount_minor: r1.total - 2, card_brand: null, card_last4: null, auth_code: null, terminal_ref: null },
      { return_id: r2.id, n: 1, method: "card", amount_minor: r2.total, card_brand: "VISA", card_last4: "4242", auth_code: "R2", terminal_ref: "T1" },
    ]);
    const statuses = await sql`SELECT kind, status FROM outbox_items WHERE store_id = ${storeId}::uuid ORDER BY seq`;
    expect(statuses.map((s) => `${s.kind}:${s.status}`)).toEqual(["sale:merged", "sale:merged", "return:merged", "return:merged"]);
  });

  test("without a receipt (no sale, no receipt number) or against another store's sale (its store named), it arrives whole", async () => {
    const storeId = await newStore();
    const other = await newStore();
    const sold = saleDoc(7);
    const noReceipt = { ...returnDoc(sold, 7, { lines: [{ line_no: 1 }] }), sale_id: null, receipt_number: null };
    const elsewhere = { ...returnDoc(sold, 8, { lines: [{ line_no: 2, qty: 1 }] }), origin_store_id: other };
    const list = [returned(1, noReceipt as ReturnPayload), returned(2, elsewhere as ReturnPayload)];
    for (const it of list) expect(outboxItem.safeParse(it).success).toBe(true);
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(2));
    const rows = await sql`
      SELECT return_id::text, sale_id::text, receipt_number, origin_store_id::text, total_minor
      FROM hq_returns WHERE store_id = ${storeId}::uuid ORDER BY seq`;
    expect([...rows]).toEqual([
      { return_id: noReceipt.id, sale_id: null, receipt_number: null, origin_store_id: null, total_minor: noReceipt.total },
      { return_id: elsewhere.id, sale_id: sold.id, receipt_number: sold.receipt_number, origin_store_id: other, total_minor: elsewhere.total },
    ]);
    expect((await holdings(storeId)).lines).toBe(2);
  });

  test("a batch of sales and returns replayed three times gets the same answer and adds nothing", async () => {
    const storeId = await newStore();
    const list = trading(1, 20); // 20 sales, 10 returns
    const b = batch(storeId, "E1", list);
    for (let i = 0; i < 4; i++) expect(await receiveBatch(sql, storeId, b)).toEqual(ok(30));
    expect(await holdings(storeId)).toEqual({ returns: 10, distinct: 10, lines: 20, refunds: 10, sales: 20, ledger: 30, dead: 0, last_seq: 30 });
    expect(await returnsOf(storeId)).toEqual(expected(list));
    // a replay overlapping new items merges only the new ones
    const more = trading(31, 4);
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", [...list.slice(20), ...more]))).toEqual(ok(36));
    expect(await holdings(storeId)).toEqual({ returns: 12, distinct: 12, lines: 24, refunds: 12, sales: 24, ledger: 36, dead: 0, last_seq: 36 });
    expect(await returnsOf(storeId)).toEqual(expected([...list, ...more]));
  });

  test("sent under two sequence numbers it is kept once; a different version of it is refused, in this batch or a later one", async () => {
    const storeId = await newStore();
    const sale = saleDoc(1);
    const doc = returnDoc(sale, 1);
    const changed = { ...doc, reason: "Wrong size" };
    const first = [item(1, sale), returned(2, doc), returned(3, doc), returned(4, changed)];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", first))).toEqual(ok(4));
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", [returned(5, doc), returned(6, changed)]))).toEqual(ok(6));
    const ledger = await sql`SELECT status FROM outbox_items WHERE store_id = ${storeId}::uuid ORDER BY seq`;
    expect(ledger.map((r) => r.status)).toEqual(["merged", "merged", "duplicate", "dead_letter", "duplicate", "dead_letter"]);
    const dead = await sql`SELECT seq, kind, reason, content_hash FROM dead_letters WHERE store_id = ${storeId}::uuid ORDER BY seq`;
    const hash = sha256(JSON.stringify(changed));
    expect([...dead]).toEqual([
      { seq: 4, kind: "return", reason: reasons.otherReturn, content_hash: hash },
      { seq: 6, kind: "return", reason: reasons.otherReturn, content_hash: hash },
    ]);
    expect(await holdings(storeId)).toMatchObject({ returns: 1, lines: 1, refunds: 1, dead: 2, last_seq: 6 });
    expect((await returnsOf(storeId)).map((r) => r.content_hash)).toEqual([sha256(JSON.stringify(doc))]);
  });

  test("re-sent under its sequence number with other contents it goes to dead letters, and the answer names it", async () => {
    const storeId = await newStore();
    const sale = saleDoc(1);
    const doc = returnDoc(sale, 1);
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", [item(1, sale), returned(2, doc)]))).toEqual(ok(2));
    const changed = returnDoc(sale, 1, { lines: [{ line_no: 2 }] });
    const resend = batch(storeId, "E1", [returned(2, { ...changed, id: doc.id }), item(3, saleDoc(3))]);
    const answer: Receipt = { status: 200, body: { acked_through: 3, epoch: "E1", changed: [2] } };
    expect(await receiveBatch(sql, storeId, resend)).toEqual(answer);
    expect(await receiveBatch(sql, storeId, resend)).toEqual(answer); // the same answer again, and no second dead letter
    const dead = await sql`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId}::uuid`;
    expect([...dead]).toEqual([{ seq: 2, reason: reasons.changed }]);
    expect(await returnsOf(storeId)).toEqual([{ seq: 2, return_id: doc.id, content_hash: sha256(JSON.stringify(doc)), total_minor: doc.total }]);
  });
});

describe("a malformed return", () => {
  const card = "4111111111111111"; // a test Visa number: 16 digits that pass the Luhn check

  /** A return of the first two lines of a cash sale, bent by `change`; its ref stays the id it was made with. */
  function bent(seq: number, change: (d: ReturnPayload & Record<string, unknown>) => void): BatchItem {
    const d = returnDoc(saleDoc(seq * 2 + 1), seq, { lines: [{ line_no: 1 }, { line_no: 2 }] }) as ReturnPayload & Record<string, unknown>;
    const ref = d.id;
    change(d);
    return { ...returned(seq, d), ref };
  }

  test("goes to dead letters with the reason, and the queue goes on", async () => {
    const storeId = await newStore();
    const sale: Doc = saleDoc(99);
    const list: BatchItem[] = [
      item(1, sale),
      { ...returned(2, returnDoc(sale, 2)), ref: "another" },
      bent(3, (d) => {
        d.total += 1;
      }),
      bent(4, (d) => {
        d.tax_total -= 1;
      }),
      bent(5, (d) => {
        d.refunds[0]!.amount -= 5; // 0.05 short, and no rounding to say why
      }),
      bent(6, (d) => {
        // a line refunding less than nothing, the sums made to agree
        d.lines[0]!.refund = -100;
        d.total = -100 + d.lines[1]!.refund;
        d.refunds[0]!.amount = d.total;
      }),
      bent(7, (d) => {
        d.return_number = "7";
      }),
      bent(8, (d) => {
        d.lines[1]!.line_no = 1;
      }),
      bent(9, (d) => {
        d.lines = [];
      }),
      bent(10, (d) => {
        (d.refunds[0] as Record<string, unknown>).auth_code = `${card.slice(0, 4)} ${card.slice(4, 8)} ${card.slice(8, 12)} ${card.slice(12)}`;
      }),
      bent(11, (d) => {
        d.business_date = "2026-11-28";
      }),
      bent(12, (d) => {
        d.lines[0]!.qty = 0;
      }),
      bent(13, (d) => {
        delete (d as Record<string, unknown>).refunds;
      }),
      bent(14, (d) => {
        d.lines[0]!.name = "bad\u0000name";
      }),
      bent(15, (d) => {
        d.total = -d.total;
      }),
      // good ones, after: cash rounding given back, and a plain one
      returned(16, returnDoc(sale, 16, { rounding: 2 })),
      returned(17, returnDoc(sale, 17, { lines: [{ line_no: 2 }] })),
    ];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(17));
    const dead = await sql<{ seq: number; reason: string; kind: string }[]>`
      SELECT seq, reason, kind FROM dead_letters WHERE store_id = ${storeId}::uuid ORDER BY seq`;
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [2, "ref does not match the return id in the payload"],
      [3, "total is not the sum of the lines' refunds"],
      [4, "tax_total is not the sum of the lines' tax"],
      [5, "the refunds less rounding do not come to the total"],
      [6, "lines[0]: refund and tax are never negative"],
      [7, "return_number must be R, the register, a dash and the count (R001-000042)"],
      [8, "two lines of the return have the same line_no"],
      [9, expect.stringMatching(/^not a completed return document: lines: /)],
      [10, "refunds[0].auth_code looks like a card number: head office keeps no card data, so this item was not merged"],
      [11, "business_date is more than a day away from at"],
      [12, "lines[0].qty: a returned quantity is more than zero"],
      [13, expect.stringMatching(/^not a completed return document: refunds: /)],
      [14, "lines[0].name: text with a NUL character or an unpaired surrogate"],
      [15, "total and tax_total are never negative"],
    ]);
    expect(dead.every((d) => d.kind === "return")).toBe(true);
    expect((await returnsOf(storeId)).map((r) => r.seq)).toEqual([16, 17]);
    // the queue goes on: the next batch is merged, and replaying this one changes nothing
    const next = returnDoc(sale, 18, { lines: [{ line_no: 3 }] });
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", [returned(18, next)]))).toEqual(ok(18));
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(18));
    expect(await holdings(storeId)).toMatchObject({ returns: 3, sales: 1, ledger: 18, dead: 14, last_seq: 18 });
    // the card number is kept nowhere, not even in the dead letter
    const texts = await sql<{ t: string }[]>`
      SELECT body::text || reason AS t FROM dead_letters WHERE store_id = ${storeId}::uuid
      UNION ALL SELECT payload::text FROM hq_returns WHERE store_id = ${storeId}::uuid
      UNION ALL SELECT concat_ws(' ', method, card_brand, card_last4, auth_code, terminal_ref) FROM hq_return_refunds WHERE store_id = ${storeId}::uuid`;
    const cardIn = (t: string) =>
      looksLikeCardNumber(t.replace(/[0-9a-f]{64}/gi, "").replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ""));
    expect(texts.map((r) => r.t).filter(cardIn)).toEqual([]);
    const [masked] = await sql<{ payload: string }[]>`SELECT body->>'payload' AS payload FROM dead_letters WHERE store_id = ${storeId}::uuid AND seq = 10`;
    expect(masked!.payload).toContain("[card ****1111]");
  });
});

describe("a crash", () => {
  test("head office killed with -9 in the middle of a batch of sales and returns keeps none of it; the re-sent batch lands whole", async () => {
    const storeId = await newStore();
    const first = trading(1, 6); // 6 sales, 3 returns: seq 1..9
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", first))).toEqual(ok(9));
    const large = trading(10, 1000); // 1000 sales, 500 returns: seq 10..1509
    const big = batch(storeId, "E1", large);
    expect(await killDuringBatch(db, storeId, big)).toMatch(/^failed: /);

    const before = { returns: 3, distinct: 3, lines: 6, refunds: 3, sales: 6, ledger: 9, dead: 0, last_seq: 9 };
    expect(await holdings(storeId)).toEqual(before);
    expect(await returnsOf(storeId)).toEqual(expected(first));

    expect(await receiveBatch(sql, storeId, big)).toEqual(ok(1509));
    expect(await receiveBatch(sql, storeId, big)).toEqual(ok(1509));
    expect(await holdings(storeId)).toEqual({ returns: 503, distinct: 503, lines: 1006, refunds: 503, sales: 1006, ledger: 1509, dead: 0, last_seq: 1509 });
    expect(await returnsOf(storeId)).toEqual(expected([...first, ...large]));
  });
});

describe("partitions", () => {
  /** The months (YYYY_MM) a partitioned table has a partition for. */
  async function months(table: string): Promise<string[]> {
    const rows = await sql<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = ${table}::regclass ORDER BY 1`;
    return rows.map((r) => r.name.slice(table.length + 1));
  }

  test("the returns tables have the sales tables' monthly partitions, made ahead and on demand for a return's business date", async () => {
    const ahead = await months("sales");
    expect(ahead.length).toBeGreaterThanOrEqual(5);
    for (const t of ["hq_returns", "hq_return_lines", "hq_return_refunds"]) expect(await months(t)).toEqual(ahead);

    const storeId = await newStore();
    const old = saleDoc(1, { day: "2024-05-31" });
    const far = saleDoc(2, { day: "2029-01-10" });
    // returned a day later, in the next month; and a return alone in a batch, for a month nobody sold in yet
    const list = [item(1, old), returned(2, returnDoc(old, 1, { day: "2024-06-01" })), item(3, far)];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(3));
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", [returned(4, returnDoc(far, 2, { day: "2029-02-01" }))]))).toEqual(ok(4));
    for (const table of ["hq_returns", "hq_return_lines", "hq_return_refunds"]) {
      const placed = await sql<{ part: string }[]>`
        SELECT DISTINCT tableoid::regclass::text AS part FROM ${sql(table)} WHERE store_id = ${storeId}::uuid ORDER BY 1`;
      expect(placed.map((p) => p.part)).toEqual([`${table}_2024_06`, `${table}_2029_02`]);
      expect(await months(table)).toEqual(await months("sales"));
    }
  });
});

describe("day totals", () => {
  test("the store's refund figures are kept beside its sales figures; a store from before returns leaves them null", async () => {
    const storeId = await newStore();
    const totals = (extra: Record<string, unknown>) => ({
      by_method: { cash: 1000 },
      tax_minor: 91,
      computed_at: "2026-11-25T18:00:00.000Z",
      sales_count: 2,
      total_minor: 1000,
      business_date: "2026-11-25",
      discount_minor: 0,
      rounding_minor: 0,
      ...extra,
    });
    const list = [
      { ...item(1, totals({})), kind: "day_totals", ref: "2026-11-25" },
      { ...item(2, totals({ refund_minor: 250, returns_count: 1 })), kind: "day_totals", ref: "2026-11-25" },
      { ...item(3, totals({ refund_minor: -1, returns_count: 1.5 })), kind: "day_totals", ref: "2026-11-25" },
    ];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(3));
    const rows = await sql`SELECT seq, refund_minor, returns_count FROM store_day_totals WHERE store_id = ${storeId}::uuid ORDER BY seq`;
    expect([...rows]).toEqual([
      { seq: 1, refund_minor: null, returns_count: null },
      { seq: 2, refund_minor: 250, returns_count: 1 },
    ]);
    const [dead] = await sql`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId}::uuid`;
    expect(dead).toEqual({ seq: 3, reason: expect.stringMatching(/^not a day totals document: returns_count: /) });
  });

  test("a head office from before returns kept them in the payload as sent: migrating takes the ones that are figures", async () => {
    await sql`CREATE DATABASE hq_before_returns`;
    const old = openHq(db.pg.url.replace(/\/postgres$/, "/hq_before_returns"), { max: 1 });
    try {
      // the schema at version 6, as that head office left it
      await old.begin(async (tx) => {
        await tx`CREATE TABLE hq_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
        for (const m of hqMigrations.filter((m) => m.version <= 6)) {
          await tx.unsafe(m.sql);
          await tx`INSERT INTO hq_migrations (version, name) VALUES (${m.version}, ${m.name})`;
        }
      });
      const { storeId } = await addStore(old, "Old");
      const sent = [{ refund_minor: 250, returns_count: 2 }, {}, { refund_minor: "lots", returns_count: -1 }, { refund_minor: 1.5, returns_count: 1e12 }];
      for (const [i, extra] of sent.entries()) {
        await old`INSERT INTO store_day_totals (store_id, epoch, seq, business_date, sales_count, total_minor, tax_minor, discount_minor,
          rounding_minor, computed_at, payload, content_hash)
          VALUES (${storeId}::uuid, 'E1', ${i + 1}, '2026-11-25', 1, 100, 9, 0, 0, now(), ${old.json({ business_date: "2026-11-25", ...extra })}, 'h')`;
      }
      expect(await migrateHq(old)).toEqual(hqMigrations.filter((m) => m.version > 6).map((m) => m.version));
      const rows = await old`SELECT seq, refund_minor, returns_count FROM store_day_totals ORDER BY seq`;
      expect([...rows]).toEqual([
        { seq: 1, refund_minor: 250, returns_count: 2 },
        { seq: 2, refund_minor: null, returns_count: null },
        { seq: 3, refund_minor: null, returns_count: null },
        { seq: 4, refund_minor: null, returns_count: null },
      ]);
    } finally {
      await old.end();
    }
  });
});
