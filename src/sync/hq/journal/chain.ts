// Head office checks each store's journal as it arrives: every entry's hash recomputed, numbers without a gap, each
// entry's previous hash the one before it, and an entry already received never changed. The first break is kept per
// store database (epoch) and shown on the overview and the store's page until someone looks into it. A closure's
// signature is part of the check (signatures.ts): a bad one breaks the chain as a changed hash does.
import { type ChainBreak, checkLink, GENESIS, type JournalRow } from "../../../server/platform/journal-chain.ts";
import type { JournalEntriesPayload } from "../../contracts.ts";
import type { HqSql } from "../db/db.ts";
import { storeLock } from "../ingest/store-lock.ts";
import { isClosureEntry, judgeClosure, keepClosures, storeKeys } from "./signatures.ts";

export type JournalStanding = { epoch: string; last_seq: number; broken_seq: number | null; broken_reason: string | null; broken_at: Date | null };

/** Take the entries of a merged batch's journal items (JSON documents, in sequence order) into the store's chain. */
export async function takeJournal(sql: HqSql, storeId: string, epoch: string, docs: readonly string[]): Promise<ChainBreak | null> {
  if (docs.length === 0) return null;
  const entries = docs.flatMap((d) => (JSON.parse(d) as JournalEntriesPayload).entries) as JournalRow[];
  return (await sql.begin(async (tx) => {
    // the store's lock: a key it tells meanwhile (ingest/store-facts.ts) is either seen here or sees these closures
    await storeLock(tx, storeId);
    await tx`INSERT INTO store_journal_state (store_id, epoch, last_hash) VALUES (${storeId}::uuid, ${epoch}, ${GENESIS})
      ON CONFLICT DO NOTHING`;
    const [state] = await tx<{ last_seq: string; last_hash: string; broken_seq: string | null }[]>`
      SELECT last_seq, last_hash, broken_seq FROM store_journal_state WHERE store_id = ${storeId}::uuid AND epoch = ${epoch} FOR UPDATE`;
    if (state!.broken_seq !== null) return null; // flagged already: the first break is what people need
    let point = { seq: Number(state!.last_seq), hash: state!.last_hash };
    // entries head office holds already (a batch sent again): they must be the very same
    const seen = entries.filter((e) => e.seq <= point.seq);
    const held = new Map<number, string>();
    if (seen.length > 0) {
      const rows = await tx<{ seq: string; hash: string }[]>`SELECT seq, hash FROM store_journal
        WHERE store_id = ${storeId}::uuid AND epoch = ${epoch} AND seq = ANY (${seen.map((e) => e.seq)}::bigint[])`;
      for (const r of rows) held.set(Number(r.seq), r.hash);
    }
    const keys = await storeKeys(tx, storeId);
    let broken: ChainBreak | null = null;
    const fresh: JournalRow[] = [];
    const closures: { e: JournalRow; signature: "holds" | "waiting" }[] = [];
    for (const e of entries) {
      if (e.seq <= point.seq) {
        if (held.get(e.seq) !== e.hash) {
          broken = { seq: e.seq, reason: `entry ${e.seq} is not the one the store sent before: changed or written again since` };
          break;
        }
        continue;
      }
      broken = checkLink(point, e);
      if (broken) break;
      if (isClosureEntry(e.kind)) {
        const v = judgeClosure(e, keys);
        if (v.signature === "broken") {
          broken = v.broken;
          break;
        }
        closures.push({ e, signature: v.signature });
      }
      fresh.push(e);
      point = { seq: e.seq, hash: e.hash };
    }
    for (let i = 0; i < fresh.length; i += 1000) {
      const rows = fresh.slice(i, i + 1000).map((e) => ({ store_id: storeId, epoch, seq: e.seq, at: e.at, kind: e.kind, hash: e.hash }));
      await tx`INSERT INTO store_journal ${tx(rows, "store_id", "epoch", "seq", "at", "kind", "hash")} ON CONFLICT DO NOTHING`;
    }
    await keepClosures(tx, storeId, epoch, closures);
    await tx`UPDATE store_journal_state SET last_seq = ${point.seq}, last_hash = ${point.hash}, checked_at = now(),
        broken_seq = ${broken?.seq ?? null}, broken_reason = ${broken?.reason ?? null}, broken_at = ${broken ? new Date() : null}
      WHERE store_id = ${storeId}::uuid AND epoch = ${epoch}`;
    return broken;
  })) as ChainBreak | null;
}

/** How the journal of each store's current database stands: the broken ones are what the overview flags. */
export async function journalStandings(sql: HqSql): Promise<Map<string, JournalStanding>> {
  const rows = await sql<(JournalStanding & { store_id: string; last_seq: string; broken_seq: string | null })[]>`
    SELECT j.store_id::text, j.epoch, j.last_seq, j.broken_seq, j.broken_reason, j.broken_at
    FROM store_journal_state j JOIN stores s ON s.store_id = j.store_id AND s.epoch = j.epoch`;
  return new Map(rows.map((r) => [r.store_id, { ...r, last_seq: Number(r.last_seq), broken_seq: r.broken_seq === null ? null : Number(r.broken_seq) }]));
}
