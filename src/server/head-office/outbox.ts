// The store's outbox: what head office must receive, appended in the same transaction as the change it reports.
// seq is gapless (max + 1 inside the writing transaction, rows never deleted); hash is over the exact JSON text sent.
// Each kind's document is typed by sync/contracts.ts, the definition head office checks it with.
import type { Database } from "bun:sqlite";
import { contentHash, type OutboxKind, type OutboxPayload, type SalePayload } from "../../sync/contracts.ts";
import type { SaleDocument } from "../selling/sale-document.ts";

export function outboxWriter(db: Database) {
  const insert = db.query(
    "INSERT INTO outbox(seq, kind, ref, payload, hash, created_at) VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, ?)",
  );
  /** Append one item; the caller's transaction decides whether it is kept. Returns the content hash. */
  return function append<K extends OutboxKind>(kind: K, ref: string, document: OutboxPayload<K>, at: string): string {
    // written as the producer built it, never through the schema: the key order is part of the text the hash covers
    const payload = JSON.stringify(document);
    const hash = contentHash(payload);
    insert.run(kind, ref, payload, hash, at);
    return hash;
  };
}

export type OutboxAppend = ReturnType<typeof outboxWriter>;

/**
 * A sale document as the outbox carries it. The document also serves open sales (the API), so its type allows what
 * a completed sale never has; this says so, or refuses, which rolls the completing transaction back.
 */
export function completedSale(doc: SaleDocument): SalePayload {
  const { status, receipt_number, completed_at } = doc;
  if (status !== "completed" || receipt_number === null || completed_at === null) throw new Error(`sale ${doc.id} is not completed`);
  // the same keys in the same order: only their types narrowed
  return { ...doc, status, receipt_number, completed_at };
}
