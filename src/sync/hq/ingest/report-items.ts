// What a store reports besides its sales: its own totals of a business day ("day_totals", sent again whenever they
// change) and the Z report of each closed shift ("shift_closed"). Checked as strictly as sales: hq_receive_batch
// reads their figures from the document.
import { z } from "zod";
import { count, day, type ItemCheck, instant, minor, readDocument, text } from "./documents.ts";

// Loose objects with their keys in jsonb's order: see readDocument.

/** The store's totals of its completed sales of one business date, as its own summary shows them. */
const dayTotalsSchema = z.looseObject({
  by_method: z.record(text(100), minor), // cash net of change given
  tax_minor: minor,
  computed_at: instant,
  sales_count: count,
  total_minor: minor,
  business_date: day,
  discount_minor: minor,
  rounding_minor: minor,
});

const shiftClosedSchema = z.looseObject({
  taxes: z.array(z.looseObject({ net: minor, tax: minor, rate_bp: count, tax_class: text(100) })).max(1000),
  cash_in: minor,
  tenders: z.array(z.looseObject({ amount: minor, method: text(100).min(1) })).max(1000),
  cash_out: minor,
  no_sales: count,
  shift_id: z.int().min(1),
  closed_at: instant,
  closed_by: text(200),
  opened_at: instant,
  opened_by: text(200),
  tax_total: minor,
  cash_sales: minor,
  over_short: minor.nullable(),
  register_id: count,
  sales_count: count,
  sales_total: minor,
  counted_cash: minor.nullable(), // a shift closed without counting the drawer
  refund_total: minor,
  business_date: day,
  expected_cash: minor,
  opening_float: minor,
  discount_total: minor,
  rounding_total: minor,
  cancelled_count: count,
});

/** A "day_totals" item: the ref is the business date it reports. */
export function checkDayTotalsItem(item: { ref: unknown; payload: string }): ItemCheck {
  const r = readDocument(item.payload, dayTotalsSchema, "a day totals document");
  if (!r.ok) return r;
  if (item.ref !== r.data.business_date) return { ok: false, reason: "ref does not match the business_date in the payload" };
  return { ok: true, ref: r.data.business_date, businessDate: r.data.business_date, doc: r.doc };
}

/**
 * A "shift_closed" item: the ref is the store's shift id and when it opened, "7@2026-11-25T08:00:00.000Z". The id alone
 * is not enough: a store database restored from a backup hands out the same shift ids again.
 */
export function checkShiftClosedItem(item: { ref: unknown; payload: string }): ItemCheck {
  const r = readDocument(item.payload, shiftClosedSchema, "a closed shift document");
  if (!r.ok) return r;
  if (item.ref !== `${r.data.shift_id}@${r.data.opened_at}`) return { ok: false, reason: "ref does not match the shift_id and opened_at in the payload" };
  return { ok: true, ref: item.ref, businessDate: r.data.business_date, doc: r.doc };
}
