// Closures' signatures at head office: each closure names the key that signed it (its fingerprint), and is checked with
// that key among those the store told (store_journal_keys, every one kept). A bad signature, or a key the store never
// told while it has told some, breaks the chain at that closure as a changed hash does. Before the store told any key
// a closure waits, and is checked when a key arrives (checkWaitingClosures).
import type { KeyObject } from "node:crypto";
import type { ChainBreak, JournalRow } from "../../../server/platform/journal-chain.ts";
import { closureSignedText, ed25519PublicKey, signatureHolds } from "../../../server/platform/journal-signature.ts";
import type { HqSql, HqTransaction } from "../db/db.ts";

export type StoreKeys = ReadonlyMap<string, KeyObject>;
export type ClosureVerdict = { signature: "holds" | "waiting" } | { signature: "broken"; broken: ChainBreak };

export const isClosureEntry = (kind: string) => kind.startsWith("closure.");

/** The keys the store has told head office, by fingerprint. */
export async function storeKeys(tx: HqTransaction, storeId: string): Promise<StoreKeys> {
  const rows = await tx<{ fingerprint: string; public_pem: string }[]>`
    SELECT fingerprint, public_pem FROM store_journal_keys WHERE store_id = ${storeId}::uuid`;
  const keys = new Map<string, KeyObject>();
  for (const r of rows) {
    const key = ed25519PublicKey(r.public_pem);
    if (key) keys.set(r.fingerprint, key);
  }
  return keys;
}

const short = (fingerprint: string) => `${fingerprint.slice(0, 16)}…`;

/** One closure entry against the store's keys. */
export function judgeClosure(e: Pick<JournalRow, "seq" | "kind" | "ref" | "data" | "prev_hash">, keys: StoreKeys): ClosureVerdict {
  const what = `the ${e.kind.slice("closure.".length)} closure of ${e.ref}`;
  const broken = (reason: string): ClosureVerdict => ({ signature: "broken", broken: { seq: e.seq, reason } });
  let content: unknown;
  try {
    content = JSON.parse(e.data);
  } catch {
    return broken(`${what} is not readable`);
  }
  if (content === null || typeof content !== "object" || Array.isArray(content)) return broken(`${what} is not readable`);
  const { sig, ...body } = content as Record<string, unknown>;
  if (typeof sig !== "string" || typeof body.key !== "string") return broken(`${what} carries no signature or names no key`);
  const key = keys.get(body.key);
  if (!key) return keys.size === 0 ? { signature: "waiting" } : broken(`${what} names key ${short(body.key)}, which the store never told head office`);
  return signatureHolds(key, closureSignedText(e.prev_hash, e.kind, e.ref, body), sig)
    ? { signature: "holds" }
    : broken(`${what} is not signed by the key it names (${short(body.key)})`);
}

/** Keep closures as they were taken into the chain, with their verdict, so a waiting one can be checked later. */
export async function keepClosures(
  tx: HqTransaction,
  storeId: string,
  epoch: string,
  closures: readonly { e: JournalRow; signature: "holds" | "waiting" }[],
): Promise<void> {
  if (closures.length === 0) return;
  const rows = closures.map(({ e, signature }) => ({
    store_id: storeId,
    epoch,
    seq: e.seq,
    kind: e.kind,
    ref: e.ref,
    prev_hash: e.prev_hash,
    data: e.data,
    signature,
  }));
  await tx`INSERT INTO store_journal_closures ${tx(rows, "store_id", "epoch", "seq", "kind", "ref", "prev_hash", "data", "signature")}
    ON CONFLICT DO NOTHING`;
}

/**
 * The store's waiting closures checked with the keys it has told now; a broken one flags its chain at that entry (or
 * earlier than the break flagged before). Call in the transaction that stored a new key, under the store's lock.
 */
export async function checkWaitingClosures(tx: HqTransaction, storeId: string): Promise<number> {
  const keys = await storeKeys(tx, storeId);
  if (keys.size === 0) return 0;
  const waiting = await tx<{ epoch: string; seq: number; kind: string; ref: string; prev_hash: string; data: string }[]>`
    SELECT epoch, seq, kind, ref, prev_hash, data FROM store_journal_closures
    WHERE store_id = ${storeId}::uuid AND signature = 'waiting' ORDER BY epoch, seq`;
  for (const c of waiting) {
    const v = judgeClosure(c, keys);
    await tx`UPDATE store_journal_closures SET signature = ${v.signature}
      WHERE store_id = ${storeId}::uuid AND epoch = ${c.epoch} AND seq = ${c.seq}`;
    if (v.signature === "broken") {
      await tx`UPDATE store_journal_state SET broken_seq = ${v.broken.seq}, broken_reason = ${v.broken.reason}, broken_at = now()
        WHERE store_id = ${storeId}::uuid AND epoch = ${c.epoch} AND (broken_seq IS NULL OR broken_seq > ${v.broken.seq})`;
    }
  }
  return waiting.length;
}

export type JournalKeysView = { keys: { fingerprint: string; first_told_at: Date }[]; waiting: number };

/** The keys a store has told, newest first, and how many of its closures wait for one: for the store's page. */
export async function journalKeysOf(sql: HqSql, storeId: string): Promise<JournalKeysView> {
  const [keys, [waiting]] = await Promise.all([
    sql<{ fingerprint: string; first_told_at: Date }[]>`
      SELECT fingerprint, first_told_at FROM store_journal_keys WHERE store_id = ${storeId}::uuid ORDER BY first_told_at DESC, fingerprint`,
    sql<{ n: number }[]>`SELECT count(*)::int8 AS n FROM store_journal_closures WHERE store_id = ${storeId}::uuid AND signature = 'waiting'`,
  ]);
  return { keys: [...keys], waiting: waiting?.n ?? 0 };
}
