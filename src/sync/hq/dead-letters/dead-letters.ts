// The dead letters as people read them: open ones (still in dead_letters) and settled ones (replayed or discarded, in
// settled_dead_letters), newest first, by store; and one of them whole, with whether a replay can be tried at all.
import type { HqSql } from "../db/db.ts";
import { payloadHash } from "../ingest/sale-item.ts";
import { type StoreFilter, storesIn } from "../people/store-filter.ts";

export const deadLetterStatuses = ["open", "replayed", "discarded", "all"] as const;
export type DeadLetterStatus = (typeof deadLetterStatuses)[number];
export const isDeadLetterStatus = (s: string): s is DeadLetterStatus => (deadLetterStatuses as readonly string[]).includes(s);

/** A dead letter in a list: what the store sent (kind, ref, sequence number), why it was refused, and what became of it. */
export type DeadLetterRow = {
  id: number;
  store_id: string;
  store_name: string;
  kind: string;
  ref: string | null;
  seq: number;
  epoch: string;
  reason: string;
  at: Date;
  status: Exclude<DeadLetterStatus, "all">;
  /** replayed: "merged" (it landed) or "duplicate" (head office had it already) */
  landed: string | null;
  settled_by: string | null;
  settled_at: Date | null;
  /** why it was discarded */
  note: string | null;
  /** a replay refused again: when and by whom (reason then holds the new reason) */
  tried_at: Date | null;
  tried_by: string | null;
};

/** One dead letter whole: the item as head office kept it, and whether that is the item as the store sent it. */
export type DeadLetter = DeadLetterRow & {
  content_hash: string;
  body: Record<string, unknown>;
  /** Why a replay cannot even be tried, or null when it can (an open dead letter kept whole, its sequence number free). */
  cannotReplay: string | null;
};

export const LIST_LIMIT = 200;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isStoreId = (s: string) => uuid.test(s);

const columns = (sql: HqSql) => sql`
  x.id, x.store_id::text, st.name AS store_name, x.kind, x.body->>'ref' AS ref, x.seq, x.epoch, x.reason, x.at, x.status,
  x.landed, x.settled_by, x.settled_at, x.note, x.tried_at, x.tried_by`;

/** Open and settled dead letters in one relation, with the same columns. */
const both = (sql: HqSql) => sql`(
  SELECT d.id, d.store_id, d.epoch, d.seq, d.content_hash, d.kind, d.reason, d.body, d.at, 'open' AS status,
    NULL::text AS landed, NULL::text AS settled_by, NULL::timestamptz AS settled_at, NULL::text AS note, d.tried_at, d.tried_by
  FROM dead_letters d
  UNION ALL
  SELECT s.id, s.store_id, s.epoch, s.seq, s.content_hash, s.kind, s.reason, s.body, s.at, s.outcome,
    s.landed, s.settled_by, s.settled_at, s.note, NULL, NULL
  FROM settled_dead_letters s
) x JOIN stores st ON st.store_id = x.store_id`;

/** The newest dead letters of a status (open by default), of one store or all, at most LIST_LIMIT. */
export async function listDeadLetters(
  sql: HqSql,
  filter: { storeId: string | null; status: DeadLetterStatus; stores?: StoreFilter },
): Promise<DeadLetterRow[]> {
  if (filter.storeId !== null && !isStoreId(filter.storeId)) return [];
  const store = filter.storeId === null ? sql`` : sql`AND x.store_id = ${filter.storeId}::uuid`;
  const status = filter.status === "all" ? sql`` : sql`AND x.status = ${filter.status}`;
  return sql<DeadLetterRow[]>`
    SELECT ${columns(sql)} FROM ${both(sql)}
    WHERE true ${store} ${status} ${storesIn(sql, filter.stores ?? null, "x.store_id")}
    ORDER BY x.at DESC, x.id DESC LIMIT ${LIST_LIMIT}`;
}

/** The stores, for the filter. */
export async function storeNames(sql: HqSql): Promise<{ store_id: string; name: string }[]> {
  return sql<{ store_id: string; name: string }[]>`SELECT store_id::text, name FROM stores ORDER BY name, store_id`;
}

export const REPLAY_NEEDS_WHOLE =
  "Head office kept only part of this item (it was cut, or a card number in it was masked), so it cannot be replayed: the store must send it again. Discard it once understood.";
export const REPLAY_NEEDS_FREE_SEQ =
  "Head office holds other content under this sequence number of the store, and a replay would have to replace it. Discard this one once understood.";

/** One dead letter by its number, open or settled, or null. */
export async function findDeadLetter(sql: HqSql, id: number): Promise<DeadLetter | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const [row] = await sql<(Omit<DeadLetter, "cannotReplay"> & { ledger_status: string | null; ledger_hash: string | null })[]>`
    SELECT ${columns(sql)}, x.content_hash, x.body, l.status AS ledger_status, l.content_hash AS ledger_hash
    FROM ${both(sql)}
    LEFT JOIN outbox_items l ON l.store_id = x.store_id AND l.epoch = x.epoch AND l.seq = x.seq
    WHERE x.id = ${id}`;
  if (!row) return null;
  const { ledger_status, ledger_hash, ...dl } = row;
  return { ...dl, cannotReplay: whyNotReplayable(dl, { status: ledger_status, hash: ledger_hash }) };
}

/** Why a dead letter cannot be replayed as it is kept, or null. The replay itself checks the same under the store's lock. */
export function whyNotReplayable(
  dl: { status: string; content_hash: string; body: Record<string, unknown> },
  ledger: { status: string | null; hash: string | null },
): string | null {
  if (dl.status !== "open") return `This dead letter was ${dl.status} already.`;
  const payload = dl.body.payload;
  // what the store sent hashes to content_hash; a cut or masked copy, or one head office wrote from its reading, does not
  if (typeof payload !== "string" || "cut" in dl.body || payloadHash(payload) !== dl.content_hash) return REPLAY_NEEDS_WHOLE;
  if (ledger.status !== "dead_letter" || ledger.hash !== dl.content_hash) return REPLAY_NEEDS_FREE_SEQ;
  return null;
}
