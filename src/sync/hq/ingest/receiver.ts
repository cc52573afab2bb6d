// Head office's end of the outbox: one batch of a store's outbox items, merged exactly once in one transaction.

import postgres from "postgres";
import { type ErrorStatus, refusal } from "../../../server/platform/http/problems.ts";
import { type BatchAcked, type BatchRefused, batchHeader, type OutboxKind } from "../../contracts.ts";
import { ensurePartitions, type HqSql } from "../db/db.ts";
import { takeJournal } from "../journal/chain.ts";
import { checkJournalItem } from "../journal/check-item.ts";
import { refuseClone } from "../stores/installations.ts";
import { noteRestoredBatch } from "../stores/restored.ts";
import { deadLetterBody, jsonText, keptLabel } from "./dead-letter.ts";
import type { ItemCheck } from "./documents.ts";
import { checkDayTotalsItem, checkShiftClosedItem } from "./report-items.ts";
import { checkReturnItem } from "./return-item.ts";
import { checkSaleItem, payloadHash } from "./sale-item.ts";
import { checkStockItem } from "./stock-item.ts";

/** The batch as a store sends it and its items: defined in the contract. */
export type { Batch, BatchItem } from "../../contracts.ts";

/**
 * Acknowledged, or refused with a problem whose status comes from the one map (platform/http/problems.ts). Either body
 * is the contract's reply, which the store reads with the same schemas.
 */
export type Receipt = { status: 200; body: BatchAcked } | { status: ErrorStatus; body: BatchRefused };

export const MAX_BATCH_ITEMS = 10_000;

export const reasons = {
  changed: "content changed for a sequence number already received",
  hashMismatch: "content hash does not match the payload",
  notText: "payload must be the JSON text of the document",
  otherDocument: "a different document for a sale already received under another sequence number",
  otherShift: "a different Z report for a shift already received under another sequence number",
  otherReturn: "a different document for a return already received under another sequence number",
  otherMovements: "a different batch of the same stock movements already received under another sequence number",
  notOnRecord: "sequence number already passed but not on record",
  otherJournal: "a different run of the same journal entries already received under another sequence number",
} as const;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An item as it came: only seq is sure to be there; everything else is checked item by item. */
type RawItem = { seq: number; kind?: unknown; ref?: unknown; hash?: unknown; payload?: unknown };
/** `top`: the highest sequence number the store holds, when it says (how many items still wait there). */
type Envelope = { epoch: string; from: number; to: number; top: number | null; installation: string | null; items: RawItem[] };

function invalid(message: string, details?: unknown): Receipt {
  return refusal("invalid_batch", message, details);
}

/**
 * The envelope must be right for the batch to be looked at; items are judged one by one afterwards (a bad item is a
 * dead letter, not a bad batch). Each field is checked with the contract's schema, each answered with its own sentence.
 */
function readEnvelope(storeId: string, input: unknown): Envelope | Receipt {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return invalid("The batch must be a JSON object.");
  const b = input as Record<string, unknown>;
  const valid = (field: keyof typeof batchHeader) => batchHeader[field].safeParse(b[field]).success;
  if (!valid("store_id") || (b.store_id as string).toLowerCase() !== storeId.toLowerCase()) {
    return refusal("wrong_store", "A store can send only its own sales: store_id is not this store's.");
  }
  const { epoch, from_seq: from, to_seq: to, items } = b;
  if (!valid("epoch")) return invalid("epoch must be the store database's epoch: 1 to 200 printable ASCII characters.");
  if (!valid("from_seq") || !valid("to_seq") || (to as number) < (from as number) - 1) {
    return invalid("from_seq and to_seq must be whole numbers with 1 <= from_seq <= to_seq + 1.");
  }
  if (!Array.isArray(items)) return invalid("items must be an array.");
  if (!valid("installation")) return invalid("installation, when sent, is the store server's installation id: 1 to 200 printable ASCII characters.");
  const top = b.outbox_top;
  if (!valid("outbox_top") || (top !== undefined && (top as number) < (to as number))) {
    return invalid("outbox_top, when sent, is the highest sequence number the store holds: a whole number, at least to_seq.");
  }
  const count = (to as number) - (from as number) + 1;
  if (count > MAX_BATCH_ITEMS || items.length > MAX_BATCH_ITEMS) {
    return refusal("batch_too_large", `Send at most ${MAX_BATCH_ITEMS} items in one batch.`, { max_items: MAX_BATCH_ITEMS });
  }
  if (items.length !== count) return invalid("items must hold exactly the sequence numbers from_seq to to_seq.", { expected: count, got: items.length });
  for (let i = 0; i < items.length; i++) {
    const it: unknown = items[i];
    if (it === null || typeof it !== "object" || (it as RawItem).seq !== (from as number) + i) {
      return invalid("items must be objects carrying the sequence numbers from_seq to to_seq in order.", { index: i });
    }
  }
  return {
    epoch: epoch as string,
    from: from as number,
    to: to as number,
    top: top === undefined ? null : (top as number),
    installation: (b.installation as string | undefined) ?? null,
    items: items as RawItem[],
  };
}

