// One outbox item as head office sees it: the rows of a sale to merge, or the reason it cannot be merged.
// Pure: everything PostgreSQL would refuse mid-transaction (bad dates, NUL characters, lone surrogates, duplicate
// line numbers, numbers out of range) is caught here, so a bad item becomes a dead letter instead of blocking the queue.
import { z } from "zod";

export type ItemCheck =
  | { ok: true; saleId: string; businessDate: string; rows: SaleRows }
  | { ok: false; reason: string };

export type SaleRows = { sale: SaleRow; lines: LineRow[]; payments: PaymentRow[] };

export type SaleRow = {
  sale_id: string; business_date: string; receipt_number: string; register_id: number; opened_at: string; completed_at: string;
  subtotal_minor: number; total_minor: number; tax_minor: number; discount_minor: number; rounding_minor: number;
  paid_minor: number; change_minor: number; payload: unknown; content_hash: string; seq: number;
};

export type LineRow = {
  seq: number; sale_id: string; business_date: string; line_no: number; product_id: number; sku: string; barcode: string | null; name: string;
  qty_milli: number; weighed: boolean; unit_price_minor: number; original_price_minor: number | null; amount_minor: number;
  discount_minor: number; tax_class: string; tax_rate_bp: number; tax_minor: number; total_minor: number;
};

export type PaymentRow = {
  seq: number; sale_id: string; business_date: string; n: number; method: string; amount_minor: number;
  card_brand: string | null; card_last4: string | null; auth_code: string | null; terminal_ref: string | null;
};

const INT4_MAX = 2_147_483_647;
const minor = z.int(); // safe integers: far inside bigint
const text = (max: number) => z.string().max(max);
const optText = (max: number) => text(max).nullable().optional();

