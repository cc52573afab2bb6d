// What a store's reported restored database would bring, read from the batches head office refused under that epoch:
// how many items, sales and their total, the time range, and how much of it head office holds already. Kept on the
// store's row (restored_summary) so the admin who accepts it sees what will be merged before deciding.

import type { HqSql } from "../db/db.ts";

/** The part of a refused batch the summary needs; items as received, nothing trusted beyond their shape. */
export type RefusedBatch = { epoch: string; from: number; to: number; top: number | null; items: { kind?: unknown; ref?: unknown; payload?: unknown }[] };

export type RestoredSummary = {
  /** The sequence numbers seen (the first batch the store sends again) and how many the store holds in all. */
  from_seq: number;
  to_seq: number;
  outbox_top: number | null;
  sales: number;
  sales_total: number;
  /** Of those sales, the ones head office already holds (they come back as duplicates) and their total. */
  held_sales: number;
  held_total: number;
  returns: number;
  other_items: number;
  first_at: string | null;
  last_at: string | null;
};

type SaleSeen = { ref: string; total: number; at: string | null };

function saleOf(item: RefusedBatch["items"][number]): SaleSeen | null {
  if (item.kind !== "sale" || typeof item.ref !== "string" || typeof item.payload !== "string") return null;
  try {
    const doc = JSON.parse(item.payload) as { total?: unknown; completed_at?: unknown };
    const total = Number.isSafeInteger(doc.total) ? (doc.total as number) : 0;
    const at = typeof doc.completed_at === "string" && !Number.isNaN(Date.parse(doc.completed_at)) ? new Date(doc.completed_at).toISOString() : null;
    return { ref: item.ref, total, at };
  } catch {
    return null;
  }
}

/**
 * Keep what this refused batch says, when `epoch` is still the one reported (a batch of an epoch reported before and
 * since replaced changes nothing). A figure for people, written after the refusal: it takes no lock of the store's.
 */
export async function noteRestoredBatch(sql: HqSql, storeId: string, batch: RefusedBatch): Promise<void> {
  const sales: SaleSeen[] = [];
  let returns = 0;
  for (const it of batch.items) {
    const s = saleOf(it);
    if (s) sales.push(s);
    else if (it.kind === "return") returns++;
  }
  const times = sales.flatMap((s) => (s.at ? [s.at] : [])).sort();
  const summary = {
    from_seq: batch.from,
    to_seq: batch.to,
    outbox_top: batch.top,
    sales: sales.length,
    sales_total: sales.reduce((a, s) => a + s.total, 0),
    returns,
    other_items: batch.items.length - sales.length - returns,
    first_at: times[0] ?? null,
    last_at: times.at(-1) ?? null,
  };
  await sql`
    UPDATE stores SET restored_summary = ${JSON.stringify(summary)}::text::jsonb || (
      SELECT jsonb_build_object('held_sales', count(*), 'held_total', coalesce(sum(s.total), 0))
      FROM jsonb_to_recordset(${JSON.stringify(sales.map(({ ref, total }) => ({ ref, total })))}::text::jsonb) AS s(ref text, total bigint)
      WHERE EXISTS (SELECT 1 FROM outbox_items o WHERE o.store_id = ${storeId}::uuid AND o.kind = 'sale' AND o.ref = s.ref AND o.status = 'merged')
    )
    WHERE store_id = ${storeId}::uuid AND restored_epoch = ${batch.epoch}`;
}
