// A "return" outbox item as head office sees it: a completed return it can merge, or the reason it cannot.
// PostgreSQL takes the return, its lines and its refunds from the document (db/functions/hq_receive_batch.sql), so what
// it reads there is checked here first: by the contract's schema, and by the store's own arithmetic, which head office
// does not take on trust — its refunds are summed into every store's net figures.
import type { z } from "zod";
import { acceptedPayloads, outboxRef, RETURN_NUMBER } from "../../contracts.ts";
import { type ItemCheck, readDocument } from "./documents.ts";

/**
 * A return's number as the store gives it: R, the register (three digits or more), a dash, the register's own gapless
 * count (six digits or more): R001-000042 (src/server/db/migrations/012_returns.sql).
 */

const DAY_MS = 86_400_000;

/** Whole minor units added up, or null once the sum leaves the integers a double holds exactly. */
function sum(amounts: readonly number[]): number | null {
  let s = 0;
  for (const a of amounts) {
    s += a;
    if (!Number.isSafeInteger(s)) return null;
  }
  return s;
}

type ReturnDocument = z.output<(typeof acceptedPayloads)["return"]>;

/** The first of head office's rules a return breaks, or null. */
function arithmetic(r: ReturnDocument): string | null {
  if (!RETURN_NUMBER.test(r.return_number)) return "return_number must be R, the register, a dash and the count (R001-000042)";
  if (new Set(r.lines.map((l) => l.line_no)).size !== r.lines.length) return "two lines of the return have the same line_no";
  for (const [i, l] of r.lines.entries()) {
    if (!(l.qty > 0)) return `lines[${i}].qty: a returned quantity is more than zero`;
    if (l.refund < 0 || l.tax < 0) return `lines[${i}]: refund and tax are never negative`;
  }
  if (r.total < 0 || r.tax_total < 0) return "total and tax_total are never negative";
  for (const [i, p] of r.refunds.entries()) if (p.amount < 0) return `refunds[${i}].amount: a refund is never negative`;
  if (sum(r.lines.map((l) => l.refund)) !== r.total) return "total is not the sum of the lines' refunds";
  if (sum(r.lines.map((l) => l.tax)) !== r.tax_total) return "tax_total is not the sum of the lines' tax";
  // As at the store (domain/return): the tenders give back the goods' value with the cash rounded, so they come to
  // total + rounding (13.47 of goods, 13.45 in cash: rounding -0.02).
  const given = sum(r.refunds.map((p) => p.amount));
  if (given === null || given - r.rounding !== r.total) return "the refunds less rounding do not come to the total";
  return null;
}

/** Checks the payload of a "return" item. The ref is the return id, as PostgreSQL prints a uuid. */
export function checkReturnItem(item: { ref: unknown; payload: string }): ItemCheck {
  const r = readDocument(item.payload, acceptedPayloads.return, "a completed return document", ["id", "sale_id"]);
  if (!r.ok) return r;
  const doc = r.data;
  if (item.ref !== outboxRef.return(doc)) return { ok: false, reason: "ref does not match the return id in the payload" };
  const broken = arithmetic(doc);
  if (broken) return { ok: false, reason: broken };
  // Time zones span UTC-12 to UTC+14: the store's calendar day is never more than a day from the UTC day.
  const utcDay = Math.floor(Date.parse(doc.at) / DAY_MS) * DAY_MS;
  if (Math.abs(Date.parse(doc.business_date) - utcDay) > DAY_MS) return { ok: false, reason: "business_date is more than a day away from at" };
  return { ok: true, ref: doc.id.toLowerCase(), businessDate: doc.business_date, doc: r.doc };
}
