// Head office's batch receiver against a real, throwaway PostgreSQL: exactly once, replays, gaps, epochs, dead letters,
// concurrency, a crash in the middle of a batch, partitions and the keys that keep the schema distributable by store_id.
import { beforeAll, describe, expect, test } from "bun:test";
import { looksLikeCardNumber } from "../../src/domain/kernel/card-data.ts";
import { type HqSql, hqMigrations, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { type BatchItem, type Receipt, reasons, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore, storeForToken } from "../../src/sync/hq/stores/stores.ts";
import { codes, makeTestStore } from "../helpers/store.ts";
import { batch, item, items, killDuringBatch, saleDoc, sha256, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let sql: HqSql;
beforeAll(() => {
  sql = db.sql;
});

const newStore = async (name = "Store") => (await addStore(sql, name)).storeId;

const ok = (acked: number, epoch = "E1"): Receipt => ({ status: 200, body: { acked_through: acked, epoch } });

/** What head office holds of one store: the invariants every test ends on. */
async function holdings(storeId: string) {
  const [s] = await sql<{ n: number; distinct_seq: number; distinct_sale: number; min: number | null; max: number | null }[]>`
    SELECT count(*) AS n, count(DISTINCT seq) AS distinct_seq, count(DISTINCT sale_id) AS distinct_sale, min(seq) AS min, max(seq) AS max
    FROM sales WHERE store_id = ${storeId}`;
  const [ledger] = await sql<{ n: number; max: number | null }[]>`SELECT count(*) AS n, max(seq) AS max FROM outbox_items WHERE store_id = ${storeId}`;
  const [lines] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM sale_lines WHERE store_id = ${storeId}`;
  const [payments] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM sale_payments WHERE store_id = ${storeId}`;
  const [dead] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM dead_letters WHERE store_id = ${storeId}`;
  const [store] = await sql<{ epoch: string | null; last_seq: number; restored_epoch: string | null }[]>`
    SELECT epoch, last_seq, restored_epoch FROM stores WHERE store_id = ${storeId}`;
  return { sales: s!, ledger: ledger!, lines: lines!.n, payments: payments!.n, dead: dead!.n, store: store! };
}

/** Sales head office holds, in sequence order, as (seq, sale id, content hash, total). */
async function salesOf(storeId: string) {
  return sql<{ seq: number; sale_id: string; content_hash: string; total_minor: number }[]>`
    SELECT seq, sale_id::text, content_hash, total_minor FROM sales WHERE store_id = ${storeId} ORDER BY seq`;
}

function expected(list: BatchItem[]) {
  return list.map((it) => {
    const doc = JSON.parse(it.payload);
    return { seq: it.seq, sale_id: doc.id, content_hash: it.hash, total_minor: doc.total };
  });
}

describe("a batch of sales", () => {
  test("a real store's sales arrive whole: rows and content hashes equal the store's", async () => {
    const shop = makeTestStore();
    try {
      const sell = (json: unknown) => shop.api("/api/v1/sales", { method: "POST", json });
      await sell({ lines: [{ barcode: codes.milk, qty: 2 }, { sku: "WINE-RED" }, { barcode: codes.paper }], payments: [{ method: "cash", amount: 2000 }] });
      await sell({ lines: [{ barcode: codes.bread }], payments: [{ method: "card", amount: 349, card: { brand: "VISA", last4: "4242", auth_code: "XY12" } }] });
      // a store credit of 1.00 the shop issued earlier pays part of the third sale
      shop.store.db
        .query("INSERT INTO vouchers(code, issued, balance, issued_at, register_id) VALUES ('SC000000000100', 100, 100, ?, ?)")
        .run(shop.clock.now().toISOString(), shop.registerId);
      await sell({
        lines: [{ sku: "APPLES-KG", qty: 1.25 }, { barcode: codes.milk }],
        payments: [
          { method: "voucher", amount: 100, store_credit: "SC000000000100" },
          { method: "cash", amount: 1000 },
        ],
      });
      const outbox = shop.store.db
        .query<{ seq: number; kind: string; ref: string; hash: string; payload: string }, []>("SELECT seq, kind, ref, hash, payload FROM outbox ORDER BY seq")
        .all();
      expect(outbox.length).toBe(3);
      const storeId = await newStore("Store 12");
      expect(await receiveBatch(sql, storeId, batch(storeId, "E1", outbox))).toEqual(ok(3));

      type Row = { id: string; receipt_number: string; business_date: string; total: number; paid: number; change_due: number; tax_total: number };
      const mine = shop.store.db
        .query<Row, []>(
          "SELECT id, receipt_number, business_date, total, paid, change_due, tax_total FROM sales WHERE status = 'completed' ORDER BY receipt_seq",
        )
        .all();
      const theirs = await sql<Row[]>`
        SELECT sale_id::text AS id, receipt_number, business_date::text, total_minor AS total, paid_minor AS paid, change_minor AS change_due, tax_minor AS tax_total
        FROM sales WHERE store_id = ${storeId} ORDER BY seq`;
      expect([...theirs]).toEqual(mine);
      const storeLines = shop.store.db
        .query<{ n: number; q: number; t: number }, []>("SELECT count(*) AS n, sum(qty_milli) AS q, sum(total) AS t FROM sale_lines")
        .get()!;
      const [hqLines] = await sql<{ n: number; q: number; t: number }[]>`
        SELECT count(*) AS n, sum(qty_milli)::int8 AS q, sum(total_minor)::int8 AS t FROM sale_lines WHERE store_id = ${storeId}`;
      expect(hqLines).toEqual(storeLines);
      const storePayments = shop.store.db
        .query<{ method: string; amount: number; card_last4: string | null }, []>("SELECT method, amount, card_last4 FROM sale_payments ORDER BY sale_id, n")
        .all();
      const hqPayments = await sql`SELECT method, amount_minor AS amount, card_last4 FROM sale_payments WHERE store_id = ${storeId} ORDER BY sale_id, n`;
      expect([...hqPayments]).toEqual(storePayments);
      const hashes = await sql<{ content_hash: string }[]>`SELECT content_hash FROM sales WHERE store_id = ${storeId} ORDER BY seq`;
      expect(hashes.map((h) => h.content_hash)).toEqual(outbox.map((o) => o.hash));
      const [payload] = await sql<{ payload: unknown }[]>`SELECT payload FROM sales WHERE store_id = ${storeId} AND seq = 1`;
      expect(payload!.payload).toEqual(JSON.parse(outbox[0]!.payload));
      const h = await holdings(storeId);
      expect(h.store).toEqual({ epoch: "E1", last_seq: 3, restored_epoch: null });
      expect(h.dead).toBe(0);
    } finally {
      shop.close();
    }
  });

  test("a batch replayed three times gets the same answer and adds nothing", async () => {
    const storeId = await newStore();
    const list = items(1, 20);
    const b = batch(storeId, "E1", list);
    for (let i = 0; i < 4; i++) expect(await receiveBatch(sql, storeId, b)).toEqual(ok(20));
    const h = await holdings(storeId);
    expect(h.sales).toEqual({ n: 20, distinct_seq: 20, distinct_sale: 20, min: 1, max: 20 });
    expect(h.ledger).toEqual({ n: 20, max: 20 });
    expect(h.lines).toBe(100);
    expect(h.payments).toBe(20);
    expect(h.dead).toBe(0);
    expect([...(await salesOf(storeId))]).toEqual(expected(list));
    // a replay overlapping new items merges only the new ones
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", [...list.slice(10), ...items(21, 5)]))).toEqual(ok(25));
    expect((await holdings(storeId)).sales).toEqual({ n: 25, distinct_seq: 25, distinct_sale: 25, min: 1, max: 25 });
  });

  test("a batch that leaves a gap is refused with 409 gap, and nothing of it is written", async () => {
    const storeId = await newStore();
    const list = items(1, 6);
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list.slice(0, 3)))).toEqual(ok(3));
    const r = await receiveBatch(sql, storeId, batch(storeId, "E1", list.slice(4)));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: { code: "gap", details: { last_seq: 3, expected_from_seq: 4 } } });
    expect((await holdings(storeId)).sales.n).toBe(3);
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list.slice(3)))).toEqual(ok(6));
    expect([...(await salesOf(storeId))]).toEqual(expected(list));
    // the first batch of a store must start at 1
    const fresh = await newStore();
    expect((await receiveBatch(sql, fresh, batch(fresh, "E1", items(2, 2)))).status).toBe(409);
  });

  test("a batch from another epoch (a restored store database) is refused, reported, and nothing is merged", async () => {
    const storeId = await newStore();
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", items(1, 5)))).toEqual(ok(5));
    const before = await salesOf(storeId);
    // the restored database reuses sequence numbers 4.. for different sales
    for (const b of [batch(storeId, "E2", items(4, 4)), batch(storeId, "E2", items(6, 3))]) {
      const r = await receiveBatch(sql, storeId, b);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ error: { code: "epoch_mismatch", details: { head_office_epoch: "E1", store_epoch: "E2", last_seq: 5 } } });
    }
    expect([...(await salesOf(storeId))]).toEqual([...before]);
    const h = await holdings(storeId);
    expect(h.store).toEqual({ epoch: "E1", last_seq: 5, restored_epoch: "E2" });
    expect(h.ledger.n).toBe(5);
    expect(h.dead).toBe(0);
    const [flag] = await sql`SELECT restored_epoch_at IS NOT NULL AS flagged FROM stores WHERE store_id = ${storeId}`;
    expect(flag!.flagged).toBe(true);
  });

  test("a re-sent item with different content goes to dead letters; the sale on record stays", async () => {
    const storeId = await newStore();
    const list = items(1, 3);
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(3));
    const changed = JSON.parse(list[1]!.payload);
    changed.paid += 100;
    const resend = batch(storeId, "E1", [item(2, changed), list[2]!, ...items(4, 1)]);
    // the answer names the changed sequence numbers: a store that sees them knows it is an older copy of itself
    const answer: Receipt = { status: 200, body: { acked_through: 4, epoch: "E1", changed: [2] } };
    expect(await receiveBatch(sql, storeId, resend)).toEqual(answer);
    expect(await receiveBatch(sql, storeId, resend)).toEqual(answer); // the same answer again, and no second dead letter
    const dead = await sql`SELECT seq, reason, content_hash, body->'payload' AS payload FROM dead_letters WHERE store_id = ${storeId}`;
    expect([...dead]).toEqual([{ seq: 2, reason: reasons.changed, content_hash: sha256(JSON.stringify(changed)), payload: changed }]);
    const held = await salesOf(storeId);
    expect(held.map((s) => s.content_hash)).toEqual([list[0]!.hash, list[1]!.hash, list[2]!.hash, held[3]!.content_hash]);
    expect(held[1]!.total_minor).toBe(JSON.parse(list[1]!.payload).total);
  });

  test("malformed items go to dead letters with the reason, and the queue goes on", async () => {
    const storeId = await newStore();
    const good = (seq: number) => item(seq, saleDoc(seq));
    const raw = (seq: number, payload: string, kind = "sale"): BatchItem => ({ seq, kind, ref: "x", hash: sha256(payload), payload });
    const { lines: _lines, ...noLines } = saleDoc(5);
    const nul = saleDoc(7);
    nul.lines[0]!.name = "bad\u0000name";
    const dupLines = saleDoc(8);
    dupLines.lines[1]!.line_no = 1;
    const list: BatchItem[] = [
      good(1),
      raw(2, "{not json"),
      { ...good(3), kind: "refund" },
      { ...good(4), hash: "0".repeat(64) },
      item(5, noLines),
      item(6, { ...saleDoc(6), status: "open" }),
      item(7, nul),
      item(8, dupLines),
      { ...good(9), payload: JSON.parse(good(9).payload) } as unknown as BatchItem,
      good(10),
    ];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(10));
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", items(11, 2)))).toEqual(ok(12));
    const dead = await sql<{ seq: number; reason: string }[]>`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    expect(dead.map((d) => d.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(dead.map((d) => d.reason)).toEqual([
      "payload is not valid JSON",
      'unknown kind "refund"',
      reasons.hashMismatch,
      expect.stringMatching(/^not a completed sale document: lines: /),
      expect.stringMatching(/^not a completed sale document: status: /),
      "lines[0].name: text with a NUL character or an unpaired surrogate",
      "two lines of the sale have the same line_no",
      reasons.notText,
    ]);
    expect((await salesOf(storeId)).map((s) => s.seq)).toEqual([1, 10, 11, 12]);
    const statuses = await sql`SELECT status, count(*) AS n FROM outbox_items WHERE store_id = ${storeId} GROUP BY status ORDER BY status`;
    expect([...statuses]).toEqual([
      { status: "dead_letter", n: 8 },
      { status: "merged", n: 4 },
    ]);
    // replaying the batch with its bad items changes nothing
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(12));
    expect((await holdings(storeId)).dead).toBe(8);
  });

  test("numbers are read as the numbers they are, whatever form the text gives them; finer than head office keeps, refused", async () => {
    const storeId = await newStore();
    const raw = (seq: number, payload: string): BatchItem => ({ seq, kind: "sale", ref: JSON.parse(payload).id, hash: sha256(payload), payload });
    const doc = saleDoc(1);
    const spelled = JSON.stringify(doc).replace(`"total":${doc.total},`, `"total":${doc.total}.0,`).replace('"register_id":2,', '"register_id":2e0,');
    expect(spelled).toContain(`"total":${doc.total}.0,`);
    const fine = saleDoc(2);
    fine.lines[0]!.qty = 1.0005;
    const cents = saleDoc(3);
    cents.lines[0]!.amount = 100.5;
    const huge = JSON.stringify(saleDoc(4)).replace('"due":0', '"due":1e400');
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", [raw(1, spelled), item(2, fine), item(3, cents), raw(4, huge)]))).toEqual(ok(4));
    const [held] = await sql`SELECT total_minor, register_id FROM sales WHERE store_id = ${storeId}`;
    expect(held).toEqual({ total_minor: doc.total, register_id: 2 });
    const dead = await sql<{ seq: number; reason: string }[]>`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [2, "not a completed sale document: lines[0].qty: must be a whole number of thousandths"],
      [3, expect.stringMatching(/^not a completed sale document: lines\[0\]\.amount: /)],
      [4, "due: number out of range"],
    ]);
  });

  test("one sale sent under two sequence numbers is kept once; a different version of it is refused", async () => {
    const storeId = await newStore();
    const doc = saleDoc(1);
    const changed = { ...doc, paid: doc.paid + 1 }; // another version: a total changed alone breaks the sum of the lines
    const first = [item(1, doc), item(2, doc), item(3, changed)];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", first))).toEqual(ok(3));
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", [item(4, doc), item(5, changed)]))).toEqual(ok(5));
    const ledger = await sql`SELECT seq, status FROM outbox_items WHERE store_id = ${storeId} ORDER BY seq`;
    expect(ledger.map((r) => r.status)).toEqual(["merged", "duplicate", "dead_letter", "duplicate", "dead_letter"]);
    const dead = await sql`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    expect([...dead]).toEqual([
      { seq: 3, reason: reasons.otherDocument },
      { seq: 5, reason: reasons.otherDocument },
    ]);
    const h = await holdings(storeId);
    expect(h.sales).toEqual({ n: 1, distinct_seq: 1, distinct_sale: 1, min: 1, max: 1 });
    expect(h.lines).toBe(5);
  });

  test("a batch whose envelope is wrong is refused whole", async () => {
    const storeId = await newStore();
    const other = await newStore();
    const good = batch(storeId, "E1", items(1, 3));
    expect((await receiveBatch(sql, other, good)).status).toBe(403);
    expect((await receiveBatch(sql, "00000000-0000-0000-0000-000000000000", { ...good, store_id: "00000000-0000-0000-0000-000000000000" })).status).toBe(404);
    expect((await receiveBatch(sql, storeId, { ...good, to_seq: 5 })).status).toBe(422);
    expect((await receiveBatch(sql, storeId, { ...good, items: [good.items[1], good.items[0], good.items[2]] })).status).toBe(422);
    expect((await receiveBatch(sql, storeId, { ...good, epoch: "" })).status).toBe(422);
    expect((await receiveBatch(sql, storeId, "nonsense")).status).toBe(422);
    expect((await holdings(storeId)).ledger.n).toBe(0);
    expect(await storeForToken(sql, "nope")).toBeNull();
  });
});

