// The store's outbox: what head office must receive, appended in the same transaction as the change it reports.
// seq is gapless (max + 1 inside the writing transaction, rows never deleted); hash is over the exact JSON text sent.
import type { Database } from "bun:sqlite";

/** What goes up: completed sales, closed shifts, and the store's own day totals for reconciliation. */
export type OutboxKind = "sale" | "shift_closed" | "day_totals";

export function outboxWriter(db: Database) {
  const insert = db.query(
    "INSERT INTO outbox(seq, kind, ref, payload, hash, created_at) VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, ?)",
  );
  /** Append one item; the caller's transaction decides whether it is kept. Returns the content hash. */
  return function append(kind: OutboxKind, ref: string, document: unknown, at: string): string {
    const payload = JSON.stringify(document);
    const hash = new Bun.CryptoHasher("sha256").update(payload).digest("hex");
    insert.run(kind, ref, payload, hash, at);
    return hash;
  };
}

export type OutboxAppend = ReturnType<typeof outboxWriter>;
