// Head office: ingest in sales/s (5 lines each) against a raw COPY of the same rows into the same PostgreSQL, and the
// catch-up time of a store's queued sales through the real uploader over HTTP. A throwaway cluster, removed after.
// Run alone: node_modules/.bin/bun bench/hq.ts (prints the JSON of this section).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { openShop, type Shop } from "../src/server/compose.ts";
import { writeSetting } from "../src/server/settings/settings.ts";
import { contentHash } from "../src/sync/contracts.ts";
import { createHqApp } from "../src/sync/hq/app.ts";
import { type HqSql, migrateHq, openHq } from "../src/sync/hq/db/db.ts";
import { type BatchItem, receiveBatch } from "../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../src/sync/hq/stores/stores.ts";
import { startPostgres, type TestPostgres } from "../tests/helpers/pg.ts";
import type { Section } from "./context.ts";
import { progress, round } from "./stats.ts";

const SALES = Number(process.env.BENCH_HQ_SALES ?? 20_000);
const CATCH_UP = Number(process.env.BENCH_HQ_CATCH_UP ?? 100_000);
const BATCH = 1000;
const STORES = 4;
const LINES = 5;
const CATCH_UP_DEADLINE_MS = 120_000;

type OutboxRow = { seq: number; kind: string; ref: string; payload: string; hash: string };

/** A store with SALES completed sales of LINES lines each, made by the real checkout. */
function storeWithSales(dir: string): Shop {
  const store = openShop({ dataDir: dir });
  seedDemoCatalog(store.db, { products: 2_000, now: store.clock.now().toISOString() });
  writeSetting(store.db, "negative_stock", "allow");
  store.reloadSettings();
  store.db.exec("INSERT INTO registers(name, created_at) VALUES ('Bench lane', '2026-11-25T08:00:00Z') ON CONFLICT DO NOTHING");
  const registerId = store.db.query<{ id: number }, []>("SELECT id FROM registers WHERE name = 'Bench lane'").get()!.id;
  const codes = store.db
    .query<{ barcode: string }, []>("SELECT barcode FROM products WHERE weighed = 0 AND barcode LIKE '4%' LIMIT 500")
    .all()
    .map((r) => r.barcode);
  for (let i = 0; i < SALES; i++) {
    const lines = Array.from({ length: LINES }, (_, k) => ({ barcode: codes[(i * LINES + k) % codes.length]! }));
    const payments =
      i % 3 === 0
        ? [
            { method: "card" as const, amount: 100 },
            { method: "cash" as const, amount: 1_000_000 },
          ]
        : [{ method: "cash" as const, amount: 1_000_000 }];
    store.checkout.sell(registerId, lines, payments);
    if ((i + 1) % 5000 === 0) progress(`hq: ${i + 1} sales made at the store`);
  }
  return store;
}

const items = (rows: OutboxRow[]): BatchItem[] => rows.map((r) => ({ seq: r.seq, kind: r.kind, ref: r.ref, hash: r.hash, payload: r.payload }));

