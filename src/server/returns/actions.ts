// Taking goods back against a receipt, as one transaction: what may still be returned is read from the sale and its
// earlier returns inside it (two registers returning the same line at once: the second finds it gone), then the
// return's rows, the stock, the journal, the audit row naming cashier and approver, the return receipt with its drawer
// kick, and the outbox item for head office commit together or not at all.
import type { Database } from "bun:sqlite";
import { businessDate } from "../../domain/kernel/calendar.ts";
import type { Clock, Ids } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import {
  type CompletedReturn,
  decide,
  defaultRefunds,
  type EarlierReturns,
  evolve,
  type OriginalSale,
  originalOf,
  type Refund,
  type RefundChoice,
  type RefundMethod,
  type ReturnPolicy,
} from "../../domain/return/return.ts";
import type { CardDetails, Sale } from "../../domain/sale/sale.ts";
import type { ReturnPayload } from "../../sync/contracts.ts";
import { type Actor, type Approver, type AuditLog, recordAs } from "../audit/audit-log.ts";
import { type Catalog, lineItemOf } from "../catalog/queries.ts";
import { inOneTransaction } from "../db/transaction.ts";
import type { OutboxAppend } from "../head-office/outbox.ts";
import type { StockLevels } from "../inventory/levels.ts";
import type { Printing } from "../printing/actions.ts";
import type { SaleEvents } from "../selling/sale-events.ts";
import type { Till, TillResult } from "../selling/till.ts";
import type { StoreSettings } from "../settings/settings.ts";
import { newCreditCode, type StoreCreditRecords } from "../store-credit/records.ts";
import type { ReturnRecords } from "./records.ts";

/** Another store's sale, found through head office: its lines, and what returns there took of it already. */
export type SaleElsewhere = { storeId: string; storeName: string; original: OriginalSale; earlier: EarlierReturns };

export type ReturnRequest = {
  /** This store's sale returned against. */
  saleId?: string;
  /** Or another store's sale (found through head office). */
  elsewhere?: SaleElsewhere;
  /** This store's sale: what other stores took back of it, as head office said just now (absent: it could not say). */
  returnedElsewhere?: EarlierReturns | null;
  /** Or, without a receipt, the products that come back (priced from today's catalog). */
  items?: { productId: number; qtyMilli: number }[];
  /** With a receipt: which of its lines, how many. */
  lines?: { lineNo: number; qtyMilli: number }[];
  reasonCode: string;
  /** "original": back to the original tenders; "cash": all in cash; "store_credit": as store credit; or as set. */
  refunds: Exclude<RefundChoice, { exchange: number }>;
  /** What the card terminal said of a refund to the card. */
  card?: CardDetails | undefined;
  /** The return's receipt (and the drawer, for cash) on the register's printer; at the register always, from the API when asked. */
  print?: boolean;
  /**
   * Whether cash back beyond what the sale's own tenders give back in cash is allowed (a card purchase turned into cash
   * in hand): at the register a manager approved it before; through the API only an admin token may. Refused when not.
   */
  cashForOtherTenders?: boolean;
  /** A manager approved going past the shop's return policy (days, products not taken back). */
  pastPolicy?: boolean;
};

export type ReturnActionDeps = {
  db: Database;
  clock: Clock;
  ids: Ids;
  sales: SaleEvents;
  records: ReturnRecords;
  stock: StockLevels;
  printing: Printing;
  audit: AuditLog;
  journal: (at: string, kind: string, ref: string, data: unknown) => void;
  outbox: OutboxAppend;
  settings: () => StoreSettings;
  catalog: Catalog;
  till: Till;
  credits: StoreCreditRecords;
  /** A new store credit's code (random; tests pass their own). */
  creditCode?: () => string;
};

/** A completed return as head office takes it (sync/contracts.ts), keys in the contract's order. */
export function returnDocument(r: CompletedReturn, day: string): ReturnPayload {
  return {
    at: r.at,
    id: r.returnId,
    lines: r.lines.map((l) => ({
      qty: l.qtyMilli / 1000,
      sku: l.sku,
      tax: l.tax,
      name: l.name,
      refund: l.refund,
      line_no: l.lineNo,
      restock: l.restock,
      tax_class: l.taxClass,
      product_id: l.productId,
      tax_rate_bp: l.rateBp,
    })),
    taxes: r.taxes.map((t) => ({ net: t.net, tax: t.tax, rate_bp: t.rateBp, tax_class: t.taxClass })),
    total: r.total,
    reason: r.reason.label,
    refunds: r.refunds.map((f) => ({
      amount: f.amount,
      method: f.method,
      ...(f.card?.authCode ? { auth_code: f.card.authCode } : {}),
      ...(f.card?.brand ? { card_brand: f.card.brand } : {}),
      ...(f.card?.last4 ? { card_last4: f.card.last4 } : {}),
      ...(f.card?.terminalRef ? { terminal_ref: f.card.terminalRef } : {}),
    })),
    sale_id: r.saleId,
    rounding: r.rounding,
    tax_total: r.lines.reduce((s, l) => s + l.tax, 0),
    reason_code: r.reason.code,
    register_id: r.registerId,
    business_date: day,
    return_number: r.returnNumber,
    receipt_number: r.receiptNumber,
    ...(r.origin ? { origin_store_id: r.origin.storeId } : {}),
  };
}