describe("what head office never keeps", () => {
  const card = "4111111111111111"; // a test Visa number: 16 digits that pass the Luhn check

  /** Every text head office holds of a store: rows merged, the ledger and dead letters. None may spell a card number. */
  async function everyText(storeId: string): Promise<string[]> {
    const rows = await sql<{ t: string }[]>`
      SELECT payload::text AS t FROM sales WHERE store_id = ${storeId}
      UNION ALL SELECT concat_ws(' ', name, sku, barcode, tax_class) FROM sale_lines WHERE store_id = ${storeId}
      UNION ALL SELECT concat_ws(' ', method, card_brand, card_last4, auth_code, terminal_ref) FROM sale_payments WHERE store_id = ${storeId}
      UNION ALL SELECT concat_ws(' ', kind, ref, content_hash) FROM outbox_items WHERE store_id = ${storeId}
      UNION ALL SELECT concat_ws(' ', kind, reason, body::text) FROM dead_letters WHERE store_id = ${storeId}`;
    return rows.map((r) => r.t);
  }
  /** Whether a text spells a card number, once content hashes and uuids (which can pass the Luhn check by chance) are left out. */
  const cardIn = (t: string) =>
    looksLikeCardNumber(t.replace(/[0-9a-f]{64}/gi, "").replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ""));

  test("a card number in any field but a barcode or a SKU, in any spelling, makes the item a dead letter; it is kept masked", async () => {
    const storeId = await newStore();
    const sale = (seq: number, change: (d: ReturnType<typeof saleDoc>) => void) => {
      const d = saleDoc(seq * 2); // even: paid by card
      change(d);
      return item(seq, d);
    };
    const payment = (d: ReturnType<typeof saleDoc>) => d.payments[0] as Record<string, unknown>;
    // the card number spelled inside the JSON text with escapes: the payload as a store could send it
    const escapedDoc = saleDoc(20);
    const escaped = JSON.stringify(escapedDoc).replace(
      '"auth_code":"A1"',
      `"auth_code":"${[...card].map((ch) => `\\u00${ch.charCodeAt(0).toString(16)}`).join("")}"`,
    );
    expect(escaped).toContain("\\u0034\\u0031");
    const list: BatchItem[] = [
      sale(1, (d) => {
        payment(d).auth_code = "4111.1111.1111.1111";
      }),
      sale(2, (d) => {
        payment(d).terminal_ref = "4111\u00a01111\u00a01111\u00a01111";
      }),
      sale(3, (d) => {
        d.lines[2]!.name = "Gift ４１１１ １１１１ １１１１ １１１１";
      }),
      sale(4, (d) => {
        (d as Record<string, unknown>).customer = { note: "4111/1111/1111/1111" };
      }),
      sale(5, (d) => {
        (d as Record<string, unknown>).loyalty = Number(card);
      }),
      sale(6, (d) => {
        d.lines[0]!.tax_class = "4111_1111_1111_1111";
      }),
      { seq: 7, kind: "sale", ref: escapedDoc.id, hash: sha256(escaped), payload: escaped },
      { ...item(8, saleDoc(16)), kind: card },
      // codes are not card data: a barcode or a SKU may pass the Luhn check by chance
      sale(9, (d) => {
        d.lines[0]!.barcode = card;
        d.lines[1]!.sku = card;
      }),
    ];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(9));
    const dead = await sql<{ seq: number; reason: string }[]>`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    const refusal = (path: string) => `${path} looks like a card number: head office keeps no card data, so this item was not merged`;
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [1, refusal("payments[0].auth_code")],
      [2, refusal("payments[0].terminal_ref")],
      [3, refusal("lines[2].name")],
      [4, refusal("customer.note")],
      [5, refusal("loyalty")],
      [6, refusal("lines[0].tax_class")],
      [7, refusal("payments[0].auth_code")],
      [8, 'unknown kind "[card ****1111]"'],
    ]);
    expect((await salesOf(storeId)).map((s) => s.seq)).toEqual([9]);
    const [codes] = await sql`SELECT barcode, sku FROM sale_lines WHERE store_id = ${storeId} AND line_no = 1`;
    expect(codes).toEqual({ barcode: card, sku: "SKU-1" });
    // the refused items are kept for people to look at, with the card number masked to its last four digits
    const kept = await sql<{ seq: number; payload: string; kind: string }[]>`
      SELECT seq, body->>'payload' AS payload, body->>'kind' AS kind FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    for (const k of kept.filter((x) => x.seq !== 8)) expect([k.seq, k.payload]).toEqual([k.seq, expect.stringContaining("[card ****1111]")]);
    expect(kept.find((k) => k.seq === 8)!.kind).toBe("[card ****1111]");
    const texts = await everyText(storeId);
    const spelled = texts.filter((t) => cardIn(t.replaceAll(card, ""))); // the barcode of sale 9 may stay
    expect(spelled).toEqual([]);
    expect(texts.join("\n")).not.toContain("4111.1111");
  });

  test("only a line's own barcode or SKU, as bare digits, may look like a card; every other text passes the store's gate", async () => {
    const storeId = await newStore();
    const spaced = "4111 1111 1111 1111";
    // biome-ignore lint/suspicious/noExplicitAny: a store may send any shape; the test bends a document the way one would
    type Doc = Record<string, any>;
    const sale = (seq: number, change: (d: Doc) => void) => {
      const d = saleDoc(seq * 2) as Doc;
      change(d);
      return item(seq, d);
    };
    const list: BatchItem[] = [
      sale(1, (d) => {
        d.payments[0].sku = spaced; // a key named sku, but not a line's
      }),
      sale(2, (d) => {
        d.lines[0].barcode = `VISA ${spaced} exp 12/29`; // a barcode is digits
      }),
      sale(3, (d) => {
        d.payments[0].card_brand = "4111\u034f1111\u034f1111\u034f1111"; // invisible marks between the groups
      }),
      sale(4, (d) => {
        d.notes = { barcode: { pan: card, cvv: "123" } }; // anything nested under a key named barcode
      }),
      sale(5, (d) => {
        d.lines[1].sku = spaced; // a SKU spelled like a card
      }),
      sale(6, (d) => {
        d.lines[0].name = "Milk \u202eevird\u202c \u001b[31m";
      }),
      sale(7, (d) => {
        d.payments[0].method = "cash\u0085";
      }),
    ];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(7));
    const dead = await sql<{ seq: number }[]>`SELECT seq FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    expect(dead.map((d) => d.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await salesOf(storeId)).length).toBe(0);
    expect((await everyText(storeId)).filter((t) => cardIn(t))).toEqual([]);
  });

  test("a card number in a Z report or day totals is refused the same way", async () => {
    const storeId = await newStore();
    const totals = {
      by_method: { cash: 100 },
      tax_minor: 9,
      computed_at: "2026-11-25T20:00:00.000Z",
      sales_count: 1,
      total_minor: 100,
      business_date: "2026-11-25",
      discount_minor: 0,
      rounding_minor: 0,
      note: "card 4111-1111-1111-1111",
    };
    const byMethod = { ...totals, note: undefined, by_method: { [`card ${card}`]: 100 } };
    const list: BatchItem[] = [
      { ...item(1, totals, "day_totals"), ref: "2026-11-25" },
      { ...item(2, byMethod, "day_totals"), ref: "2026-11-25" },
    ];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(2));
    const dead = await sql<{ seq: number; reason: string }[]>`SELECT seq, reason FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [1, "note looks like a card number: head office keeps no card data, so this item was not merged"],
      [2, expect.stringMatching(/^by_method\.card \[card \*\*\*\*1111\] looks like a card number/)],
    ]);
    expect((await sql`SELECT 1 FROM store_day_totals WHERE store_id = ${storeId}`).length).toBe(0);
    expect((await everyText(storeId)).filter(cardIn)).toEqual([]);
  });

  test("a dead letter keeps at most 64 KB of an item's payload, cut with a sentence that says so", async () => {
    const storeId = await newStore();
    const KB = 1024;
    // refused by head office's checks: a megabyte that is not JSON, with a card number past the cut
    const notJson = `{${"x".repeat(KB * KB)} ${card}`;
    // refused by the ledger: a large sale sent again with other contents
    const large = saleDoc(1, { lines: 2000 });
    expect(JSON.stringify(large).length).toBeGreaterThan(300 * KB);
    const first = [item(1, large), { seq: 2, kind: "sale", ref: "r", hash: sha256(notJson), payload: notJson }];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", first))).toEqual(ok(2));
    const changed = { ...large, paid: large.paid + 1 };
    const second = [item(1, changed), first[1]!, ...items(3, 1), { seq: 4, kind: "sale", ref: "r", hash: sha256("{small"), payload: "{small" }];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", second))).toEqual({ status: 200, body: { acked_through: 4, epoch: "E1", changed: [1] } });
    const dead = await sql<{ seq: number; reason: string; size: number; payload: string; cut: string | null }[]>`
      SELECT seq, reason, octet_length(body::text) AS size, body->>'payload' AS payload, body->>'cut' AS cut
      FROM dead_letters WHERE store_id = ${storeId} ORDER BY seq`;
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [1, reasons.changed],
      [2, "payload is not valid JSON"],
      [4, "payload is not valid JSON"],
    ]);
    for (const d of dead.slice(0, 2)) {
      expect(Buffer.byteLength(d.payload)).toBeLessThanOrEqual(64 * KB);
      expect(Buffer.byteLength(d.payload)).toBeGreaterThan(60 * KB);
      expect(d.size).toBeLessThanOrEqual(2 * 64 * KB + KB); // the payload's text, escaped once more in the body's JSON
    }
    const bytes = (n: number) => n.toLocaleString("en");
    const [whole] = await sql<{ n: number }[]>`SELECT octet_length(${JSON.stringify(changed)}::text::jsonb::text) AS n`;
    expect(dead[0]!.cut).toBe(`head office kept the first ${bytes(Buffer.byteLength(dead[0]!.payload))} of ${bytes(whole!.n)} bytes of this payload`);
    expect(dead[1]!.cut).toBe(
      `head office kept the first ${bytes(Buffer.byteLength(dead[1]!.payload))} of ${bytes(Buffer.byteLength(notJson))} bytes of this payload`,
    );
    expect(dead[1]!.payload).toStartWith("{xxxx");
    // an item under the cap is kept whole, with no such sentence
    expect([dead[2]!.payload, dead[2]!.cut]).toEqual(["{small", null]);
    expect((await everyText(storeId)).filter(cardIn)).toEqual([]);
  });
});

