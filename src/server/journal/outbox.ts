// The journal going up to head office: the entries after the last sent, up to a thousand to an outbox item of kind
// journal_entries, each exactly as stored (hashes included) so head office checks the chain itself. Never part of a
// sale's transaction: a step of its own in the background that appends the item and moves the cursor in one
// transaction, so each entry goes up exactly once across any crash.
import type { Database } from "bun:sqlite";
import { type JournalEntriesPayload, outboxRef } from "../../sync/contracts.ts";
import { appendAllWaiting, type OutboxAppend } from "../head-office/outbox.ts";
import type { JournalRow } from "../platform/journal-chain.ts";

export const ENTRIES_PER_ITEM = 1000;

export function journalBatches(db: Database, outbox: OutboxAppend, options: { perItem?: number } = {}) {
  const perItem = options.perItem ?? ENTRIES_PER_ITEM;
  const q = {
    cursor: db.query<{ last_seq: number }, []>("SELECT last_seq FROM journal_outbox_cursor WHERE id = 1"),
    next: db.query<JournalRow, [number, number]>("SELECT seq, at, kind, ref, data, prev_hash, hash FROM journal WHERE seq > ? ORDER BY seq LIMIT ?"),
    advance: db.query("UPDATE journal_outbox_cursor SET last_seq = ? WHERE id = 1"),
  };

  /** The next entries into the outbox as one item, and the cursor past them; how many went in (0: none waited). */
  function appendNext(at: string): number {
    return db
      .transaction(() => {
        const rows = q.next.all(q.cursor.get()?.last_seq ?? 0, perItem);
        if (rows.length === 0) return 0;
        // keys in the contract's order (jsonb's)
        const doc: JournalEntriesPayload = {
          entries: rows.map((r) => ({ at: r.at, ref: r.ref, seq: r.seq, data: r.data, hash: r.hash, kind: r.kind, prev_hash: r.prev_hash })),
        };
        outbox("journal_entries", outboxRef.journal_entries(doc), doc, at);
        q.advance.run(rows.at(-1)!.seq);
        return rows.length;
      })
      .immediate();
  }

  return {
    appendNext,
    /** Everything waiting, one item after another, the event loop let go between them. */
    appendAll: (now: () => string, pause?: () => Promise<unknown>): Promise<number> => appendAllWaiting(appendNext, now, pause),
  };
}
