// Head office's report rollups (HQ migration 021) against the raw tables they sum, on a real PostgreSQL: after ingest
// with faults (a batch sent again, the same batch racing itself, a batch lost to a crash and re-sent, a sale and a return
// refused and replayed from dead letters, one sale under two sequence numbers) and for random sales across time zones,
// every rollup equals the sums over sales, sale lines, payments and returns; a migration fills them from what was there.
import { beforeAll, describe, expect, test } from "bun:test";
import type { ReturnPayload } from "../../src/sync/contracts.ts";
import { type HqSql, hqMigrations, migrateHq } from "../../src/sync/hq/db/db.ts";
import { replayDeadLetter } from "../../src/sync/hq/dead-letters/replay.ts";
import { deadLetterBody, keptLabel } from "../../src/sync/hq/ingest/dead-letter.ts";
import { type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { payloadHash } from "../../src/sync/hq/ingest/sale-item.ts";
import { CHAIN_ROWS } from "../../src/sync/hq/reports/queries.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { batch, type Doc, item, killDuringBatch, returnDoc, saleDoc, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let sql: HqSql;
beforeAll(() => {
  sql = db.sql;
});

const CHAIN = CHAIN_ROWS;
const returned = (seq: number, doc: ReturnPayload): BatchItem => item(seq, doc, "return");

/** Every rollup row that differs from the sums over the raw tables (both ways): empty when they agree. */
async function disagreements(sql: HqSql): Promise<unknown[]> {
  /** For each [what, sums over the raw tables, the rollup's rows] named in the WITH: the rows of either the other lacks. */
  const bothWays = (pairs: [string, string, string][]) =>
    sql.unsafe(
      pairs
        .flatMap(([what, raw, rolled]) => [
          `(SELECT '${what}: raw only' AS what, to_jsonb(d) AS row FROM (SELECT * FROM ${raw} EXCEPT SELECT * FROM ${rolled}) d)`,
          `(SELECT '${what}: rollup only' AS what, to_jsonb(d) AS row FROM (SELECT * FROM ${rolled} EXCEPT SELECT * FROM ${raw}) d)`,
        ])
        .join(" UNION ALL "),
    );
  const products = await sql`
    WITH raw AS (
      SELECT store_id, business_date AS business_day, sku, sum(qty) AS qty_milli, sum(gross) AS gross_minor,
        sum(discount) AS discount_minor, sum(total) AS sales_minor, sum(tax) AS tax_minor, sum(lines) AS lines,
        sum(rqty) AS returned_qty_milli, sum(refund) AS refund_minor, sum(rtax) AS refund_tax_minor, sum(rlines) AS return_lines
      FROM (
        SELECT store_id, business_date, sku, qty_milli AS qty, amount_minor AS gross, discount_minor AS discount,
          total_minor AS total, tax_minor AS tax, 1 AS lines, 0 AS rqty, 0 AS refund, 0 AS rtax, 0 AS rlines FROM sale_lines
        UNION ALL
        SELECT store_id, business_date, sku, 0, 0, 0, 0, 0, 0, qty_milli, refund_minor, tax_minor, 1 FROM hq_return_lines
      ) x GROUP BY 1, 2, 3
    ), rolled AS (
      SELECT store_id, business_day, sku, qty_milli, gross_minor, discount_minor, sales_minor, tax_minor, lines,
        returned_qty_milli, refund_minor, refund_tax_minor, return_lines FROM rollup_sales WHERE store_id <> ${CHAIN}::uuid
    ), chain AS (
      SELECT business_day, sku, sum(qty_milli) AS q, sum(sales_minor) AS s, sum(refund_minor) AS r, sum(lines) AS l FROM raw GROUP BY 1, 2
    ), rolled_chain AS (
      SELECT business_day, sku, qty_milli AS q, sales_minor AS s, refund_minor AS r, lines AS l FROM rollup_sales WHERE store_id = ${CHAIN}::uuid
    ), chain_months AS (
      SELECT date_trunc('month', business_day)::date AS month, sku, sum(q) AS q, sum(s) AS s, sum(r) AS r FROM chain GROUP BY 1, 2
    ), rolled_chain_months AS (
      SELECT month, sku, qty_milli AS q, sales_minor AS s, refund_minor AS r FROM rollup_sales_months WHERE store_id = ${CHAIN}::uuid
    ), months AS (
      SELECT store_id, date_trunc('month', business_day)::date AS month, sku, sum(qty_milli) AS q, sum(sales_minor) AS s,
        sum(refund_minor) AS r, sum(lines) AS l, sum(return_lines) AS rl FROM raw GROUP BY 1, 2, 3
    ), rolled_months AS (
      SELECT store_id, month, sku, qty_milli AS q, sales_minor AS s, refund_minor AS r, lines AS l, return_lines AS rl FROM rollup_sales_months
      WHERE store_id <> ${CHAIN}::uuid
    )
    ${bothWays([
      ["product", "raw", "rolled"],
      ["month", "months", "rolled_months"],
      ["chain", "chain", "rolled_chain"],
      ["chain month", "chain_months", "rolled_chain_months"],
    ])}`;
  const hours = await sql`
    WITH raw AS (
      SELECT store_id, business_date AS business_day, hour, sum(baskets) AS baskets, sum(items) AS items_milli,
        sum(total) AS sales_minor, sum(tax) AS tax_minor, sum(change) AS change_minor, sum(returns) AS returns,
        sum(refund) AS refund_minor
      FROM (
        SELECT s.store_id, s.business_date, date_trunc('hour', s.completed_at, 'UTC') AS hour, 1 AS baskets,
          (SELECT coalesce(sum(l.qty_milli), 0) FROM sale_lines l WHERE l.store_id = s.store_id AND l.sale_id = s.sale_id) AS items,
          s.total_minor AS total, s.tax_minor AS tax, s.change_minor AS change, 0 AS returns, 0 AS refund
        FROM sales s
        UNION ALL
        SELECT store_id, business_date, date_trunc('hour', returned_at, 'UTC'), 0, 0, 0, 0, 0, 1, total_minor FROM hq_returns
      ) x GROUP BY 1, 2, 3
    ), rolled AS (
      SELECT store_id, business_day, hour, baskets, items_milli, sales_minor, tax_minor, change_minor, returns, refund_minor FROM rollup_hours
      WHERE store_id <> ${CHAIN}::uuid
    ), chain_hours AS (
      SELECT business_day, hour, sum(baskets) AS b, sum(sales_minor) AS s, sum(refund_minor) AS r FROM raw GROUP BY 1, 2
    ), rolled_chain_hours AS (
      SELECT business_day, hour, baskets AS b, sales_minor AS s, refund_minor AS r FROM rollup_hours WHERE store_id = ${CHAIN}::uuid
    ), days AS (
      SELECT store_id, business_day, sum(baskets) AS b, sum(items_milli) AS i, sum(sales_minor) AS s, sum(change_minor) AS c,
        sum(returns) AS r, sum(refund_minor) AS rm FROM raw GROUP BY 1, 2
    ), rolled_days AS (
      SELECT store_id, business_day, baskets AS b, items_milli AS i, sales_minor AS s, change_minor AS c, returns AS r, refund_minor AS rm
      FROM rollup_days
    ), tenders AS (
      SELECT store_id, business_date AS business_day, method, sum(p) AS payments, sum(a) AS paid_minor, sum(r) AS refunds, sum(ra) AS refunded_minor
      FROM (
        SELECT store_id, business_date, method, 1 AS p, amount_minor AS a, 0 AS r, 0 AS ra FROM sale_payments
        UNION ALL SELECT store_id, business_date, method, 0, 0, 1, amount_minor FROM hq_return_refunds
      ) x GROUP BY 1, 2, 3
    ), rolled_tenders AS (
      SELECT store_id, business_day, method, payments, paid_minor, refunds, refunded_minor FROM rollup_tenders
    )
    ${bothWays([
      ["hour", "raw", "rolled"],
      ["day", "days", "rolled_days"],
      ["chain hour", "chain_hours", "rolled_chain_hours"],
      ["tender", "tenders", "rolled_tenders"],
    ])}`;
  return [...products, ...hours];
}

/** A head office from before rollups refused this item with `reason` (as dead-letters.test.ts's old head office did). */
async function refusedWith(storeId: string, it: BatchItem, reason: string): Promise<void> {
  const hash = payloadHash(it.payload);
  const refused = { ref: keptLabel(it.ref), seq: it.seq, body: deadLetterBody(it, hash), hash, kind: keptLabel(it.kind), reason };
  const [row] = await sql<{ r: { outcome: string } }[]>`
    SELECT hq_receive_batch(${storeId}::uuid, 'E1', ${it.seq}::bigint, ${it.seq}::bigint, ${JSON.stringify([refused])}::text::jsonb, ''::text, '{}'::jsonb) AS r`;
  expect(row!.r.outcome).toBe("ok");
}

const counts = async () => (await sql<{ n: number }[]>`SELECT (SELECT count(*) FROM rollup_sales) + (SELECT count(*) FROM rollup_hours) AS n`)[0]!.n;

describe("the rollups equal the raw tables", () => {
  test("after duplicates, racing replays, a crash mid-batch and dead letters replayed", async () => {
    const storeId = (await addStore(sql, "Faulty")).storeId;
    const sales: Doc[] = Array.from({ length: 12 }, (_, i) => saleDoc(i + 1, { day: i < 6 ? "2026-11-25" : "2026-11-26" }));
    const first = [item(1, sales[0]), item(2, sales[1]), returned(3, returnDoc(sales[0]!, 1, { lines: [{ line_no: 1 }, { line_no: 2, qty: 1 }] }))];
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", first))).status).toBe(200);
    // sent again, and eight times at once: nothing more
    const before = await counts();
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", first))).status).toBe(200);
    await Promise.all(Array.from({ length: 8 }, () => receiveBatch(sql, storeId, batch(storeId, "E1", first))));
    expect(await counts()).toBe(before);
    expect(await disagreements(sql)).toEqual([]);

    // the same sale under a new sequence number is a duplicate; with other content, a dead letter
    const dup = [item(4, sales[0]), item(5, sales[2]), item(6, { ...sales[1]!, receipt_number: "001-999999" })];
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", dup))).status).toBe(200);
    expect(await disagreements(sql)).toEqual([]);

    // a crash with the whole batch written but not committed: none of it counts; the batch sent again counts once
    const big = [item(7, sales[3]), item(8, sales[4]), returned(9, returnDoc(sales[3]!, 2, { day: "2026-11-26" })), item(10, sales[5])];
    expect(await killDuringBatch(db, storeId, batch(storeId, "E1", big))).toStartWith("failed");
    expect(await disagreements(sql)).toEqual([]);
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", big))).status).toBe(200);
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", big))).status).toBe(200);
    expect(await disagreements(sql)).toEqual([]);

    // a sale and a return refused, then replayed: counted once each, and a second replay is refused
    const late = item(11, sales[6]);
    const lateReturn = returned(12, returnDoc(sales[4]!, 3, { lines: [{ line_no: 3 }] }));
    await refusedWith(storeId, late, "unknown kind");
    await refusedWith(storeId, lateReturn, 'unknown kind "return"');
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [item(13, sales[7])]))).status).toBe(200);
    const dead = await sql<{ id: number }[]>`SELECT id FROM dead_letters WHERE store_id = ${storeId}::uuid AND seq IN (11, 12) ORDER BY seq`;
    expect(dead.length).toBe(2);
    for (const d of dead) expect(await replayDeadLetter(sql, d.id, "Ana")).toEqual({ landed: "merged" });
    expect(await disagreements(sql)).toEqual([]);
    // the store sends the replayed sale again under a later number: a duplicate, nothing added
    const held = await counts();
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [item(14, sales[6]), item(15, sales[8])]))).status).toBe(200);
    expect(await counts()).toBeGreaterThanOrEqual(held);
    expect(await disagreements(sql)).toEqual([]);

    const [net] = await sql<{ sold: number; refunded: number }[]>`
      SELECT sum(sales_minor)::int8 AS sold, sum(refund_minor)::int8 AS refunded FROM rollup_sales WHERE store_id = ${storeId}::uuid`;
    const soldOnce = [0, 1, 2, 3, 4, 5, 6, 7, 8].reduce((s, i) => s + sales[i]!.total, 0);
    expect(net!.sold).toBe(soldOnce);
    expect(net!.refunded).toBeGreaterThan(0);
  }, 60_000);
});

