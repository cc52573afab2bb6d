// What a store and its head office say to each other: the one definition both programs use (DESIGN §7).
// Up: outbox items (one schema per kind) in batches, and head office's reply. Down: catalog changes,
// in catalog-contracts.ts.
// Stores and head offices of different versions talk to each other, so this is the wire format: a change here must
// still read what older programs send and be read by them. Imports nothing but zod, the domain and shared platform pieces (the text gate, SHA-256).
import { z } from "zod";
import { isCalendarDate, isInstant, tradingYears } from "../domain/kernel/calendar.ts";
import { sha256Hex } from "../server/platform/auth/secrets.ts";

/** Sales figures of a period, in minor units: the store's /api/v1/summary and head office's per-store summary alike. */
export type SalesSummary = {
  from: string | null;
  to: string | null;
  sales_count: number;
  total_minor: number;
  tax_minor: number;
  discount_minor: number;
  rounding_minor: number;
  by_method: Record<string, number>;
};

/** Where in a value: a.b[0].c, or `whole` for the value itself. */
export function issuePath(path: readonly PropertyKey[], whole = "(payload)"): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("") || whole;
}

/** Parse `value` or throw one plain sentence: what it is not, where and why (zod's first issue). */
export function readAs<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new Error(`not ${what}: ${issuePath(issue.path, "(whole)")}: ${issue.message}`);
}

// Values. Bounds are what head office stores (PostgreSQL integer, bigint, text), so a store learns of them here.

export const INT4_MAX = 2_147_483_647;
/** Money in minor units: safe integers, far inside bigint. */
export const minor = z.int();
/** A count that fits PostgreSQL's integer. */
export const count = z.int().min(0).max(INT4_MAX);
export const text = (max: number) => z.string().max(max);
const optText = (max: number) => text(max).nullable().optional();
export const instant = z.string().refine((s) => isInstant(s, tradingYears), "must be an ISO 8601 instant between the years 2000 and 2199");
export const day = z.string().refine((s) => isCalendarDate(s, tradingYears), "must be a date YYYY-MM-DD between the years 2000 and 2199");
/** Quantities are kept in thousandths (qty_milli): a quantity with finer digits would be rounded without a word. */
const thousandths = z
  .number()
  .min(-1e9)
  .max(1e9)
  .refine((q) => Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6, "must be a whole number of thousandths");

// Outbox documents.

/** How an object of a document treats keys it does not declare (see outboxPayloads and acceptedPayloads). */
type MakeObject<C extends z.core.$ZodObjectConfig> = <S extends z.core.$ZodLooseShape>(shape: S) => z.ZodObject<S, C>;

/**
 * The document each outbox kind carries. Adding a kind starts here: the store's outbox then takes its document, and
 * nothing compiles until outboxRef below and head office's checks (ingest/receiver.ts) have it too. Keys are declared
 * in jsonb's order (shorter first, then bytewise): head office writes documents again in that order, and PostgreSQL
 * then finds them sorted already.
 */
