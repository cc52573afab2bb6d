// Outbox items and batches as a store sends them, made from sale and return documents of the shape the store writes;
// and head office's database killed in the middle of a batch.
import { afterAll, beforeAll } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { openShop, type Shop } from "../../src/server/compose.ts";
import type { SaleDocument } from "../../src/server/selling/sale-document.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { outboxPayloads, type ReturnPayload } from "../../src/sync/contracts.ts";
import type { CatalogProduct } from "../../src/sync/hq/catalog/releases.ts";
import { type HqSql, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { type Batch, type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { pgBinDir, startPostgres, type TestPostgres } from "../helpers/pg.ts";
import { seedSmallCatalog } from "../helpers/store.ts";

export type Doc = SaleDocument & { business_date?: string };

/** A completed sale of `lines` lines (prices tax-inclusive at 10 %), paid by card or cash. */
export function saleDoc(n: number, options: { lines?: number; day?: string; businessDate?: string } = {}): Doc {
  const day = options.day ?? "2026-11-25";
  const at = new Date(Date.parse(`${day}T08:00:00.000Z`) + n * 1000).toISOString();
  const lines = Array.from({ length: options.lines ?? 5 }, (_, i) => {
    const qty = 1 + ((n + i) % 3);
    const unit = 100 + ((n * 7 + i * 13) % 900);
    const amount = qty * unit;
    const tax = Math.round((amount * 1000) / 11000);
    return {
      line_no: i + 1,
      product_id: 1 + i,
      sku: `SKU-${i + 1}`,
      barcode: null,
      name: `Product ${i + 1}`,
      qty,
      weighed: false,
      unit_price: unit,
      amount,
      discount: 0,
      tax_class: "RED",
      tax_rate_bp: 1000,
      tax,
      total: amount,
    };
  });
  const total = lines.reduce((s, l) => s + l.total, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  const card = n % 2 === 0;
  return {
    id: Bun.randomUUIDv7(),
    register_id: 1 + (n % 4),
    status: "completed",
    receipt_number: `${String(1 + (n % 4)).padStart(3, "0")}-${String(n).padStart(6, "0")}`,
    opened_at: new Date(Date.parse(at) - 30_000).toISOString(),
    completed_at: at,
    ...(options.businessDate ? { business_date: options.businessDate } : {}),
    lines,
    subtotal: total,
    discount_total: 0,
    tax_total: tax,
    total,
    rounding: 0,
    paid: card ? total : total + 50,
    change: card ? 0 : 50,
    due: 0,
    payments: [
      card
        ? { method: "card", amount: total, card_brand: "VISA", card_last4: "4242", auth_code: "A1", terminal_ref: "T1" }
        : { method: "cash", amount: total + 50 },
    ],
    taxes: [{ tax_class: "RED", rate_bp: 1000, net: total - tax, tax }],
  };
}

/**
 * A completed return of lines of `sale` (all of each line unless `qty` says how much), refunded to the tender the sale
 * was paid with, as the store writes it: it passes the contract's exact schema (outboxPayloads.return). Each line
 * refunds its share of what was paid; cash given back is total + `rounding`.
 */
export function returnDoc(
  sale: Doc,
  n: number,
  options: { lines?: { line_no: number; qty?: number }[]; day?: string; rounding?: number; reason?: { code: string; text: string; restock: boolean } } = {},
): ReturnPayload {
  const asked = options.lines ?? [{ line_no: 1 }];
  const reason = options.reason ?? { code: "changed_mind", text: "Changed mind", restock: true };
  const lines = asked.map((a) => {
    const l = sale.lines.find((x) => x.line_no === a.line_no)!;
    const qty = a.qty ?? l.qty;
    return {
      line_no: l.line_no,
      product_id: l.product_id,
      sku: l.sku,
      name: l.name,
      qty,
      refund: Math.round((l.total * qty) / l.qty),
      tax: Math.round((l.tax * qty) / l.qty),
      tax_class: l.tax_class,
      tax_rate_bp: l.tax_rate_bp,
      restock: reason.restock,
    };
  });
  const total = lines.reduce((s, l) => s + l.refund, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  const rounding = options.rounding ?? 0;
  const paid = sale.payments[0]!;
  const refund =
    paid.method === "card"
      ? { method: "card", amount: total, card_brand: "VISA", card_last4: "4242", auth_code: `R${n}`, terminal_ref: "T1" }
      : { method: "cash", amount: total + rounding };
  const at = options.day ? `${options.day}T15:00:00.000Z` : new Date(Date.parse(sale.completed_at!) + 3_600_000).toISOString();
  const doc: ReturnPayload = {
    id: Bun.randomUUIDv7(),
    register_id: sale.register_id,
    return_number: `R${String(sale.register_id).padStart(3, "0")}-${String(n).padStart(6, "0")}`,
    sale_id: sale.id,
    receipt_number: sale.receipt_number!,
    at,
    business_date: at.slice(0, 10),
    reason_code: reason.code,
    reason: reason.text,
    lines,
    total,
    tax_total: tax,
    rounding,
    refunds: [refund],
    taxes: [{ tax_class: "RED", rate_bp: 1000, net: total - tax, tax }],
  };
  return outboxPayloads.return.parse(doc);
}

export const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest("hex");

/** An outbox item exactly as the store makes it: the payload is JSON text, the hash is over that text. */
export function item(seq: number, doc: unknown, kind = "sale"): BatchItem {
  const payload = JSON.stringify(doc);
  return { seq, kind, ref: (doc as { id?: string }).id ?? "", hash: sha256(payload), payload };
}

export function batch(storeId: string, epoch: string, items: BatchItem[], from = items[0]?.seq ?? 1): Batch {
  return { store_id: storeId, epoch, from_seq: from, to_seq: from + items.length - 1, items };
}

/** Items seq from..from+count-1, each a fresh sale. */
export function items(from: number, count: number, options: Parameters<typeof saleDoc>[1] = {}): BatchItem[] {
  return Array.from({ length: count }, (_, i) => item(from + i, saleDoc(from + i, options)));
}

/**
 * The store's report of a date (the 25th unless told), counting the sales given, as its own summary would; with the
 * returns given, its refund figures too (a store from before returns sends none: `returns` undefined).
 */
export function dayTotals(seq: number, sales: Doc[], date = "2026-11-25", returns?: ReturnPayload[]): BatchItem {
  const payload = JSON.stringify({
    business_date: date,
    sales_count: sales.length,
    total_minor: sales.reduce((s, d) => s + d.total, 0),
    tax_minor: sales.reduce((s, d) => s + d.tax_total, 0),
    discount_minor: 0,
    rounding_minor: 0,
    by_method: {},
    computed_at: `${date}T18:00:00.000Z`,
    ...(returns ? { refund_minor: returns.reduce((s, r) => s + r.total, 0), returns_count: returns.length } : {}),
  });
  return { seq, kind: "day_totals", ref: date, hash: sha256(payload), payload };
}

/** A product of head office's catalog: named by its SKU, 1.00 at the standard rate, on sale, unless told. */
export const catalogProduct = (p: Partial<CatalogProduct> & { sku: string }): CatalogProduct => ({
  barcode: null,
  name: p.sku,
  price: 100,
  tax_class: "STD",
  category: null,
  weighed: false,
  active: true,
  ...p,
});

/** The chain's two tax classes, as the catalog tests' opening release has them. */
export const chainTaxClasses = [
  { code: "STD", name: "Standard", rate_bp: 2000 },
  { code: "RED", name: "Reduced", rate_bp: 1000 },
];

/**
 * A real store on a temp dir, with the small catalog, stock that never blocks, a "Lane 1" register and the settings
 * that connect it to head office. The dir is pushed to `dirs` for the caller to remove.
 */
export function connectedStore(link: { url: string; storeId: string; token: string }, dirs: string[], options: { fetch?: typeof fetch } = {}): Shop {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-sync-"));
  dirs.push(dir);
  const store = openShop({ dataDir: dir, ...options });
  seedSmallCatalog(store);
  writeSetting(store.db, "negative_stock", "allow");
  writeSetting(store.db, "hq_url", link.url);
  writeSetting(store.db, "hq_store_id", link.storeId);
  writeSetting(store.db, "hq_token", link.token);
  store.reloadSettings();
  store.db.exec("INSERT INTO registers(name, created_at) VALUES ('Lane 1', '2026-11-25T08:00:00Z') ON CONFLICT DO NOTHING");
  return store;
}

/** A throwaway PostgreSQL with head office's schema migrated. */
export async function hqDatabase(): Promise<{ pg: TestPostgres; sql: HqSql; close(): Promise<void> }> {
  const pg = await startPostgres();
  const sql = openHq(pg.url);
  await migrateHq(sql);
  return {
    pg,
    sql,
    async close() {
      await sql.end({ timeout: 1 });
      await pg.cleanup();
    },
  };
}

/** The file's head-office database: started before its tests, removed after; read `.sql` and `.pg` inside tests. */
export function withHqDatabase(): { sql: HqSql; pg: TestPostgres } {
  let db: Awaited<ReturnType<typeof hqDatabase>> | undefined;
  beforeAll(async () => {
    db = await hqDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });
  return {
    get sql() {
      return db!.sql;
    },
    get pg() {
      return db!.pg;
    },
  };
}

/**
 * Kill head office's PostgreSQL with -9 while it merges `b`, with everything of the batch written but not committed:
 * the store row is held (psql, in an open transaction) so the receiver writes every row of every item, then waits
 * before its last statement; the cluster is killed there and started again. Returns how the receiver's call ended.
 * Not a postgres.js reserve() for the hold: 3.4.9 throws an uncatchable error when a reserved connection's server
 * dies (porsager/postgres#1208).
 */
export async function killDuringBatch(db: { sql: HqSql; pg: TestPostgres }, storeId: string, b: Batch): Promise<string> {
  const psql = Bun.spawn([`${pgBinDir()}/psql`, "-X", "-q", "-A", "-t", db.pg.url], { stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  psql.stdin.write(`BEGIN;\nSELECT 'locked' FROM stores WHERE store_id = '${storeId}' FOR NO KEY UPDATE;\n`);
  psql.stdin.flush();
  const reader = psql.stdout.getReader();
  for (let out = ""; !out.includes("locked"); ) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error("psql ended before it held the store row");
    out += new TextDecoder().decode(chunk.value);
  }
  const pending = receiveBatch(db.sql, storeId, b).then(
    () => "answered",
    (e: Error) => `failed: ${e.message}`,
  );
  const monitor = postgres(db.pg.url, { max: 1, onnotice: () => {} });
  for (let i = 0; ; i++) {
    const [w] = await monitor`SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE application_name = 'shopflow-hq' AND wait_event_type = 'Lock' AND query LIKE '%hq_receive_batch%'`;
    if (w!.n === 1) break;
    if (i > 2000) throw new Error("the receiver never reached its last statement");
    await Bun.sleep(10);
  }
  // the store's advisory lock is held: the batch's transaction is open
  const [inFlight] = await monitor`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`;
  await monitor.end();
  if (inFlight!.n < 1) throw new Error("the receiver's transaction is not open");
  await db.pg.kill();
  const outcome = await pending;
  psql.stdin.end();
  await psql.exited;
  await db.pg.start();
  return outcome;
}

/**
 * A network that eats the answers to the first `drops` requests after head office has taken them (the connection
 * resets); `left()` counts down past 0 with each request after those.
 */
export function lossyFetch(drops: number): { fetch: typeof fetch; left(): number } {
  let left = drops;
  const lossy: typeof fetch = Object.assign(
    async (input: string | URL | Request, init?: RequestInit) => {
      const res = await fetch(input, init);
      if (left-- > 0) {
        await res.arrayBuffer();
        throw new TypeError("connection reset by peer");
      }
      return res;
    },
    { preconnect: fetch.preconnect },
  );
  return { fetch: lossy, left: () => left };
}

/** A copy of the store database as a backup would take it (consistent, WAL included). */
export function backUp(store: Shop, file: string): void {
  store.db.exec(`VACUUM INTO '${file.replaceAll("'", "''")}'`);
}

/** Put a backup in place of the store's database in `dir`, as a person restoring after a disk failure would. */
export function restoreBackup(dir: string, backup: string): Shop {
  for (const f of ["shopflow.db", "shopflow.db-wal", "shopflow.db-shm"]) rmSync(join(dir, f), { force: true });
  copyFileSync(backup, join(dir, "shopflow.db"));
  return openShop({ dataDir: dir });
}