/** Returns at two places added up, per line and per tender. */
export function both(a: EarlierReturns, b: EarlierReturns): EarlierReturns {
  const qtyByLine = { ...a.qtyByLine };
  for (const [line, qty] of Object.entries(b.qtyByLine)) qtyByLine[Number(line)] = (qtyByLine[Number(line)] ?? 0) + qty;
  const refundedByMethod = { ...a.refundedByMethod };
  for (const [m, amount] of Object.entries(b.refundedByMethod) as [RefundMethod, number][]) refundedByMethod[m] = (refundedByMethod[m] ?? 0) + amount;
  return { qtyByLine, refundedByMethod };
}

/** Cash given back beyond what the original tenders would give back in cash (rounded as cash is): refused. */
function refuseCashForOtherTenders(done: CompletedReturn, asPaid: Refund[]): void {
  const cash = (refunds: Refund[]) => refunds.filter((r) => r.method === "cash").reduce((s, r) => s + r.amount, 0);
  const given = cash(done.refunds);
  const due = cash(asPaid);
  if (given > due + Math.max(0, done.rounding)) {
    throw new Problem(
      "approval_needed",
      "Cash back for what a card or voucher paid needs a manager: leave refunds out to refund the original tenders, or use a token with the admin scope.",
      { cash: given, cash_from_tenders: due },
    );
  }
}

