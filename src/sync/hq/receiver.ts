// Head office's end of the outbox: one batch of a store's outbox items, merged exactly once in one transaction.
import { errorBody, type ErrorBody } from "../../server/errors.ts";
import { ensurePartitions, type HqSql } from "./db.ts";
import { checkSaleItem, payloadHash, type ItemCheck, type SaleRows } from "./sale-item.ts";

export type BatchItem = { seq: number; kind: string; ref: string; hash: string; payload: string };
export type Batch = { store_id: string; epoch: string; from_seq: number; to_seq: number; items: BatchItem[] };

export type Acked = { acked_through: number; epoch: string };
export type Refused<Code extends string> = { error: { code: Code; message: string; details?: unknown } };

export type Receipt =
  | { status: 200; body: Acked }
  | { status: 409; body: Refused<"epoch_mismatch" | "gap"> }
  | { status: 400 | 403 | 404 | 413 | 422; body: ErrorBody };

export const MAX_BATCH_ITEMS = 10_000;

export const reasons = {
  changed: "content changed for a sequence number already received",
  hashMismatch: "content hash does not match the payload",
  notText: "payload must be the JSON text of the document",
  otherDocument: "a different document for a sale already received under another sequence number",
  notOnRecord: "sequence number already passed but not on record",
} as const;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An item as it came: only seq is sure to be there; everything else is checked item by item. */
type RawItem = { seq: number; kind?: unknown; ref?: unknown; hash?: unknown; payload?: unknown };
type Envelope = { epoch: string; from: number; to: number; items: RawItem[] };

function invalid(message: string, details?: unknown): Receipt {
  return { status: 422, body: errorBody("invalid_batch", message, details) };
}

/** The envelope must be right for the batch to be looked at; items are judged one by one afterwards. */
function readEnvelope(storeId: string, input: unknown): Envelope | Receipt {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return invalid("The batch must be a JSON object.");
  const b = input as Record<string, unknown>;
  if (typeof b.store_id !== "string" || b.store_id.toLowerCase() !== storeId.toLowerCase()) {
    return { status: 403, body: errorBody("wrong_store", "A store can send only its own sales: store_id is not this store's.") };
  }
  const { epoch, from_seq: from, to_seq: to, items } = b;
  if (typeof epoch !== "string" || epoch.length < 1 || epoch.length > 200 || !/^[\x21-\x7e]+$/.test(epoch)) {
    return invalid("epoch must be the store database's epoch: 1 to 200 printable ASCII characters.");
  }
  if (!Number.isSafeInteger(from) || (from as number) < 1 || !Number.isSafeInteger(to) || (to as number) < (from as number) - 1) {
    return invalid("from_seq and to_seq must be whole numbers with 1 <= from_seq <= to_seq + 1.");
  }
  if (!Array.isArray(items)) return invalid("items must be an array.");
  const count = (to as number) - (from as number) + 1;
  if (count > MAX_BATCH_ITEMS || items.length > MAX_BATCH_ITEMS) {
    return { status: 413, body: errorBody("batch_too_large", `Send at most ${MAX_BATCH_ITEMS} items in one batch.`, { max_items: MAX_BATCH_ITEMS }) };
  }
  if (items.length !== count) return invalid("items must hold exactly the sequence numbers from_seq to to_seq.", { expected: count, got: items.length });
  for (let i = 0; i < items.length; i++) {
    const it: unknown = items[i];
    if (it === null || typeof it !== "object" || (it as RawItem).seq !== (from as number) + i) {
      return invalid("items must be objects carrying the sequence numbers from_seq to to_seq in order.", { index: i });
    }
  }
  return { epoch, from: from as number, to: to as number, items: items as RawItem[] };
}

/** Whether a new item can be merged: known kind, the hash the store claims, a sale document PostgreSQL will take. */
function judge(item: RawItem, hash: string): ItemCheck {
  if (item.kind !== "sale") return { ok: false, reason: `unknown kind ${JSON.stringify(item.kind ?? null)}` };
  if (typeof item.payload !== "string") return { ok: false, reason: reasons.notText };
  if (item.hash !== hash) return { ok: false, reason: reasons.hashMismatch };
  return checkSaleItem({ seq: item.seq, ref: item.ref, payload: item.payload }, hash);
}