describe("concurrency and crashes", () => {
  test("the same batch sent eight times at once is merged once; every answer is the same", async () => {
    const storeId = await newStore();
    const b = batch(storeId, "E1", items(1, 50));
    const answers = await Promise.all(Array.from({ length: 8 }, () => receiveBatch(sql, storeId, b)));
    for (const a of answers) expect(a).toEqual(ok(50));
    const h = await holdings(storeId);
    expect(h.sales).toEqual({ n: 50, distinct_seq: 50, distinct_sale: 50, min: 1, max: 50 });
    expect(h.ledger).toEqual({ n: 50, max: 50 });
    expect(h.dead).toBe(0);
  });

  test("consecutive batches racing each other serialise: each is merged once, in order, with no gap", async () => {
    const storeId = await newStore();
    const list = items(1, 100);
    const batches = Array.from({ length: 5 }, (_, i) => batch(storeId, "E1", list.slice(i * 20, i * 20 + 20)));
    const gaps: number[] = [];
    await Promise.all(
      batches.map(async (b) => {
        for (;;) {
          const r = await receiveBatch(sql, storeId, b);
          if (r.status === 200) {
            expect(r.body.acked_through).toBeGreaterThanOrEqual(b.to_seq);
            return;
          }
          expect(r.body.error.code).toBe("gap");
          gaps.push(b.from_seq);
          await Bun.sleep(5);
        }
      }),
    );
    const h = await holdings(storeId);
    expect(h.sales).toEqual({ n: 100, distinct_seq: 100, distinct_sale: 100, min: 1, max: 100 });
    expect(h.store.last_seq).toBe(100);
    expect(h.dead).toBe(0);
    expect([...(await salesOf(storeId))]).toEqual(expected(list));
  });

  test("head office killed with -9 in the middle of a large batch keeps none of it; the re-sent batch lands whole", async () => {
    const storeId = await newStore();
    const first = items(1, 10);
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", first))).toEqual(ok(10));
    const large = items(11, 3000);
    const big = batch(storeId, "E1", large);
    expect(await killDuringBatch(db, storeId, big)).toMatch(/^failed: /);
    const after = await holdings(storeId);
    expect(after.sales).toEqual({ n: 10, distinct_seq: 10, distinct_sale: 10, min: 1, max: 10 });
    expect(after.lines).toBe(50);
    expect(after.ledger).toEqual({ n: 10, max: 10 });
    expect(after.store.last_seq).toBe(10);

    expect(await receiveBatch(sql, storeId, big)).toEqual(ok(3010));
    expect(await receiveBatch(sql, storeId, big)).toEqual(ok(3010));
    const h = await holdings(storeId);
    expect(h.sales).toEqual({ n: 3010, distinct_seq: 3010, distinct_sale: 3010, min: 1, max: 3010 });
    expect(h.ledger).toEqual({ n: 3010, max: 3010 });
    expect(h.lines).toBe(3010 * 5);
    expect(h.payments).toBe(3010);
    expect(h.dead).toBe(0);
    expect([...(await salesOf(storeId))]).toEqual(expected([...first, ...large]));
  });
});

