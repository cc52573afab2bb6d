// What a store asks head office of the chain's receipts (sync/receipt-lookup.ts and hq/receipts/): the two answers'
// shapes, shared by both ends as the outbox's documents are (contracts.ts).
import { z } from "zod";
import { count, INT4_MAX, instant, minor } from "./contracts.ts";

// A receipt of another store of the chain, GET /sync/v1/receipts?number=N: the completed sales with that number at the
// chain's other stores, newest first, each with what any store has given back of it since. Read leniently.

/** A receipt number as the store prints it: the register (three digits or more), a dash, the register's count. */
export const RECEIPT_NUMBER = /^\d{3,}-\d{6,}$/;
/** A receipt number to look up: as printed, no longer than head office keeps one (a sale's receipt_number above). */
export const receiptNumber = z.string().max(100).regex(RECEIPT_NUMBER);
/** The most sales one lookup answers: one number at a handful of stores, never a listing of the chain. */
export const FOREIGN_RECEIPTS_LIMIT = 10;

/** A line as a return reads it: `paid` is what the customer paid for all of it (after discounts, tax included). */
const foreignSaleLine = z.object({
  line_no: z.int().min(1).max(INT4_MAX),
  product_id: z.int(),
  sku: z.string(),
  name: z.string(),
  weighed: z.boolean(),
  qty_milli: z.int(),
  paid: minor,
  tax: minor,
  tax_class: z.string(),
  rate_bp: count,
});
export const foreignSale = z.object({
  store_id: z.guid(),
  store_name: z.string(),
  sale_id: z.uuid(),
  receipt_number: receiptNumber,
  completed_at: instant,
  lines: z.array(foreignSaleLine),
  /** What each method paid, net of the change given (cash); only methods that paid something. */
  tenders: z.array(z.object({ method: z.string().min(1), amount: minor })),
  /** What returns at any store took of it: quantity per line (by line_no), amount refunded per method. */
  returned: z.object({
    qty_by_line: z.record(z.string().regex(/^[1-9]\d*$/), z.int().min(0)),
    refunded_by_method: z.record(z.string().min(1), minor),
  }),
});
export type ForeignSaleRecord = z.infer<typeof foreignSale>;
export const foreignReceipts = z.object({ sales: z.array(foreignSale).max(FOREIGN_RECEIPTS_LIMIT) });
export type ForeignReceipts = z.infer<typeof foreignReceipts>;

// A sale of the asking store's own, GET /sync/v1/sales/:saleId/returns: what returns at the chain's other stores have
// taken of it (the store counts its own returns from its own database). Empty objects when none. Read leniently.

/** The sale asked about: its id as the store sent it up (a sale's and a return's sale_id above). */
export const saleIdParam = z.uuid();
export const returnsElsewhere = z.object({ returned: foreignSale.shape.returned });
export type ReturnsElsewhere = z.infer<typeof returnsElsewhere>;
