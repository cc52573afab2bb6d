// The append-only, hash-chained journal: each entry's hash covers the previous hash and its own content.
import type { Database } from "bun:sqlite";
import { sha256Hex } from "../platform/auth/secrets.ts";

export type JournalEntry = { seq: number; at: string; kind: string; ref: string; data: string; prev_hash: string; hash: string };

export const GENESIS = "0".repeat(64);

export function entryHash(prev: string, at: string, kind: string, ref: string, data: string): string {
  return sha256Hex(`${prev}\n${at}\n${kind}\n${ref}\n${data}`);
}

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

/** Walk the chain; the first broken link, or null when every entry holds. */
export function verifyJournal(db: Database): { seq: number; reason: string } | null {
  let prev = GENESIS;
  for (const e of db.query<JournalEntry, []>("SELECT * FROM journal ORDER BY seq").iterate()) {
    if (e.prev_hash !== prev) return { seq: e.seq, reason: "previous hash does not match" };
    if (entryHash(prev, e.at, e.kind, e.ref, e.data) !== e.hash) return { seq: e.seq, reason: "content does not match its hash" };
    prev = e.hash;
  }
  return null;
}