/** One store's outbox sent to head office batch after batch, as its uploader does: the seconds it took. */
async function sendAll(sql: HqSql, storeId: string, rows: OutboxRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const part = rows.slice(i, i + BATCH);
    const r = await receiveBatch(sql, storeId, { store_id: storeId, epoch: "bench", from_seq: part[0]!.seq, to_seq: part.at(-1)!.seq, items: items(part) });
    if (r.status !== 200) throw new Error(`ingest: batch at ${part[0]!.seq} answered ${r.status} ${JSON.stringify(r.body)}`);
  }
  const [n] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM sales WHERE store_id = ${storeId}::uuid`;
  if (n!.n !== rows.length) throw new Error(`ingest: ${n!.n} sales at head office, ${rows.length} sent`);
}

/** (a) head office's own path: receiveBatch, batches of BATCH, one transaction each, one store at a time. */
async function ingest(sql: HqSql, rows: OutboxRow[]): Promise<{ s: number; storeId: string }> {
  const { storeId } = await addStore(sql, "Bench ingest");
  const t0 = performance.now();
  await sendAll(sql, storeId, rows);
  return { s: (performance.now() - t0) / 1000, storeId };
}

/**
 * (a') the same sales arriving as head office takes them on a working day: from several stores at once (the outbox
 * split between STORES stores, each numbered from 1), so checking one store's batch overlaps merging another's.
 */
async function ingestFromStores(sql: HqSql, rows: OutboxRow[], stores: number): Promise<number> {
  const size = Math.ceil(rows.length / stores);
  const parts = await Promise.all(
    Array.from({ length: stores }, async (_, k) => {
      const { storeId } = await addStore(sql, `Bench ingest ${k + 1} of ${stores}`);
      return { storeId, rows: rows.slice(k * size, (k + 1) * size).map((r, i) => ({ ...r, seq: i + 1 })) };
    }),
  );
  const t0 = performance.now();
  await Promise.all(parts.map((p) => sendAll(sql, p.storeId, p.rows)));
  return (performance.now() - t0) / 1000;
}

const tables = [
  {
    table: "sales",
    order: "seq",
    columns: [
      "sale_id",
      "business_date",
      "receipt_number",
      "register_id",
      "opened_at",
      "completed_at",
      "subtotal_minor",
      "total_minor",
      "tax_minor",
      "discount_minor",
      "rounding_minor",
      "paid_minor",
      "change_minor",
      "payload",
      "content_hash",
      "epoch",
      "seq",
    ],
  },
  {
    table: "sale_lines",
    order: "sale_id, line_no",
    columns: [
      "sale_id",
      "business_date",
      "line_no",
      "product_id",
      "sku",
      "barcode",
      "name",
      "qty_milli",
      "weighed",
      "unit_price_minor",
      "original_price_minor",
      "amount_minor",
      "discount_minor",
      "tax_class",
      "tax_rate_bp",
      "tax_minor",
      "total_minor",
    ],
  },
  {
    table: "sale_payments",
    order: "sale_id, n",
    columns: ["sale_id", "business_date", "n", "method", "amount_minor", "card_brand", "card_last4", "auth_code", "terminal_ref"],
  },
];
const asText = new Set(["business_date", "opened_at", "completed_at"]); // as the documents wrote them, not as Date

/** A table's rows of one store as JS values (payload as an object), in the order ingest wrote them. */
async function rowsOf(sql: HqSql, table: string, columns: string[], order: string, storeId: string): Promise<Record<string, unknown>[]> {
  const list = columns.map((c) => (asText.has(c) ? `${c}::text AS ${c}` : c)).join(", ");
  return sql.unsafe(`SELECT ${list} FROM ${table} WHERE store_id = '${storeId}' ORDER BY ${order}`);
}

/** COPY text format: backslash, tab, newline, carriage return escaped; \N for null. */
function cell(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  const s = typeof v === "string" ? v : typeof v === "boolean" ? (v ? "t" : "f") : typeof v === "number" ? String(v) : JSON.stringify(v);
  return s.replace(/[\\\t\n\r]/g, (ch) => (ch === "\\" ? "\\\\" : ch === "\t" ? "\\t" : ch === "\n" ? "\\n" : "\\r"));
}

function* copyText(rows: Record<string, unknown>[], columns: string[], storeId: string) {
  let chunk = "";
  for (const r of rows) {
    chunk += `${storeId}\t${columns.map((c) => cell(r[c])).join("\t")}\n`;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

async function copyInto(sql: HqSql, table: string, columns: string[], text: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(text), await sql.unsafe(`COPY ${table} (store_id, ${columns.join(", ")}) FROM STDIN`).writable());
}

/**
 * (b) the floor: exactly the rows ingest wrote to the three sales tables (every column but received_at, read back
 * untimed), COPYed into the same tables, with the same indexes, for a fresh store id. Ingest also writes its ledger
 * (outbox_items), which COPY does not: that is the price of exactly once. Two ways: as before, the client writes the
 * COPY text from the rows while it streams (`formatted`); and the COPY text made beforehand, only streamed (`streamed`:
 * PostgreSQL's share alone).
 */
async function copy(sql: HqSql, ingested: string): Promise<{ formatted: number; streamed: number }> {
  const rows: Record<string, unknown>[][] = [];
  for (const t of tables) rows.push(await rowsOf(sql, t.table, t.columns, t.order, ingested));
  // `prepare` runs before the clock starts; what it returns makes each table's text inside the timed window.
  const timed = async (name: string, prepare: (storeId: string) => (i: number) => Iterable<string>) => {
    const { storeId } = await addStore(sql, name);
    const text = prepare(storeId);
    const t0 = performance.now();
    for (let i = 0; i < tables.length; i++) await copyInto(sql, tables[i]!.table, tables[i]!.columns, text(i));
    const s = (performance.now() - t0) / 1000;
    const [n] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM sale_lines WHERE store_id = ${storeId}::uuid`;
    if (n!.n !== SALES * LINES) throw new Error(`copy: ${n!.n} lines copied, ${SALES * LINES} expected`);
    return s;
  };
  const formatted = await timed("Bench COPY", (storeId) => (i) => copyText(rows[i]!, tables[i]!.columns, storeId));
  const streamed = await timed("Bench COPY streamed", (storeId) => {
    const ready = tables.map((t, i) => [...copyText(rows[i]!, t.columns, storeId)]);
    return (i) => ready[i]!;
  });
  return { formatted, streamed };
}