export function returnActions(deps: ReturnActionDeps) {
  const { clock, ids, sales, records, stock, printing, journal, outbox, settings, catalog, till, credits } = deps;
  const creditCode = deps.creditCode ?? newCreditCode;
  const record = recordAs(deps.audit, clock);
  const tx = inOneTransaction(deps.db);

  /** What comes back against: this store's sale, another store's, or nothing (no receipt). */
  function against(request: ReturnRequest): { original: OriginalSale; earlier: EarlierReturns } | null {
    if (request.elsewhere) {
      const e = request.elsewhere;
      // what head office knows of the other stores' returns of the sale, and this store's own (read here, in the transaction)
      return {
        original: { ...e.original, origin: { storeId: e.storeId, storeName: e.storeName } },
        earlier: both(e.earlier, records.earlier(e.original.saleId)),
      };
    }
    if (request.saleId === undefined) return null;
    const { state } = sales.load(request.saleId.slice(0, 64));
    if (state.status !== "completed") throw new Problem("sale_not_found", "There is no completed sale with that receipt.");
    const sale = state as Sale;
    const here = records.earlier(sale.saleId);
    return { original: originalOf(sale), earlier: request.returnedElsewhere ? both(here, request.returnedElsewhere) : here };
  }

  function itemsOf(request: ReturnRequest) {
    return (request.items ?? []).map(({ productId, qtyMilli }) => {
      const p = catalog.byId(productId);
      if (!p) throw new Problem("unknown_product", `No product has the id ${productId}.`, { product_id: productId });
      return { item: lineItemOf(p), qtyMilli };
    });
  }

  /** The return itself, inside the caller's transaction; `exchange`: up to that much as store credit toward a sale. */
  function take(who: Actor, request: ReturnRequest, approver: Approver, exchange: number | null): CompletedReturn {
    const at = clock.now().toISOString();
    const s = settings();
    const found = against(request);
    const number = records.nextNumber(who.registerId);
    const code = creditCode();
    const common = {
      at,
      returnId: ids.next(),
      returnNumber: number.number,
      registerId: who.registerId,
      reason: records.reason(request.reasonCode),
      refunds: exchange === null ? request.refunds : { exchange },
      ...(request.card ? { card: request.card } : {}),
      cashRounding: s.pricing.cashRounding,
      storeCreditCode: code,
    };
    const items = found ? [] : itemsOf(request);
    const skus = found ? found.original.lines.map((l) => l.sku) : items.map((i) => i.item.sku);
    const withPolicy = { ...common, policy: request.pastPolicy ? null : policyOf(s, deps.db, skus) };
    const events = found
      ? decide({ ...withPolicy, type: "CompleteReturn", original: found.original, earlier: found.earlier, lines: request.lines ?? [] }, { status: "none" })
      : decide(
          { ...withPolicy, type: "ReturnWithoutReceipt", items, pricing: s.pricing.mode, maxWithoutReceipt: s.returns.maxWithoutReceipt },
          { status: "none" },
        );
    const done = events.reduce(evolve, { status: "none" }) as CompletedReturn;
    if (request.cashForOtherTenders === false && found) refuseCashForOtherTenders(done, defaultRefunds(found.original, found.earlier, done.total));
    const day = businessDate(new Date(at), s.timeZone);
    records.write(done, number.seq, day, { cashierId: who.userId, approverId: approver?.id ?? null }, found?.original.saleId ?? null);
    const credit = done.refunds.find((f) => f.voucher);
    if (credit) credits.issue(credit.voucher!, credit.amount, at, who.registerId, done.returnId);
    stock.takeBack(done.returnId, done.lines, at);
    journal(at, "return.completed", done.returnId, {
      number: done.returnNumber,
      receipt: done.receiptNumber,
      total: done.total,
      refunds: done.refunds.map((f) => ({ method: f.method, amount: f.amount })),
    });
    outbox("return", done.returnId, returnDocument(done, day), at);
    record(
      who,
      "return.completed",
      done.returnId,
      {
        return: done.returnNumber,
        receipt: done.receiptNumber ?? "none",
        ...(done.origin ? { store: done.origin.storeName } : {}),
        total: done.total,
        reason: done.reason.label,
        lines: done.lines.length,
        ...(credit ? { store_credit: credit.amount } : {}),
      },
      approver,
    );
    if (request.print !== false && exchange === null) printing.queueReturnReceipt(done, who.userName);
    return done;
  }

  return {
    /** Another copy of a return's receipt, marked COPY, on `who`'s register's printer; journal and audit log with it. */
    reprint: tx((who: Actor, returnId: string): CompletedReturn => {
      const r = records.byId(returnId);
      if (!r) throw new Problem("not_found", "There is no such return.");
      printing.queueReturnCopy(r, who.registerId, who.userName, records.exchangeOf(r.returnId));
      record(who, "receipt.reprinted", r.returnId, { return: r.returnNumber });
      return r;
    }),

    /** Another store's sale with this store's own returns of it counted too (head office may not have them yet). */
    elsewhereAsSeenHere: (e: SaleElsewhere) => against({ elsewhere: e, reasonCode: "", refunds: "original" })!,

    /** Take goods back and refund them; `approver` names the manager where one agreed. */
    complete: tx((who: Actor, request: ReturnRequest, approver: Approver): CompletedReturn => take(who, request, approver, null)),

    /**
     * An exchange: the goods come back as store credit put toward the sale on the register, in the same transaction;
     * what the credit does not cover the customer pays as usual, what is left over goes back as the return says (the
     * original tenders; without a receipt, it stays on the store credit).
     */
    exchange: tx((who: Actor, request: ReturnRequest, approver: Approver): { done: CompletedReturn; till: TillResult } => {
      const sale = till.current(who.registerId);
      const due = sale ? sales.totals(sale).due : 0;
      if (!sale || sale.lines.length === 0 || due <= 0) {
        throw new Problem("nothing_to_pay", "An exchange needs the new goods on the sale first: scan them, then take the return.");
      }
      const done = take(who, request, approver, due);
      const credit = done.refunds.find((f) => f.voucher);
      if (!credit)
        throw new Problem("nothing_to_pay", "What comes back was paid nothing for, so there is nothing to put toward the sale: take it as a plain return.");
      const paid = till.pay(who.registerId, { method: "voucher", amount: Math.min(credit.amount, due), voucher: credit.voucher! }, who.userId);
      records.exchangedFor(done.returnId, sale.saleId);
      // the return's receipt once the credit is on the sale: what went toward it, and only what is left as store credit
      if (request.print !== false) printing.queueReturnReceipt(done, who.userName, records.exchangeOf(done.returnId));
      return { done, till: paid };
    }),
  };
}

/**
 * The shop's return policy for goods of these SKUs: its settings' days and limit, and the products not taken back —
 * listed in the settings, or marked so on their product page (looked up for these SKUs only, by the SKU's index).
 */
export function policyOf(s: StoreSettings, db: Database, skus: readonly string[]): ReturnPolicy {
  const marked = db
    .query<{ sku: string }, [string]>("SELECT sku FROM products WHERE sku IN (SELECT value FROM json_each(?)) AND returnable = 0")
    .all(JSON.stringify([...new Set(skus)]))
    .map((r) => r.sku);
  return { days: s.returns.days, nonReturnable: [...s.returns.nonReturnable, ...marked], maxWithoutReceipt: s.returns.maxWithoutReceipt };
}

export type ReturnActions = ReturnType<typeof returnActions>;