const isoInstant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDay(y: number, m: number, d: number): boolean {
  return y >= 2000 && y < 2200 && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const instant = z.string().refine((s) => {
  const m = isoInstant.exec(s);
  if (!m) return false;
  return validDay(Number(m[1]), Number(m[2]), Number(m[3])) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
}, "must be an ISO 8601 instant between the years 2000 and 2199");

const day = z.string().refine((s) => {
  const m = isoDay.exec(s);
  return !!m && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}, "must be a date YYYY-MM-DD between the years 2000 and 2199");

const lineSchema = z.object({
  line_no: z.int().min(1).max(INT4_MAX),
  product_id: z.int(),
  sku: text(200),
  barcode: text(200).nullable(),
  name: text(1000),
  qty: z.number().min(-1e9).max(1e9),
  weighed: z.boolean(),
  unit_price: minor,
  original_price: minor.optional(),
  amount: minor,
  discount: minor,
  tax_class: text(100),
  tax_rate_bp: z.int().min(0).max(INT4_MAX),
  tax: minor,
  total: minor,
});

const paymentSchema = z.object({
  method: text(100).min(1),
  amount: minor,
  card_brand: optText(100),
  card_last4: optText(4),
  auth_code: optText(100),
  terminal_ref: optText(200),
});

/** The sale document of src/server/sales/sale-document.ts, as far as head office relies on it. */
const saleDocumentSchema = z.object({
  id: z.uuid(),
  register_id: z.int().min(0).max(INT4_MAX),
  status: z.literal("completed"),
  receipt_number: text(100).min(1),
  opened_at: instant,
  completed_at: instant,
  business_date: day.optional(), // the store's calendar day; without it, the UTC day of completed_at
  lines: z.array(lineSchema).max(100_000),
  subtotal: minor,
  discount_total: minor,
  tax_total: minor,
  total: minor,
  rounding: minor,
  paid: minor,
  change: minor,
  payments: z.array(paymentSchema).max(10_000),
});

export function sha256Hex(text: string): string {
  return new Bun.CryptoHasher("sha256").update(text).digest("hex");
}

/** The hash of a payload as the store computes it: over the JSON text as sent. */
export function payloadHash(payload: unknown): string {
  return sha256Hex(typeof payload === "string" ? payload : JSON.stringify(payload) ?? "null");
}

const MAX_DEPTH = 32;

/**
 * What PostgreSQL's text and jsonb would refuse: NUL characters, unpaired surrogates, nesting deeper than its parser
 * goes. Returns where the first problem is, or null.
 */
function unstorable(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === "string") {
    return value.includes("\u0000") || !value.isWellFormed() ? `${path || "(payload)"}: text with a NUL character or an unpaired surrogate` : null;
  }
  if (value === null || typeof value !== "object") return null;
  if (depth >= MAX_DEPTH) return `${path || "(payload)"}: nested more than ${MAX_DEPTH} deep`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = unstorable(value[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const p = unstorable(k, path) ?? unstorable(v, path ? `${path}.${k}` : k, depth + 1);
    if (p) return p;
  }
  return null;
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("") || "(payload)";
}

/** Checks a "sale" item whose hash has already been verified, and turns it into rows. */
export function checkSaleItem(item: { seq: number; ref: unknown; payload: string }, contentHash: string): ItemCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(item.payload);
  } catch {
    return { ok: false, reason: "payload is not valid JSON" };
  }
  const bad = unstorable(parsed, "");
  if (bad) return { ok: false, reason: bad };
  const r = saleDocumentSchema.safeParse(parsed);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { ok: false, reason: `not a completed sale document: ${issuePath(issue.path)}: ${issue.message}` };
  }
  const doc = r.data;
  if (item.ref !== doc.id) return { ok: false, reason: "ref does not match the sale id in the payload" };
  const lineNos = new Set(doc.lines.map((l) => l.line_no));
  if (lineNos.size !== doc.lines.length) return { ok: false, reason: "two lines of the sale have the same line_no" };
  // Without a business_date, the calendar day written in completed_at (the store's own offset, or UTC).
  const businessDate = doc.business_date ?? doc.completed_at.slice(0, 10);
  // Time zones span UTC-12 to UTC+14: the store's calendar day is never more than a day from the UTC day.
  const drift = Math.abs(Date.parse(businessDate) - Date.parse(new Date(doc.completed_at).toISOString().slice(0, 10)));
  if (drift > 86_400_000) return { ok: false, reason: "business_date is more than a day away from completed_at" };

  const saleId = doc.id.toLowerCase(); // as PostgreSQL prints a uuid
  const key = { sale_id: saleId, business_date: businessDate };
  return {
    ok: true,
    saleId,
    businessDate,
    rows: {
      sale: {
        ...key, receipt_number: doc.receipt_number, register_id: doc.register_id, opened_at: doc.opened_at,
        completed_at: doc.completed_at, subtotal_minor: doc.subtotal, total_minor: doc.total, tax_minor: doc.tax_total,
        discount_minor: doc.discount_total, rounding_minor: doc.rounding, paid_minor: doc.paid, change_minor: doc.change,
        payload: parsed, content_hash: contentHash, seq: item.seq,
      },
      lines: doc.lines.map((l) => ({
        seq: item.seq, ...key, line_no: l.line_no, product_id: l.product_id, sku: l.sku, barcode: l.barcode, name: l.name,
        qty_milli: Math.round(l.qty * 1000), weighed: l.weighed, unit_price_minor: l.unit_price,
        original_price_minor: l.original_price ?? null, amount_minor: l.amount, discount_minor: l.discount,
        tax_class: l.tax_class, tax_rate_bp: l.tax_rate_bp, tax_minor: l.tax, total_minor: l.total,
      })),
      payments: doc.payments.map((p, i) => ({
        seq: item.seq, ...key, n: i + 1, method: p.method, amount_minor: p.amount, card_brand: p.card_brand ?? null,
        card_last4: p.card_last4 ?? null, auth_code: p.auth_code ?? null, terminal_ref: p.terminal_ref ?? null,
      })),
    },
  };
}
