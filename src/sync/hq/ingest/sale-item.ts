// A "sale" outbox item as head office sees it: a completed sale document it can merge, or the reason it cannot.
// PostgreSQL takes the sale, its lines and its payments from the document itself (db/functions/hq_receive_batch.sql),
// so everything it reads there is checked here first: by the contract's schema, and by head office's own rules below.
import type { z } from "zod";
import { acceptedPayloads, contentHash, outboxRef } from "../../contracts.ts";
import { jsonText } from "./dead-letter.ts";
import { type ItemCheck, readDocument } from "./documents.ts";

/**
 * Head office's own rule on top of the contract: a line's barcode is bare digits. Product codes are let past the card
 * number gate (documents.ts), so a barcode must be no place to write anything else.
 */
const barcodeDigits = /^\d{6,20}$/;

const saleDocumentSchema = acceptedPayloads.sale.superRefine((sale, ctx) => {
  sale.lines.forEach((l, i) => {
    if (l.barcode !== null && !barcodeDigits.test(l.barcode)) {
      ctx.addIssue({ code: "custom", path: ["lines", i, "barcode"], message: "must be the digits of a barcode" });
    }
  });
});

/** The hash of a payload as the store computes it: over the JSON text as sent (a payload that is not text: its JSON). */
export function payloadHash(payload: unknown): string {
  return contentHash(typeof payload === "string" ? payload : jsonText(payload ?? null));
}

const DAY_MS = 86_400_000;

type SaleDocument = z.output<typeof saleDocumentSchema>;

/**
 * The first of head office's rules on a sale's figures it breaks, or null. As the store's totals make them
 * (domain/sale/totals.ts): the total is what the lines cost, the sum of their totals, and cash rounding is kept apart
 * in `rounding`; a completed sale never costs less than nothing (goods given back are a return, not a sale). A sale
 * that breaks them would put figures in the reports that no receipt shows, so it waits as a dead letter instead.
 */
function arithmetic(sale: SaleDocument): string | null {
  if (sale.total < 0) return `total is ${sale.total}: a completed sale never has a negative total (goods given back are a return)`;
  let lines = 0;
  for (const l of sale.lines) lines += l.total;
  if (lines !== sale.total) return `total is ${sale.total} but the lines' totals add up to ${lines}: a sale's total is the sum of its lines`;
  return null;
}

/** Checks the payload of a "sale" item. The ref is the sale id, as PostgreSQL prints a uuid. */
export function checkSaleItem(item: { ref: unknown; payload: string }): ItemCheck {
  const r = readDocument(item.payload, saleDocumentSchema, "a completed sale document", ["id"]);
  if (!r.ok) return r;
  const sale = r.data;
  if (item.ref !== outboxRef.sale(sale)) return { ok: false, reason: "ref does not match the sale id in the payload" };
  const lineNos = new Set(sale.lines.map((l) => l.line_no));
  if (lineNos.size !== sale.lines.length) return { ok: false, reason: "two lines of the sale have the same line_no" };
  const broken = arithmetic(sale);
  if (broken) return { ok: false, reason: broken };
  const businessDate = sale.business_date ?? sale.completed_at.slice(0, 10);
  // Time zones span UTC-12 to UTC+14: the store's calendar day is never more than a day from the UTC day.
  const utcDay = Math.floor(Date.parse(sale.completed_at) / DAY_MS) * DAY_MS;
  const drift = Math.abs(Date.parse(businessDate) - utcDay);
  if (drift > DAY_MS) return { ok: false, reason: "business_date is more than a day away from completed_at" };
  return { ok: true, ref: sale.id.toLowerCase(), businessDate, doc: r.doc };
}