function documents<C extends z.core.$ZodObjectConfig>(object: MakeObject<C>) {
  const taxLine = object({ net: minor, tax: minor, rate_bp: count, tax_class: text(100) });
  const saleLine = object({
    qty: thousandths,
    sku: text(200),
    tax: minor,
    name: text(1000),
    total: minor,
    amount: minor,
    barcode: text(200).nullable(),
    line_no: z.int().min(1).max(INT4_MAX),
    weighed: z.boolean(),
    discount: minor,
    tax_class: text(100),
    product_id: z.int(),
    unit_price: minor,
    tax_rate_bp: count,
    // both only on a line whose price was overridden
    original_price: minor.optional(),
    override_reason: optText(1000),
  });
  const payment = object({
    amount: minor,
    method: text(100).min(1),
    // the four only on a card payment; never a card number (head office refuses one anywhere)
    auth_code: optText(100),
    card_brand: optText(100),
    card_last4: optText(4),
    terminal_ref: optText(200),
  });
  /** A completed sale (src/server/selling/sale-document.ts). */
  const sale = object({
    id: z.uuid(),
    due: minor,
    paid: minor,
    lines: z.array(saleLine).max(100_000),
    taxes: z.array(taxLine).max(1000),
    total: minor,
    change: minor,
    status: z.literal("completed"),
    payments: z.array(payment).max(10_000),
    rounding: minor,
    subtotal: minor,
    opened_at: instant,
    tax_total: minor,
    register_id: count,
    completed_at: instant,
    business_date: day.optional(), // the store's calendar day; stores before it was sent: the day of completed_at
    discount_total: minor,
    receipt_number: text(100).min(1),
  });
  /** A line given back, against the original sale's line (line_no); restock false: written off (damaged). */
  const returnLine = object({
    qty: thousandths,
    sku: text(200),
    tax: minor,
    name: text(1000),
    refund: minor,
    line_no: z.int().min(1).max(INT4_MAX),
    restock: z.boolean(),
    tax_class: text(100),
    product_id: z.int(),
    tax_rate_bp: count,
  });
  /** A completed return (src/server/returns/): what came back, what was refunded with which tender. */
  const saleReturn = object({
    at: instant,
    id: z.uuid(),
    lines: z.array(returnLine).min(1).max(100_000),
    taxes: z.array(taxLine).max(1000),
    total: minor, // the goods' value refunded
    reason: text(200),
    refunds: z.array(payment).max(1000), // none when what came back was worth nothing (a free item)
    sale_id: z.uuid().nullable(), // null: no receipt (the goods priced from the catalog of the day)
    rounding: minor, // cash rounding on the cash given back: the refunds add up to total + rounding (as a sale's)
    tax_total: minor,
    reason_code: text(100),
    register_id: count,
    business_date: day,
    return_number: text(100).min(1),
    receipt_number: text(100).min(1).nullable(),
    origin_store_id: z.guid().optional(), // the sale was another store's (its receipt found through head office)
  });
  /** The Z report of a closed shift: figures in minor units, people by name. */
  const shiftClosed = object({
    taxes: z.array(taxLine).max(1000),
    cash_in: minor,
    tenders: z.array(object({ amount: minor, method: text(100).min(1) })).max(1000),
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
  /** The store's own totals of one business date, sent again whenever they change, for reconciliation. */
  const dayTotals = object({
    by_method: z.record(text(100), minor), // cash net of change given
    tax_minor: minor,
    computed_at: instant,
    sales_count: count,
    total_minor: minor,
    refund_minor: minor.optional(), // the goods' value the day's returns refunded: the sum of their totals (a store before returns sends none)
    business_date: day,
    returns_count: count.optional(),
    discount_minor: minor,
    rounding_minor: minor,
  });
  /**
   * One stock movement of the store's ledger (src/server/inventory/ledger.ts): its id there, the product by SKU, how
   * much moved (thousandths, negative off the shelf) and why, the document behind it (a sale, a return, or the
   * delivery, adjustment or count), and the product's on-hand right after it.
   */
  const stockMovement = object({
    at: instant,
    id: z.int().min(1),
    sku: text(200),
    reason: text(100).min(1),
    sale_id: z.uuid().optional(),
    document: text(200).optional(),
    qty_milli: z.int().min(-1e12).max(1e12),
    return_id: z.uuid().optional(),
    on_hand_milli: z.int().min(-1e15).max(1e15),
  });
  /**
   * The store's stock movements after the last batch, in id order, and each product they move once: its name and
   * reorder point (thousandths; null: none) when the batch was made. Stores before this kind send none; a head office
   * before it sets these items aside as dead letters, and the store's queue goes on.
   */
  const stockMovements = object({
    products: z.array(object({ sku: text(200), name: text(1000), reorder_point_milli: z.int().min(0).max(1e15).nullable() })).max(10_000),
    movements: z.array(stockMovement).min(1).max(10_000),
  });
  /**
   * The store's journal after the last entries sent, in number order, each as it is stored: head office checks the chain
   * as it takes them (platform/journal-chain.ts) and flags a break. Stores before this kind send none.
   */
  const journalEntries = object({
    entries: z
      .array(
        object({
          at: instant,
          ref: text(1000),
          seq: z.int().min(1),
          data: text(100_000),
          hash: text(64),
          kind: text(100),
          prev_hash: text(64),
        }),
      )
      .min(1)
      .max(5_000),
  });
  return {
    sale,
    return: saleReturn,
    shift_closed: shiftClosed,
    day_totals: dayTotals,
    stock_movements: stockMovements,
    journal_entries: journalEntries,
  };
}

/** Exactly what this version writes: a key not declared is refused. For the store's producers and their tests. */
export const outboxPayloads = documents(z.strictObject);
/**
 * What head office takes: the same fields checked the same way, but keys it does not know are kept as they came, so
 * a newer store's added field never turns its items into dead letters.
 */
export const acceptedPayloads = documents(z.looseObject);

export type OutboxKind = keyof typeof outboxPayloads;
export const outboxKinds = Object.keys(outboxPayloads) as OutboxKind[];
export type OutboxPayload<K extends OutboxKind = OutboxKind> = z.infer<(typeof outboxPayloads)[K]>;
export type SalePayload = OutboxPayload<"sale">;
export type ShiftClosedPayload = OutboxPayload<"shift_closed">;
export type DayTotalsPayload = OutboxPayload<"day_totals">;
export type ReturnPayload = OutboxPayload<"return">;
export type StockMovementsPayload = OutboxPayload<"stock_movements">;
export type JournalEntriesPayload = OutboxPayload<"journal_entries">;

/** A return's number as the store prints it: R, the register, then the register's own count (R001-000012). */
export const RETURN_NUMBER = /^R\d{3,}-\d{6,}$/;

/**
 * The ref an item of each kind carries, made from its document: head office keys what it holds by it. A closed shift
 * is its id and when it opened: a store database restored from a backup hands out the same shift ids again.
 */
export const outboxRef: { [K in OutboxKind]: (doc: OutboxPayload<K>) => string } = {
  sale: (d) => d.id,
  return: (d) => d.id,
  shift_closed: (d) => `${d.shift_id}@${d.opened_at}`,
  day_totals: (d) => d.business_date,
  // the first and last movement ids, and when the last moved: a restored store database hands out the same ids again
  stock_movements: (d) => `${d.movements[0]!.id}-${d.movements.at(-1)!.id}@${d.movements.at(-1)!.at}`,
  // the first and last entry numbers and the last hash: a restored store database numbers its entries again
  journal_entries: (d) => `${d.entries[0]!.seq}-${d.entries.at(-1)!.seq}@${d.entries.at(-1)!.hash.slice(0, 16)}`,
};

/** The content hash of an item: SHA-256 over the payload's JSON text exactly as sent. */
export function contentHash(payload: string): string {
  return sha256Hex(payload);
}

// The batch a store POSTs to /sync/v1/batches.

/**
 * An outbox item as it travels. The payload stays the JSON text the hash was taken over, never parsed and written
 * again; the kind is a name, so a head office that does not know it yet can set that one item aside.
 */
export const batchItem = z.strictObject({ seq: z.int().min(1), kind: z.string(), ref: z.string(), hash: z.string(), payload: z.string() });
export type BatchItem = z.infer<typeof batchItem>;

/** An item as this version writes it: a known kind, its document, the ref made from it and the hash of its text. */
export const outboxItem = batchItem.superRefine((item, ctx) => {
  if (!Object.hasOwn(outboxPayloads, item.kind)) {
    ctx.addIssue({ code: "custom", path: ["kind"], message: `unknown kind ${JSON.stringify(item.kind)}` });
    return;
  }
  const kind = item.kind as OutboxKind;
  let doc: unknown;
  try {
    doc = JSON.parse(item.payload);
  } catch {
    ctx.addIssue({ code: "custom", path: ["payload"], message: "payload is not valid JSON" });
    return;
  }
  const r = outboxPayloads[kind].safeParse(doc);
  if (!r.success) {
    for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: ["payload", ...issue.path] } as z.core.$ZodRawIssue);
    return;
  }
  if (item.ref !== (outboxRef[kind] as (d: unknown) => string)(r.data))
    ctx.addIssue({ code: "custom", path: ["ref"], message: "ref does not match the payload" });
  if (item.hash !== contentHash(item.payload)) ctx.addIssue({ code: "custom", path: ["hash"], message: "hash is not the SHA-256 of the payload" });
});

