// The append-only, hash-chained journal: each entry's hash covers the previous hash and its own content
// (platform/journal-chain.ts, the same check head office makes). Closures (closures.ts) are entries of the chain too.
import type { Database } from "bun:sqlite";
import { type ChainBreak, chainStart, checkLink, entryHash, GENESIS, type JournalRow } from "../platform/journal-chain.ts";

export type JournalEntry = JournalRow;
export { entryHash, GENESIS };

export function journalWriter(db: Database) {
  const last = db.query<{ hash: string }, []>("SELECT hash FROM journal ORDER BY seq DESC LIMIT 1");
  const insert = db.query("INSERT INTO journal(at, kind, ref, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)");
  /** Call inside the writing transaction so the entry commits with what it records. */
  return (at: string, kind: string, ref: string, data: unknown): void => {
    const prev = last.get()?.hash ?? GENESIS;
    const text = JSON.stringify(data);
    insert.run(at, kind, ref, text, prev, entryHash(prev, at, kind, ref, text));
  };
}

export type JournalWrite = ReturnType<typeof journalWriter>;

/** Walk the chain: the first broken link (a changed, missing or moved entry), or null when every entry holds. */
export function verifyJournal(db: Database): ChainBreak | null {
  let at = chainStart;
  for (const e of db.query<JournalRow, []>("SELECT seq, at, kind, ref, data, prev_hash, hash FROM journal ORDER BY seq").iterate()) {
    const broken = checkLink(at, e);
    if (broken) return broken;
    at = { seq: e.seq, hash: e.hash };
  }
  return null;
}