describe("the chain's rows", () => {
  test("stores sending at once, on the same products and hours, all land; the chain's rows are every store's", async () => {
    const stores = await Promise.all(Array.from({ length: 6 }, async (_, i) => (await addStore(sql, `Busy ${i}`)).storeId));
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(
        stores.map((id, i) => {
          const list = Array.from({ length: 25 }, (_, k) => item(round * 25 + k + 1, saleDoc(10_000 + i * 1000 + round * 25 + k, { lines: 5 })));
          return receiveBatch(sql, id, batch(id, "E1", list));
        }),
      );
      expect(answers.map((a) => a.status)).toEqual(stores.map(() => 200));
    }
    expect(await disagreements(sql)).toEqual([]);
  }, 60_000);
});

/** A random generator with a seed, so a failure can be run again. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Far east and west of UTC, half and quarter hours, and zones with daylight saving (the 2026 changes are in the range).
const ZONES = [
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "America/St_Johns",
  "Europe/London",
  "America/New_York",
  "Australia/Sydney",
];
const dayIn = (at: Date, zone: string) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);

describe("random sales across time zones", () => {
  test("each store's business day is its own, as the sale says it; the rollups equal the raw sums and the documents' sums", async () => {
    const seed = Number(process.env.ROLLUP_SEED ?? Date.now() % 1_000_000);
    const rnd = random(seed);
    const expectedNet = new Map<string, number>(); // store|day → sales less refunds, from the documents themselves
    const add = (k: string, v: number) => expectedNet.set(k, (expectedNet.get(k) ?? 0) + v);
    for (const [z, zone] of ZONES.entries()) {
      const storeId = (await addStore(sql, `Zone ${zone}`)).storeId;
      const list: BatchItem[] = [];
      const docs: Doc[] = [];
      // around the 2026 daylight-saving changes (March and October/November) and New Year
      for (let n = 1; n <= 40; n++) {
        const base = [Date.UTC(2026, 2, 8), Date.UTC(2026, 2, 29), Date.UTC(2026, 9, 4), Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 31)][n % 5]!;
        const at = new Date(base + Math.floor(rnd() * 48 * 3_600_000));
        const day = dayIn(at, zone);
        const d = saleDoc(z * 1000 + n, { lines: 1 + Math.floor(rnd() * 4), businessDate: day });
        d.completed_at = at.toISOString();
        d.opened_at = new Date(at.getTime() - 60_000).toISOString();
        d.lines.forEach((l, i) => {
          l.sku = `SKU-${1 + Math.floor(rnd() * 6)}-${i}`;
        });
        docs.push(d);
        list.push(item(list.length + 1, d));
        add(`${storeId}|${day}`, d.total);
        if (rnd() < 0.3) {
          const r = returnDoc(d, n, { lines: [{ line_no: 1 }] });
          list.push(returned(list.length + 1, r));
          add(`${storeId}|${r.business_date}`, -r.total);
        }
      }
      // sent in random batches, some sent twice
      for (let from = 0; from < list.length; ) {
        const part = list.slice(from, from + 1 + Math.floor(rnd() * 9));
        expect((await receiveBatch(sql, storeId, batch(storeId, "E1", part))).status).toBe(200);
        if (rnd() < 0.3) expect((await receiveBatch(sql, storeId, batch(storeId, "E1", part))).status).toBe(200);
        from += part.length;
      }
    }
    expect({ seed, wrong: await disagreements(sql) }).toEqual({ seed, wrong: [] });
    const rows = await sql<{ k: string; net: number }[]>`
      SELECT store_id::text || '|' || business_day::text AS k, sum(sales_minor - refund_minor)::int8 AS net FROM rollup_sales
      WHERE store_id IN (SELECT store_id FROM stores WHERE name LIKE 'Zone %') GROUP BY 1`;
    expect({ seed, net: Object.fromEntries(rows.map((r) => [r.k, r.net])) }).toEqual({ seed, net: Object.fromEntries(expectedNet) });
  }, 60_000);
});

describe("the migration", () => {
  test("fills the rollups from the sales, returns and tenders merged before it", async () => {
    // sales and returns merged, then the rollups taken away as a database at 020 had none, and migrated again
    await sql.unsafe("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    await migrateHq(sql);
    const storeId = (await addStore(sql, "Before")).storeId;
    const sales = [saleDoc(1), saleDoc(2, { day: "2026-11-26" }), saleDoc(3)];
    const list = [item(1, sales[0]), item(2, sales[1]), item(3, sales[2]), returned(4, returnDoc(sales[2]!, 1, { lines: [{ line_no: 2 }] }))];
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", list))).status).toBe(200);
    await sql.unsafe("DROP TABLE rollup_sales, rollup_sales_months, rollup_hours, rollup_days, rollup_tenders; DELETE FROM hq_migrations WHERE version = 21");
    expect(await migrateHq(sql, hqMigrations)).toEqual([21]);
    expect([...(await sql`SELECT count(*)::int AS n FROM rollup_sales WHERE store_id <> ${CHAIN}::uuid`)]).toEqual([{ n: 10 }]);
    expect(await disagreements(sql)).toEqual([]);
  }, 60_000);
});
