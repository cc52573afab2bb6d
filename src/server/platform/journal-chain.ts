// The journal's chain as anyone checks it: the store over its own table, head office over the rows a store sends.
// Each entry's hash covers the previous entry's hash and its own content; numbers run 1, 2, 3 … without a gap.
import { sha256Hex } from "./auth/secrets.ts";

export type JournalRow = { seq: number; at: string; kind: string; ref: string; data: string; prev_hash: string; hash: string };

/** The previous hash of the very first entry. */
export const GENESIS = "0".repeat(64);

export function entryHash(prev: string, at: string, kind: string, ref: string, data: string): string {
  return sha256Hex(`${prev}\n${at}\n${kind}\n${ref}\n${data}`);
}

/** Where the chain stands after the last entry checked: its number and hash (0 and GENESIS before the first). */
export type ChainPoint = { seq: number; hash: string };
export const chainStart: ChainPoint = { seq: 0, hash: GENESIS };

/** A broken link: the entry's number and a sentence saying what is wrong with it. */
export type ChainBreak = { seq: number; reason: string };

/** The next entry against where the chain stands: the break it makes, or null when it holds. */
export function checkLink(at: ChainPoint, e: JournalRow): ChainBreak | null {
  if (e.seq !== at.seq + 1) {
    return e.seq > at.seq + 1
      ? { seq: at.seq + 1, reason: `entries ${at.seq + 1} to ${e.seq - 1} are missing (the next one is ${e.seq})` }
      : { seq: e.seq, reason: `entry ${e.seq} comes again or out of order after ${at.seq}` };
  }
  if (e.prev_hash !== at.hash) return { seq: e.seq, reason: "its previous hash is not the hash of the entry before it" };
  if (entryHash(e.prev_hash, e.at, e.kind, e.ref, e.data) !== e.hash)
    return { seq: e.seq, reason: "its content does not match its hash (changed after it was written)" };
  return null;
}