/** The envelope's own fields; head office checks each with these, answering its own sentence for each. */
export const batchHeader = {
  store_id: z.guid(),
  epoch: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII"),
  from_seq: z.int().min(1),
  to_seq: z.int().min(0),
  /** The highest sequence number the store holds (how many items wait there); stores before it was sent: none. */
  outbox_top: z.int().min(0).optional(),
  /** The installation of the store server the batch comes from (a restored copy keeps it; a clone has another). */
  installation: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII")
    .optional(),
};

/** A batch: the items from_seq to to_seq, in order, none missing. */
export const batch = z.strictObject({ ...batchHeader, items: z.array(outboxItem) }).superRefine((b, ctx) => {
  if (b.to_seq < b.from_seq - 1) ctx.addIssue({ code: "custom", path: ["to_seq"], message: "to_seq must be at least from_seq - 1" });
  if (b.outbox_top !== undefined && b.outbox_top < b.to_seq)
    ctx.addIssue({ code: "custom", path: ["outbox_top"], message: "outbox_top must be at least to_seq" });
  b.items.forEach((it, i) => {
    if (it.seq !== b.from_seq + i) ctx.addIssue({ code: "custom", path: ["items", i, "seq"], message: `must be ${b.from_seq + i}` });
  });
  if (b.items.length !== b.to_seq - b.from_seq + 1) ctx.addIssue({ code: "custom", path: ["items"], message: "must hold exactly from_seq to to_seq" });
});
export type Batch = z.infer<typeof batch>;

