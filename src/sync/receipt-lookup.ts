// The store's end of a receipt brought from another store of the chain: head office is asked for the sale, and the
// answer becomes what a return reads (the original sale and its earlier returns). The register waits on this only
// briefly and is always answered: found, not found, or why head office could not say. And for a sale of this store's
// own: what the chain's other stores have taken back of it since, or null when head office cannot say.
import { type EarlierReturns, type OriginalSale, type RefundMethod, refundMethods } from "../domain/return/return.ts";
import type { HeadOfficeLink } from "../server/head-office/link.ts";
import { batchRefused, issuePath } from "./contracts.ts";
import { type ForeignSaleRecord, foreignReceipts, receiptNumber, returnsElsewhere, saleIdParam } from "./receipt-contracts.ts";

/** A sale of another store of the chain, as a return here reads it. */
export type ForeignSale = { storeId: string; storeName: string; original: OriginalSale; earlier: EarlierReturns };

export type ReceiptLookup = { status: "found"; sales: ForeignSale[] } | { status: "not_found" } | { status: "unreachable"; reason: string };

/** How long the register waits for head office by default. */
export const RECEIPT_LOOKUP_TIMEOUT_MS = 3000;
/** How long a return of this store's own sale waits to hear of returns elsewhere, by default. */
export const RETURNS_ELSEWHERE_TIMEOUT_MS = 1500;

const isRefundMethod = (m: string): m is RefundMethod => (refundMethods as readonly string[]).includes(m);

/** An answer this store cannot read as a return's original sale; the message says why. */
class Malformed extends Error {}

const unreachable = (reason: string): ReceiptLookup => ({ status: "unreachable", reason });
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The completed sales with receipt number `number` at the chain's other stores, newest first (at most ten). A number
 * that is no receipt number is found nowhere and asks nobody. Never throws: a network failure, a timeout, a refusal or
 * an answer that is not what the contract says are all "unreachable", with the reason.
 */
export async function findReceiptElsewhere(
  link: HeadOfficeLink,
  number: string,
  opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ReceiptLookup> {
  if (!receiptNumber.safeParse(number).success) return { status: "not_found" };
  const doFetch = opts.fetch ?? fetch;
  try {
    const url = new URL("/sync/v1/receipts", link.url);
    url.searchParams.set("number", number);
    let res: Response;
    let text: string;
    try {
      // the timeout covers reading the body too: a head office that stalls halfway is as away as one that never answers
      res = await doFetch(url, {
        headers: { Authorization: `Bearer ${link.token}`, Accept: "application/json" },
        signal: AbortSignal.timeout(opts.timeoutMs ?? RECEIPT_LOOKUP_TIMEOUT_MS),
      });
      text = await res.text();
    } catch (e) {
      return unreachable(`head office not reachable: ${messageOf(e)}`);
    }
    const body = jsonOf(text);
    if (!res.ok) {
      const refused = batchRefused.safeParse(body);
      const said = refused.success ? `: ${refused.data.error.code}: ${refused.data.error.message}` : "";
      return unreachable(`head office refused the lookup (HTTP ${res.status})${said}`);
    }
    if (body === undefined) return unreachable("head office's answer is not JSON");
    const answer = foreignReceipts.safeParse(body);
    if (!answer.success) {
      const issue = answer.error.issues[0]!;
      return unreachable(`head office's answer is not a list of receipts: ${issuePath(issue.path, "(whole)")}: ${issue.message}`);
    }
    if (answer.data.sales.length === 0) return { status: "not_found" };
    return { status: "found", sales: answer.data.sales.map(foreignSaleOf) };
  } catch (e) {
    if (e instanceof Malformed) return unreachable(`head office's answer does not fit a return here: ${e.message}`);
    return unreachable(`the lookup failed: ${messageOf(e)}`);
  }
}

/** The wire record as the return domain reads it; throws Malformed on a tender this store cannot refund to. */
function foreignSaleOf(s: ForeignSaleRecord): ForeignSale {
  const original: OriginalSale = {
    saleId: s.sale_id,
    origin: { storeId: s.store_id, storeName: s.store_name },
    receiptNumber: s.receipt_number,
    completedAt: s.completed_at,
    lines: s.lines.map((l) => ({
      lineNo: l.line_no,
      lineId: `${s.sale_id}:${l.line_no}`,
      productId: l.product_id,
      sku: l.sku,
      name: l.name,
      weighed: l.weighed,
      qtyMilli: l.qty_milli,
      paid: l.paid,
      tax: l.tax,
      taxClass: l.tax_class,
      rateBp: l.rate_bp,
    })),
    tenders: s.tenders.map((t) => ({ method: refundMethod(t.method), amount: t.amount })),
  };
  return { storeId: s.store_id, storeName: s.store_name, original, earlier: earlierOf(s.returned) };
}

/** What returns took of a sale, as the return domain reads it; throws Malformed on a method this store cannot refund to. */
function earlierOf(returned: ForeignSaleRecord["returned"]): EarlierReturns {
  const qtyByLine: EarlierReturns["qtyByLine"] = {};
  for (const [line, qty] of Object.entries(returned.qty_by_line)) qtyByLine[Number(line)] = qty;
  const refundedByMethod: EarlierReturns["refundedByMethod"] = {};
  for (const [method, amount] of Object.entries(returned.refunded_by_method)) refundedByMethod[refundMethod(method)] = amount;
  return { qtyByLine, refundedByMethod };
}

function refundMethod(method: string): RefundMethod {
  if (!isRefundMethod(method)) throw new Malformed(`a tender of ${JSON.stringify(method)}, which is not ${refundMethods.join(", ")}`);
  return method;
}

/**
 * What returns at the chain's other stores have taken of this store's own sale `saleId`: quantity per line (by line
 * number), amount refunded per method; empty when none. Null when head office cannot say: not reachable, too slow
 * (1.5 s by default, the body read included), refusing, or answering what the contract does not say (a refund method
 * this store does not know included), or a sale id that is no UUID. Never throws.
 */
export async function returnsOfSaleElsewhere(
  link: HeadOfficeLink,
  saleId: string,
  opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<EarlierReturns | null> {
  if (!saleIdParam.safeParse(saleId).success) return null;
  const doFetch = opts.fetch ?? fetch;
  try {
    const url = new URL(`/sync/v1/sales/${encodeURIComponent(saleId)}/returns`, link.url);
    const res = await doFetch(url, {
      headers: { Authorization: `Bearer ${link.token}`, Accept: "application/json" },
      signal: AbortSignal.timeout(opts.timeoutMs ?? RETURNS_ELSEWHERE_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) return null;
    const answer = returnsElsewhere.safeParse(jsonOf(text));
    if (!answer.success) return null;
    return earlierOf(answer.data.returned);
  } catch {
    // not reachable, timed out, a bad link, or a refund method this store does not know (Malformed)
    return null;
  }
}
