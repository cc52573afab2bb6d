// What a store reports besides its sales: its own totals of a business day ("day_totals", sent again whenever they
// change) and the Z report of each closed shift ("shift_closed"). Checked as strictly as sales: hq_receive_batch
// reads their figures from the document.
import { z } from "zod";
import { count, day, instant, minor, readDocument, text, type ItemCheck } from "./documents.ts";

/** The store's totals of its completed sales of one business date, as its own summary shows them. */
const dayTotalsSchema = z.object({
  business_date: day,
  sales_count: count,
  total_minor: minor,
  tax_minor: minor,
  discount_minor: minor,
  rounding_minor: minor,
  by_method: z.record(text(100), minor), // cash net of change given
  computed_at: instant,
});

const shiftClosedSchema = z.object({
  shift_id: z.int().min(1),
  register_id: count,
  opened_at: instant,
  closed_at: instant,
  business_date: day,
  opened_by: text(200),
  closed_by: text(200),
  opening_float: minor,
  sales_count: count,
  sales_total: minor,
  discount_total: minor,
  rounding_total: minor,
  cancelled_count: count,
  refund_total: minor,
  tax_total: minor,
  taxes: z.array(z.object({ tax_class: text(100), rate_bp: count, net: minor, tax: minor })).max(1000),
  tenders: z.array(z.object({ method: text(100).min(1), amount: minor })).max(1000),
  cash_in: minor,
  cash_out: minor,
  no_sales: count,
  cash_sales: minor,
  expected_cash: minor,
  counted_cash: minor.nullable(), // a shift closed without counting the drawer
  over_short: minor.nullable(),
});

/** A "day_totals" item: the ref is the business date it reports. */
export function checkDayTotalsItem(item: { ref: unknown; payload: string }): ItemCheck {
  const r = readDocument(item.payload, dayTotalsSchema, "a day totals document");
  if (!r.ok) return r;
  if (item.ref !== r.data.business_date) return { ok: false, reason: "ref does not match the business_date in the payload" };
  return { ok: true, ref: r.data.business_date, businessDate: r.data.business_date, doc: r.doc };
}

/** A "shift_closed" item: the ref is the store's shift id in decimal. */
export function checkShiftClosedItem(item: { ref: unknown; payload: string }): ItemCheck {
  const r = readDocument(item.payload, shiftClosedSchema, "a closed shift document");
  if (!r.ok) return r;
  if (item.ref !== String(r.data.shift_id)) return { ok: false, reason: "ref does not match the shift_id in the payload" };
  return { ok: true, ref: item.ref, businessDate: r.data.business_date, doc: r.doc };
}
