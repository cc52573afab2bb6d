// A "sale" outbox item as head office sees it: a completed sale document it can merge, or the reason it cannot.
// PostgreSQL takes the sale, its lines and its payments from the document itself (hq_receive_batch, 003_ingest.sql),
// so everything it reads there is checked here first.
import { z } from "zod";
import { jsonText } from "./dead-letter.ts";
import { count, day, INT4_MAX, type ItemCheck, instant, minor, readDocument, text } from "./documents.ts";

const optText = (max: number) => text(max).nullable().optional();

/** Quantities are kept in thousandths (qty_milli): a quantity with finer digits would be rounded without a word. */
const thousandths = z
  .number()
  .min(-1e9)
  .max(1e9)
  .refine((q) => Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6, "must be a whole number of thousandths");

// Loose objects with their keys in jsonb's order: see readDocument.
const lineSchema = z.looseObject({
  qty: thousandths,
  sku: text(200),
  tax: minor,
  name: text(1000),
  total: minor,
  amount: minor,
  barcode: z
    .string()
    .regex(/^\d{6,20}$/, "must be the digits of a barcode")
    .nullable(),
  line_no: z.int().min(1).max(INT4_MAX),
  weighed: z.boolean(),
  discount: minor,
  tax_class: text(100),
  product_id: z.int(),
  unit_price: minor,
  tax_rate_bp: count,
  original_price: minor.optional(),
});

const paymentSchema = z.looseObject({
  amount: minor,
  method: text(100).min(1),
  auth_code: optText(100),
  card_brand: optText(100),
  card_last4: optText(4),
  terminal_ref: optText(200),
});

/** The sale document of src/server/sales/sale-document.ts, as far as head office relies on it. */
const saleDocumentSchema = z.looseObject({
  id: z.uuid(),
  paid: minor,
  lines: z.array(lineSchema).max(100_000),
  total: minor,
  change: minor,
  status: z.literal("completed"),
  payments: z.array(paymentSchema).max(10_000),
  rounding: minor,
  subtotal: minor,
  opened_at: instant,
  tax_total: minor,
  register_id: count,
  completed_at: instant,
  business_date: day.optional(), // the store's calendar day; without it, the day written in completed_at
  discount_total: minor,
  receipt_number: text(100).min(1),
});

export function sha256Hex(text: string): string {
  return Bun.SHA256.hash(text, "hex");
}

/** The hash of a payload as the store computes it: over the JSON text as sent (a payload that is not text: its JSON). */
export function payloadHash(payload: unknown): string {
  return sha256Hex(typeof payload === "string" ? payload : jsonText(payload ?? null));
}

const DAY_MS = 86_400_000;

/** Checks the payload of a "sale" item. The ref is the sale id, as PostgreSQL prints a uuid. */
export function checkSaleItem(item: { ref: unknown; payload: string }): ItemCheck {
  const r = readDocument(item.payload, saleDocumentSchema, "a completed sale document", ["id"]);
  if (!r.ok) return r;
  const sale = r.data;
  if (item.ref !== sale.id) return { ok: false, reason: "ref does not match the sale id in the payload" };
  const lineNos = new Set(sale.lines.map((l) => l.line_no));
  if (lineNos.size !== sale.lines.length) return { ok: false, reason: "two lines of the sale have the same line_no" };
  const businessDate = sale.business_date ?? sale.completed_at.slice(0, 10);
  // Time zones span UTC-12 to UTC+14: the store's calendar day is never more than a day from the UTC day.
  const utcDay = Math.floor(Date.parse(sale.completed_at) / DAY_MS) * DAY_MS;
  const drift = Math.abs(Date.parse(businessDate) - utcDay);
  if (drift > DAY_MS) return { ok: false, reason: "business_date is more than a day away from completed_at" };
  return { ok: true, ref: sale.id.toLowerCase(), businessDate, doc: r.doc };
}
