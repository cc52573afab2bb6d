// Settling a dead letter, each in one transaction under the store's lock (the one its batches take), audited:
// replaying it through the same checks and the same merge as a batch item — it lands exactly once, or its reason is
// brought up to date — or discarding it with a reason.
import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";
import { hqAudit } from "../audit/audit.ts";
import { ensurePartitions, HQ_LOCK_NAMESPACE, type HqSql, type HqTransaction } from "../db/db.ts";
import { judgeAgain } from "../ingest/receiver.ts";
import { type DeadLetter, findDeadLetter, whyNotReplayable } from "./dead-letters.ts";

/** What a replay did: the item landed ("merged"), head office had it already ("duplicate"), or it was refused again. */
export type ReplayOutcome = { landed: "merged" | "duplicate" } | { refused: string };

/** One line of head office's audit log, written in the transaction of the change it records. */
async function audit(tx: HqTransaction, e: { who: string; action: string; dl: DeadLetter; before: unknown; after: unknown }): Promise<void> {
  const subject = `dead letter ${e.dl.id} (${e.dl.kind} ${e.dl.ref ?? ""} seq ${e.dl.seq})`;
  await hqAudit(tx, { who: e.who, action: e.action, storeId: e.dl.store_id, subject, before: e.before, after: e.after });
}

async function openDeadLetter(sql: HqSql, id: number): Promise<DeadLetter> {
  const dl = await findDeadLetter(sql, id);
  if (!dl) throw new Problem("dead_letter_not_found", `Head office has no dead letter number ${String(id).slice(0, 20)}.`);
  if (dl.status !== "open") throw settled(dl);
  return dl;
}

const settled = (dl: { id: number; status: string }) =>
  new Problem("dead_letter_settled", `Dead letter ${dl.id} was ${dl.status} already; nothing was changed.`, { status: dl.status });