/** Every kind of the contract with its check: a kind added there does not compile here until it has one. */
const checks: Record<OutboxKind, (item: { ref: unknown; payload: string }) => ItemCheck> = {
  sale: checkSaleItem,
  return: checkReturnItem,
  stock_movements: checkStockItem,
  day_totals: checkDayTotalsItem,
  shift_closed: checkShiftClosedItem,
  journal_entries: checkJournalItem,
};

/** Whether a new item can be merged: known kind, the hash the store claims, a document PostgreSQL will take. */
function judge(item: RawItem, hash: string): ItemCheck {
  const kind = typeof item.kind === "string" && Object.hasOwn(checks, item.kind) ? (item.kind as OutboxKind) : null;
  if (kind === null) return { ok: false, reason: `unknown kind ${keptLabel(jsonText(item.kind ?? null), 100)}` };
  if (typeof item.payload !== "string") return { ok: false, reason: reasons.notText };
  if (item.hash !== hash) return { ok: false, reason: reasons.hashMismatch };
  return checks[kind]({ ref: item.ref, payload: item.payload });
}

/**
 * One element of hq_receive_batch's p_items: what the ledger records and, for an item that can be merged, its business
 * date; for a refused one, the reason and what is kept of the item as sent (dead-letter.ts: no card number, text
 * jsonb takes, bounded). The document itself goes in p_docs.
 */
function entry(item: RawItem, hash: string, check: ItemCheck): unknown {
  // Keys in jsonb's order (shorter first, then by bytes), which PostgreSQL then need not sort.
  if (check.ok) return { day: check.businessDate, ref: check.ref, seq: item.seq, hash, kind: item.kind };
  return {
    ref: keptLabel(item.ref ?? null),
    seq: item.seq,
    body: deadLetterBody(item, hash),
    hash,
    kind: keptLabel(item.kind ?? null),
    reason: keptLabel(check.reason, 2000),
  };
}

/** The kinds kept in tables partitioned by business month: a batch needs the partitions of their dates. */
const partitioned: ReadonlySet<unknown> = new Set<OutboxKind>(["sale", "return"]);

const sentences = JSON.stringify({
  changed: reasons.changed,
  not_on_record: reasons.notOnRecord,
  other_document: {
    sale: reasons.otherDocument,
    return: reasons.otherReturn,
    shift_closed: reasons.otherShift,
    stock_movements: reasons.otherMovements,
    journal_entries: reasons.otherJournal,
  },
});

/**
 * Merge one batch of a store's outbox into head office, exactly once. The items are checked here; the merge is one
 * call of hq_receive_batch (db/functions/hq_receive_batch.sql), so one transaction under the store's advisory lock: concurrent or replayed
 * batches of a store serialise, and a replay gets the same answer. One statement rather than BEGIN ... COMMIT from
 * here also means no client-side transaction is left half-way when the server dies (porsager/postgres#1208).
 * `storeId` is the store the caller authenticated; `input` is the batch as received.
 */