/**
 * Grow the store's outbox to `total` items: copies of its real sale documents under new sale ids and receipt numbers,
 * hashed as the store hashes them (not through checkout: 100,000 checkouts take longer than the bench may).
 */
function queueCopies(store: Shop, rows: OutboxRow[], total: number): void {
  const insert = store.db.query("INSERT INTO outbox(seq, kind, ref, payload, hash, created_at) VALUES (?, 'sale', ?, ?, ?, ?)");
  const at = store.clock.now().toISOString();
  store.db.transaction(() => {
    for (let seq = rows.length + 1; seq <= total; seq++) {
      const doc = JSON.parse(rows[(seq - 1) % rows.length]!.payload) as { id: string; receipt_number: string };
      doc.id = Bun.randomUUIDv7();
      doc.receipt_number = `${doc.receipt_number}-c${seq}`;
      const payload = JSON.stringify(doc);
      insert.run(seq, doc.id, payload, contentHash(payload), at);
    }
  })();
}

/** (c) the real uploader against createHqApp over HTTP, from `queued` items waiting to none. */
async function catchUp(sql: HqSql, store: Shop, queued: number): Promise<{ s: number; pending: number }> {
  const reg = await addStore(sql, "Bench catch-up");
  const hq = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createHqApp(sql, "bench").fetch });
  try {
    writeSetting(store.db, "hq_url", `http://127.0.0.1:${hq.port}`);
    writeSetting(store.db, "hq_store_id", reg.storeId);
    writeSetting(store.db, "hq_token", reg.token);
    store.reloadSettings();
    if (store.sync.status().pending !== queued) throw new Error(`catch-up: ${store.sync.status().pending} queued, ${queued} expected`);
    const t0 = performance.now();
    const deadline = Date.now() + CATCH_UP_DEADLINE_MS;
    while (store.sync.status().pending > 0 && Date.now() < deadline) {
      await store.sync.tick();
      if (store.sync.status().lastError) {
        progress(`hq: catch-up: ${store.sync.status().lastError}`);
        await Bun.sleep(200);
      }
    }
    const s = (performance.now() - t0) / 1000;
    const pending = store.sync.status().pending;
    const [n] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM sales WHERE store_id = ${reg.storeId}::uuid`;
    if (pending === 0 && n!.n !== queued) throw new Error(`catch-up: ${n!.n} sales at head office, ${queued} queued`);
    return { s, pending };
  } finally {
    await hq.stop(true);
  }
}

export const hq: Section = {
  name: "hq",
  phase: "offline",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-hq-"));
    let pg: TestPostgres | null = null;
    let sql: HqSql | null = null;
    let store: Shop | null = null;
    try {
      pg = await startPostgres();
      sql = openHq(pg.url);
      await migrateHq(sql);
      let t0 = performance.now();
      store = storeWithSales(dir);
      const prepareS = (performance.now() - t0) / 1000;
      const rows = store.db.query<OutboxRow, []>("SELECT seq, kind, ref, payload, hash FROM outbox ORDER BY seq").all();
      if (rows.length !== SALES) throw new Error(`the store's outbox holds ${rows.length} items, ${SALES} expected`);
      progress(`hq: ${SALES} sales made in ${round(prepareS, 1)} s`);

      const { s: ingestS, storeId: ingested } = await ingest(sql, rows);
      progress(`hq: ingest ${round(SALES / ingestS, 0)} sales/s`);
      const storesS = await ingestFromStores(sql, rows, STORES);
      progress(`hq: ingest from ${STORES} stores at once ${round(SALES / storesS, 0)} sales/s`);
      const copyS = await copy(sql, ingested);
      progress(`hq: COPY ${round(SALES / copyS.formatted, 0)} sales/s (streamed only: ${round(SALES / copyS.streamed, 0)})`);

      t0 = performance.now();
      queueCopies(store, rows, CATCH_UP);
      progress(`hq: outbox grown to ${CATCH_UP} items in ${round((performance.now() - t0) / 1000, 1)} s`);
      const c = await catchUp(sql, store, CATCH_UP);
      progress(`hq: catch-up of ${CATCH_UP} sales in ${round(c.s, 1)} s (${c.pending} left)`);

      const ingestRate = SALES / ingestS;
      const copyRate = SALES / copyS.formatted;
      const streamedRate = SALES / copyS.streamed;
      return {
        hq: {
          sales: SALES,
          lines_per_sale: LINES,
          batch: BATCH,
          ingest_sales_per_s: round(ingestRate, 0),
          ingest_method: "receiveBatch of one store's outbox, batches of 1000, one after another (its uploader's way)",
          ingest_from_stores_sales_per_s: round(SALES / storesS, 0),
          ingest_from_stores_method: `the same sales split between ${STORES} stores sending at once, as head office takes them from a chain`,
          copy_sales_per_s: round(copyRate, 0),
          copy_method:
            "COPY FROM STDIN (text) of the rows ingest wrote to sales, sale_lines and sale_payments, for another store id; the client writes the COPY text from the rows as it streams",
          ratio: round(ingestRate / copyRate, 3),
          ratio_from_stores: round(SALES / storesS / copyRate, 3),
          copy_streamed_sales_per_s: round(streamedRate, 0),
          copy_streamed_method: "the same COPY with its text made before the clock starts: PostgreSQL's share alone",
          ratio_to_streamed: round(ingestRate / streamedRate, 3),
          catch_up: {
            queued: CATCH_UP,
            from_checkout: SALES,
            seconds: c.pending === 0 ? round(c.s, 2) : null,
            pending_at_deadline: c.pending,
            sales_per_s: round((CATCH_UP - c.pending) / c.s, 0),
            note: "uploader and head office in one process, same machine; items beyond the checkout sales are copies of them with new ids",
          },
          prepare_s: round(prepareS, 1),
        },
      };
    } finally {
      store?.close();
      await sql?.end({ timeout: 5 });
      await pg?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

if (import.meta.main) {
  console.log(JSON.stringify(await hq.run({} as never), null, 2));
}