/** Text PostgreSQL will store: no NUL, no unpaired surrogate, bounded. */
function storable(value: unknown, max = 200): string {
  const s = typeof value === "string" ? value : JSON.stringify(value ?? null) ?? "null";
  return s.replaceAll("\u0000", "\uFFFD").toWellFormed().slice(0, max);
}

/** An item for hq_receive_batch: what the ledger records, and for a refused item the reason and the item as sent. */
type Entry = { seq: number; kind: string; ref: string; content_hash: string; sale_id: string | null; reason: string | null; body: unknown };

function entry(item: RawItem, hash: string, check: ItemCheck): Entry {
  const base = { seq: item.seq, kind: storable(item.kind), content_hash: hash };
  if (check.ok) return { ...base, ref: check.saleId, sale_id: check.saleId, reason: null, body: null };
  // The item as sent, as text jsonb will take (no NUL, no unpaired surrogate); a non-string payload as its JSON.
  const text = (v: unknown) => (v === undefined ? null : storable(v, Infinity));
  const body = { seq: item.seq, kind: text(item.kind), ref: text(item.ref), hash: text(item.hash), payload: text(item.payload) };
  return { ...base, ref: storable(item.ref), sale_id: null, reason: storable(check.reason, 2000), body };
}

/**
 * Merge one batch of a store's outbox into head office, exactly once. The items are checked here; the merge is one
 * call of hq_receive_batch (001_hq.sql), so one transaction under the store's advisory lock: concurrent or replayed
 * batches of a store serialise, and a replay gets the same answer. One statement rather than BEGIN ... COMMIT from
 * here also means no client-side transaction is left half-way when the server dies (porsager/postgres#1208).
 * `storeId` is the store the caller authenticated; `input` is the batch as received.
 */
export async function receiveBatch(sql: HqSql, storeId: string, input: unknown): Promise<Receipt> {
  if (!uuid.test(storeId)) return notFound();
  const env = readEnvelope(storeId, input);
  if ("status" in env) return env;

  const entries: Entry[] = [];
  const merge: SaleRows[] = [];
  env.items.forEach((it) => {
    const hash = payloadHash(it.payload ?? null);
    const check = judge(it, hash);
    entries.push(entry(it, hash, check));
    if (check.ok) merge.push(check.rows);
  });
  // Partition DDL takes strong locks: done before, in its own transaction, never while holding a store's lock.
  await ensurePartitions(sql, merge.map((m) => m.sale.business_date));

  const json = (x: unknown) => JSON.stringify(x);
  const [row] = await sql<{ r: Outcome }[]>`
    SELECT hq_receive_batch(${storeId}::uuid, ${env.epoch}::text, ${env.from}::bigint, ${env.to}::bigint,
      ${json(entries)}::text::jsonb, ${json(merge.map((m) => m.sale))}::text::jsonb,
      ${json(merge.flatMap((m) => m.lines))}::text::jsonb, ${json(merge.flatMap((m) => m.payments))}::text::jsonb,
      ${json({ changed: reasons.changed, not_on_record: reasons.notOnRecord, other_document: reasons.otherDocument })}::text::jsonb) AS r`;
  const r = row!.r;
  switch (r.outcome) {
    case "ok":
      return { status: 200, body: { acked_through: r.last_seq, epoch: env.epoch } };
    case "unknown_store":
      return notFound();
    case "epoch_mismatch":
      return {
        status: 409,
        body: {
          error: {
            code: "epoch_mismatch",
            message: "This store's database is not the one head office knows (restored or rebuilt). Nothing was merged; head office must decide how to continue.",
            details: { head_office_epoch: r.epoch, store_epoch: env.epoch, last_seq: r.last_seq },
          },
        },
      };
    case "gap":
      return {
        status: 409,
        body: {
          error: {
            code: "gap",
            message: `Head office has everything up to ${r.last_seq}; send from ${r.last_seq + 1}.`,
            details: { last_seq: r.last_seq, expected_from_seq: r.last_seq + 1 },
          },
        },
      };
    default: {
      const _exhaustive: never = r;
      throw new Error(`hq_receive_batch answered ${JSON.stringify(_exhaustive)}`);
    }
  }
}

type Outcome =
  | { outcome: "ok"; last_seq: number }
  | { outcome: "unknown_store" }
  | { outcome: "epoch_mismatch"; epoch: string; last_seq: number }
  | { outcome: "gap"; last_seq: number };

function notFound(): Receipt {
  return { status: 404, body: errorBody("store_not_found", "This store is not registered at head office.") };
}
