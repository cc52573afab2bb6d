// Outbox items and batches as a store sends them, made from sale documents of the shape the store writes.
import { afterAll, beforeAll } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openShop, type Shop } from "../../src/server/compose.ts";
import type { SaleDocument } from "../../src/server/selling/sale-document.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { type HqSql, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import type { Batch, BatchItem } from "../../src/sync/hq/ingest/receiver.ts";
import { startPostgres, type TestPostgres } from "../helpers/pg.ts";
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
