// What a store reports besides its sales: its own totals of a business day ("day_totals", sent again whenever they
// change) and the Z report of each closed shift ("shift_closed"). Checked as strictly as sales, by the contract's
// schemas: hq_receive_batch reads their figures from the document.
import { acceptedPayloads, outboxRef } from "../../contracts.ts";
import { type ItemCheck, readDocument } from "./documents.ts";

/** A "day_totals" item: the ref is the business date it reports. */
export function checkDayTotalsItem(item: { ref: unknown; payload: string }): ItemCheck {
  const r = readDocument(item.payload, acceptedPayloads.day_totals, "a day totals document");
  if (!r.ok) return r;
  if (item.ref !== outboxRef.day_totals(r.data)) return { ok: false, reason: "ref does not match the business_date in the payload" };
  return { ok: true, ref: r.data.business_date, businessDate: r.data.business_date, doc: r.doc };
}

/** A "shift_closed" item: the ref is the store's shift id and when it opened, "7@2026-11-25T08:00:00.000Z". */
export function checkShiftClosedItem(item: { ref: unknown; payload: string }): ItemCheck {
  const r = readDocument(item.payload, acceptedPayloads.shift_closed, "a closed shift document");
  if (!r.ok) return r;
  const ref = outboxRef.shift_closed(r.data);
  if (item.ref !== ref) return { ok: false, reason: "ref does not match the shift_id and opened_at in the payload" };
  return { ok: true, ref, businessDate: r.data.business_date, doc: r.doc };
}