/** Under the store's lock, the dead letter still open as it was read (another person may have settled it meanwhile). */
async function lockOpen(tx: HqTransaction, dl: DeadLetter): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, hashtext(${dl.store_id}::uuid::text))`;
  const [row] = await tx<{ content_hash: string }[]>`SELECT content_hash FROM dead_letters WHERE id = ${dl.id} FOR UPDATE`;
  if (!row) throw settled({ id: dl.id, status: "settled" });
}

/** The open dead letter leaves dead_letters for settled_dead_letters, with what became of it. */
async function settle(tx: HqTransaction, dl: DeadLetter, s: { outcome: "replayed" | "discarded"; landed: string | null; by: string; note: string | null }) {
  await tx`
    WITH gone AS (DELETE FROM dead_letters WHERE id = ${dl.id} RETURNING *)
    INSERT INTO settled_dead_letters (store_id, id, epoch, seq, content_hash, kind, reason, body, at, outcome, landed, settled_by, note)
    SELECT store_id, id, epoch, seq, content_hash, kind, reason, body, at, ${s.outcome}, ${s.landed}, ${s.by}, ${s.note} FROM gone`;
}

/**
 * Replay a dead letter: its item as the store sent it goes through the checks a batch item goes through now. Refused
 * again: its reason is the new one. Accepted: hq_receive_batch merges it as a one-item batch at its own sequence number
 * (the ledger entry that said "dead letter" is taken out first and written again by it), so the ledger, the sales and
 * returns, the stock and the rollups follow exactly as for a batch, and a document head office holds by another way is
 * a duplicate, never a second copy. The store's own position (epoch, last_seq, last contact) is put back as it was.
 */
export async function replayDeadLetter(sql: HqSql, id: number, who: string): Promise<ReplayOutcome> {
  const dl = await openDeadLetter(sql, id);
  const item = { seq: dl.seq, kind: dl.body.kind, ref: dl.body.ref, hash: dl.content_hash, payload: dl.body.payload };
  const judged = judgeAgain(item, dl.content_hash);
  // partition DDL takes strong locks: made before, never under the store's lock (as receiveBatch does)
  if (judged.check.ok && judged.partitioned) await ensurePartitions(sql, [judged.check.businessDate]);

  return sql.begin(async (tx) => {
    await lockOpen(tx, dl);
    const [ledger] = await tx<{ status: string; content_hash: string }[]>`
      SELECT status, content_hash FROM outbox_items WHERE store_id = ${dl.store_id}::uuid AND epoch = ${dl.epoch} AND seq = ${dl.seq} FOR UPDATE`;
    const why = whyNotReplayable(dl, { status: ledger?.status ?? null, hash: ledger?.content_hash ?? null });
    if (why) throw new Problem("dead_letter_unreplayable", why);
    if (!judged.check.ok) return refusedAgain(tx, dl, judged.check.reason, who);
    if (dl.kind === "stock_movements") await refuseOlderStock(tx, dl, judged.doc);

    const [store] = await tx<{ epoch: string | null; last_seq: number; last_contact_at: Date | null }[]>`
      SELECT epoch, last_seq, last_contact_at FROM stores WHERE store_id = ${dl.store_id}::uuid FOR UPDATE`;
    await tx`DELETE FROM outbox_items WHERE store_id = ${dl.store_id}::uuid AND epoch = ${dl.epoch} AND seq = ${dl.seq}`;
    await tx`UPDATE stores SET epoch = ${dl.epoch}, last_seq = ${dl.seq - 1} WHERE store_id = ${dl.store_id}::uuid`;
    const [merged] = await tx<{ r: { outcome: string } }[]>`
      SELECT hq_receive_batch(${dl.store_id}::uuid, ${dl.epoch}::text, ${dl.seq}::bigint, ${dl.seq}::bigint,
        ${JSON.stringify([judged.entry])}::text::jsonb, ${judged.doc}::text, ${judged.sentences}::text::jsonb) AS r`;
    if (merged!.r.outcome !== "ok") throw new Error(`replay of dead letter ${dl.id}: hq_receive_batch answered ${JSON.stringify(merged!.r)}`);
    await tx`UPDATE stores SET epoch = ${store!.epoch}, last_seq = ${store!.last_seq}, last_contact_at = ${store!.last_contact_at}
      WHERE store_id = ${dl.store_id}::uuid`;

    const [fate] = await tx<{ status: string }[]>`
      SELECT status FROM outbox_items WHERE store_id = ${dl.store_id}::uuid AND epoch = ${dl.epoch} AND seq = ${dl.seq}`;
    if (fate!.status === "dead_letter") {
      // refused by the merge itself: another version of the document is held already
      const sentences = JSON.parse(judged.sentences) as { other_document: Record<string, string> };
      return refusedAgain(tx, dl, sentences.other_document[dl.kind] ?? "refused by head office's merge", who);
    }
    const landed = fate!.status === "merged" ? "merged" : "duplicate";
    await settle(tx, dl, { outcome: "replayed", landed, by: who, note: null });
    await audit(tx, { who, action: "dead_letter.replayed", dl, before: { status: "open", reason: dl.reason }, after: { status: "replayed", landed } });
    return { landed };
  });
}

async function refusedAgain(tx: HqTransaction, dl: DeadLetter, reason: string, who: string): Promise<ReplayOutcome> {
  await tx`UPDATE dead_letters SET reason = ${reason}, tried_at = now(), tried_by = ${who} WHERE id = ${dl.id}`;
  await audit(tx, { who, action: "dead_letter.replay_refused", dl, before: { reason: dl.reason }, after: { reason } });
  return { refused: reason };
}

/** A store's stock levels follow its latest movement: older movements replayed after later ones would move them back. */
async function refuseOlderStock(tx: HqTransaction, dl: DeadLetter, doc: string): Promise<void> {
  const movements = (JSON.parse(doc) as { movements: { id: number }[] }).movements;
  const last = movements.at(-1)?.id ?? 0;
  const [later] = await tx`
    SELECT 1 FROM hq_stock_movements WHERE store_id = ${dl.store_id}::uuid AND epoch = ${dl.epoch} AND movement_id > ${last} LIMIT 1`;
  if (later) {
    throw new Problem(
      "dead_letter_unreplayable",
      "Head office holds later stock movements of this store; replaying these older ones would move its stock levels back. Discard this: the store's next count sets the levels.",
    );
  }
}

/** Why a dead letter is discarded: required, said in a few words, through the text gate. */
export function discardReason(value: unknown): string {
  const reason = typeof value === "string" ? value.trim() : "";
  if (reason.length < 3 || reason.length > 500) {
    throw new Problem("reason_required", "Say why this dead letter is discarded (3 to 500 characters): it stays in the audit log.");
  }
  const problem = textProblem(reason, "The reason", { max: 500, lines: true });
  if (problem) throw new Problem(problem.code, problem.message, { field: "reason" });
  return reason;
}

/** Discard a dead letter: it stays on record as discarded, with who, when and why; the store's ledger is untouched. */
export async function discardDeadLetter(sql: HqSql, id: number, who: string, reason: unknown): Promise<void> {
  const note = discardReason(reason);
  const dl = await openDeadLetter(sql, id);
  await sql.begin(async (tx) => {
    await lockOpen(tx, dl);
    await settle(tx, dl, { outcome: "discarded", landed: null, by: who, note });
    await audit(tx, { who, action: "dead_letter.discarded", dl, before: { status: "open", reason: dl.reason }, after: { status: "discarded", note } });
  });
}