describe("schema", () => {
  test("monthly partitions exist ahead and are made on demand for an item's business date", async () => {
    const ahead = await sql<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'sales'::regclass`;
    expect(ahead.length).toBeGreaterThanOrEqual(5);
    const storeId = await newStore();
    const list = [
      item(1, saleDoc(1, { day: "2025-03-10" })),
      item(2, saleDoc(2, { day: "2028-08-01" })),
      item(3, saleDoc(3, { day: "2028-08-31", businessDate: "2028-09-01" })), // east of UTC: already the next day
    ];
    expect(await receiveBatch(sql, storeId, batch(storeId, "E1", list))).toEqual(ok(3));
    for (const table of ["sales", "sale_lines", "sale_payments"]) {
      const placed = await sql<{ part: string; n: number }[]>`
        SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM ${sql(table)} WHERE store_id = ${storeId} GROUP BY 1 ORDER BY 1`;
      const per = table === "sale_lines" ? 5 : 1;
      expect([...placed]).toEqual([
        { part: `${table}_2025_03`, n: per },
        { part: `${table}_2028_08`, n: per },
        { part: `${table}_2028_09`, n: per },
      ]);
    }
  });

  test("Citus-ready: every primary and unique key of a store's tables starts with store_id", async () => {
    // small shared tables, replicated to every node under Citus
    const reference = [
      "catalog_releases",
      "catalog_draft_changes",
      "catalog_categories",
      "catalog_products",
      "catalog_tax_classes",
      "catalog_release_region_prices",
      "hq_api_tokens",
      "hq_backup_limits",
      "hq_clock",
      "hq_migrations",
      "hq_sessions",
      "hq_sign_in_attempts",
      "hq_sign_in_names",
      "hq_sign_in_tries",
      "hq_users",
      "region_prices",
      "regions",
      "stores",
    ];
    const keys = await sql<{ table: string; index: string; first: string }[]>`
      SELECT c.relname AS table, i.relname AS index, a.attname AS first
      FROM pg_index x
      JOIN pg_class c ON c.oid = x.indrelid
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0]
      WHERE x.indisunique AND n.nspname = 'public'`;
    const distributed = keys.filter((k) => !reference.includes(k.table));
    expect(distributed.length).toBeGreaterThan(10); // the partitions' keys are in the list too
    expect(distributed.filter((k) => k.first !== "store_id")).toEqual([]);
    // every table without a store_id to be distributed by is a reference table
    const tables = await sql<{ table: string }[]>`
      SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'store_id' AND NOT a.attisdropped)`;
    expect(tables.map((t) => t.table).filter((t) => !reference.includes(t))).toEqual([]);
    // foreign keys point at reference tables or carry store_id first
    const fks = await sql<{ table: string; target: string; first: string }[]>`
      SELECT c.relname AS table, t.relname AS target, a.attname AS first
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class t ON t.oid = k.confrelid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
      WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace`;
    expect(fks.filter((f) => !reference.includes(f.target) && f.first !== "store_id")).toEqual([]);
    // the returns tables are distributed like the sales: range-partitioned by business date, every key (their
    // monthly partitions' too) led by store_id
    const returns = ["hq_returns", "hq_return_lines", "hq_return_refunds"];
    const partitioned = await sql<{ table: string; key: string }[]>`
      SELECT relname AS table, pg_get_partkeydef(oid) AS key FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relkind = 'p' ORDER BY 1`;
    expect(partitioned.map((p) => [p.table, p.key])).toEqual(
      [...returns, "sale_lines", "sale_payments", "sales"].sort().map((t) => [t, "RANGE (business_date)"]),
    );
    for (const t of returns) {
      expect(distributed.filter((k) => k.table === t).map((k) => k.first)).toContain("store_id");
      expect(distributed.filter((k) => k.table.startsWith(`${t}_2`)).length).toBeGreaterThanOrEqual(5); // the partitions made ahead
    }
    expect(keys.filter((k) => returns.some((t) => k.table.startsWith(t)) && k.first !== "store_id")).toEqual([]);
  });

  test("two head-office processes migrating a new database at once apply each migration once", async () => {
    await sql`CREATE DATABASE hq_race`;
    const url = db.pg.url.replace(/\/postgres$/, "/hq_race");
    const a = openHq(url, { max: 2 });
    const b = openHq(url, { max: 2 });
    try {
      const results = await Promise.all([migrateHq(a), migrateHq(b)]);
      expect(results.sort((x, y) => y.length - x.length)).toEqual([hqMigrations.map((m) => m.version), []]);
      const [m] = await a`SELECT count(*) AS n FROM hq_migrations`;
      expect(m!.n).toBe(hqMigrations.length);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});