/** The batch a store sends: `items` in sequence order (at least one), and the top of its outbox. */
export function batchOf(storeId: string, epoch: string, items: readonly BatchItem[], outboxTop: number, installation?: string): Batch {
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) throw new RangeError("a batch carries at least one item");
  return {
    store_id: storeId,
    epoch,
    from_seq: first.seq,
    to_seq: last.seq,
    outbox_top: outboxTop,
    ...(installation ? { installation } : {}),
    items: items.map(({ seq, kind, ref, hash, payload }) => ({ seq, kind, ref, hash, payload })),
  };
}

// Head office's reply. Read leniently (unknown keys dropped): a newer head office may say more.

/** 200: merged through acked_through. `changed`: sequence numbers head office holds with other contents (a restored copy). */
export const batchAcked = z.object({ acked_through: z.int().min(0), epoch: z.string(), changed: z.array(z.int()).optional() });
export type BatchAcked = z.infer<typeof batchAcked>;

/** Any refusal: {error: {code, message, details}}. The store acts on epoch_mismatch and gap; others it shows and retries. */
export const batchRefused = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
export type BatchRefused = z.infer<typeof batchRefused>;

/** The details of a "gap" refusal (409): head office has everything up to last_seq. */
export const gapDetails = z.object({ last_seq: z.int().min(0), expected_from_seq: z.int().min(1) });

// Said with every exchange, besides the token: which store asks (so head office can tell that store a token it does
// not know was used in its name) and how its outbox stands (so lag is what waits there, not the time since a sale).
export const STORE_ID_HEADER = "ShopFlow-Store";
export const OUTBOX_HEAD_HEADER = "ShopFlow-Outbox";
/** The store server's installation (batchHeader.installation): head office binds the store to the first it hears from. */
export const INSTALLATION_HEADER = "ShopFlow-Installation";
/** The store's highest outbox sequence number, and how many seconds its oldest unacknowledged item has waited (0: none). */
export type OutboxHead = { top: number; waitingSeconds: number };
export const outboxHeadText = (h: OutboxHead) => `top=${h.top}; waiting=${h.waitingSeconds}`;
export function readOutboxHead(text: string | undefined): OutboxHead | null {
  const m = /^top=(\d{1,15}); waiting=(\d{1,10})$/.exec(text?.trim() ?? "");
  return m ? { top: Number(m[1]), waitingSeconds: Number(m[2]) } : null;
}
