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
 * Everything a background step has waiting, one item after another: `appendNext` puts one in the outbox in its own short
 * transaction and says how many rows it carried (0: none waited). Between items the event loop is let go (`pause`), so a
 * sale waits for one item at most even when a long backlog goes up the first time. How many rows went in.
 */
export async function appendAllWaiting(
  appendNext: (at: string) => number,
  now: () => string,
  pause: () => Promise<unknown> = () => Bun.sleep(0),
): Promise<number> {
  let moved = 0;
  for (;;) {
    const n = appendNext(now());
    if (n === 0) return moved;
    moved += n;
    await pause();
  }
}

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