export async function receiveBatch(sql: HqSql, storeId: string, input: unknown): Promise<Receipt> {
  if (!uuid.test(storeId)) return notFound();
  const env = readEnvelope(storeId, input);
  if ("status" in env) return env;
  // another server with this store's credentials: refused before anything is judged or reported (stores/installations.ts)
  const clone = await refuseClone(sql, storeId, env);
  if (clone) return clone;

  const entries: unknown[] = [];
  const docs: string[] = []; // JSON texts, joined rather than parsed and written again
  const days = new Set<string>();
  const journal: string[] = []; // the journal's entries, checked as a chain once the batch is merged (journal/chain.ts)
  for (const it of env.items) {
    const hash = payloadHash(it.payload ?? null);
    const check = judge(it, hash);
    entries.push(entry(it, hash, check));
    docs.push(check.ok ? check.doc : "");
    if (check.ok && partitioned.has(it.kind)) days.add(check.businessDate);
    if (check.ok && it.kind === "journal_entries") journal.push(check.doc);
  }
  const items = JSON.stringify(entries);
  // JSON.stringify writes control characters escaped, so U+001E can part the documents (see hq_receive_batch).
  const documents = docs.join("\x1e");
  const merge = () => sql<{ r: Outcome }[]>`
    SELECT hq_receive_batch(${storeId}::uuid, ${env.epoch}::text, ${env.from}::bigint, ${env.to}::bigint,
      ${items}::text::jsonb, ${documents}::text, ${sentences}::text::jsonb) AS r`;
  let rows: { r: Outcome }[];
  try {
    rows = await merge();
  } catch (e) {
    // Monthly partitions are made ahead, so a sale or return of a month without one is rare: its batch was rolled back whole.
    // Partition DDL takes strong locks, so it runs in its own transaction, never while holding a store's lock.
    if (!missingPartition(e)) throw e;
    await ensurePartitions(sql, days);
    rows = await merge();
  }
  const r = rows[0]!.r;
  switch (r.outcome) {
    case "ok":
      // what is waiting at the store is a figure for people, not part of the batch's exactly-once: written after it
      if (env.top !== null) await sql`UPDATE stores SET outbox_top = ${env.top} WHERE store_id = ${storeId}::uuid`;
      // a break is flagged for people, never a refusal: the store's later items still arrive
      await takeJournal(sql, storeId, env.epoch, journal);
      return { status: 200, body: { acked_through: r.last_seq, epoch: env.epoch, ...(r.changed ? { changed: r.changed } : {}) } };
    case "unknown_store":
      return notFound();
    case "epoch_mismatch":
      // what the reported database would bring, for the admin who decides (stores/restored.ts)
      await noteRestoredBatch(sql, storeId, env);
      return refusal(
        "epoch_mismatch",
        "This store's database is not the one head office knows (restored or rebuilt). Nothing was merged; once someone at head office accepts it, send everything again from 1.",
        { head_office_epoch: r.epoch, store_epoch: env.epoch, last_seq: r.last_seq },
      );
    case "gap":
      return refusal("gap", `Head office has everything up to ${r.last_seq}; send from ${r.last_seq + 1}.`, {
        last_seq: r.last_seq,
        expected_from_seq: r.last_seq + 1,
      });
    default: {
      const _exhaustive: never = r;
      throw new Error(`hq_receive_batch answered ${JSON.stringify(_exhaustive)}`);
    }
  }
}

type Outcome =
  | { outcome: "ok"; last_seq: number; changed: number[] | null }
  | { outcome: "unknown_store" }
  | { outcome: "epoch_mismatch"; epoch: string; last_seq: number }
  | { outcome: "gap"; last_seq: number };

function missingPartition(e: unknown): boolean {
  return e instanceof postgres.PostgresError && e.code === "23514" && e.message.startsWith("no partition of relation");
}

function notFound(): Receipt {
  return refusal("store_not_found", "This store is not registered at head office.");
}

/**
 * A dead letter's item judged again by the checks every batch item goes through, for its replay (dead-letters/replay.ts):
 * what receiveBatch would give hq_receive_batch for it (its p_items element, its document, the sentences) and whether
 * its business month needs a partition first.
 */
export function judgeAgain(it: RawItem, hash: string): { check: ItemCheck; entry: unknown; doc: string; sentences: string; partitioned: boolean } {
  const check = judge(it, hash);
  return { check, entry: entry(it, hash, check), doc: check.ok ? check.doc : "", sentences, partitioned: check.ok && partitioned.has(it.kind) };
}
