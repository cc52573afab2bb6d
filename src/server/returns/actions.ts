// Taking goods back against a receipt, as one transaction: what may still be returned is read from the sale and its
// earlier returns inside it (two registers returning the same line at once: the second finds it gone), then the
// return's rows, the stock, the journal, the audit row naming cashier and approver, the return receipt with its drawer
// kick, and the outbox item for head office commit together or not at all.
import type { Database } from "bun:sqlite";
import { businessDate } from "../../domain/kernel/calendar.ts";
import type { Clock, Ids } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type CompletedReturn, decide, defaultRefunds, evolve, originalOf, type Refund } from "../../domain/return/return.ts";
import type { CardDetails, Sale } from "../../domain/sale/sale.ts";
import type { ReturnPayload } from "../../sync/contracts.ts";
import { type Actor, type Approver, type AuditLog, recordAs } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import type { OutboxAppend } from "../head-office/outbox.ts";
import type { StockLevels } from "../inventory/levels.ts";
import type { Printing } from "../printing/actions.ts";
import type { SaleEvents } from "../selling/sale-events.ts";
import type { StoreSettings } from "../settings/settings.ts";
import type { ReturnRecords } from "./records.ts";

export type ReturnRequest = {
  saleId: string;
  lines: { lineNo: number; qtyMilli: number }[];
  reasonCode: string;
  /** "original": back to the original tenders (card first, the rest in cash); "cash": all in cash; or as set. */
  refunds: Refund[] | "original" | "cash";
  /** What the card terminal said of a refund to the card. */
  card?: CardDetails | undefined;
  /** The return's receipt (and the drawer, for cash) on the register's printer; at the register always, from the API when asked. */
  print?: boolean;
  /**
   * Whether cash back beyond what the sale's own tenders give back in cash is allowed (a card purchase turned into cash
   * in hand): at the register a manager approved it before; through the API only an admin token may. Refused when not.
   */
  cashForOtherTenders?: boolean;
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
  };
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
  const { clock, ids, sales, records, stock, printing, journal, outbox, settings } = deps;
  const record = recordAs(deps.audit, clock);
  const tx = inOneTransaction(deps.db);

  return {
    /** Take goods back against a completed sale and refund them; `approver` names the manager where one agreed. */
    complete: tx((who: Actor, request: ReturnRequest, approver: Approver): CompletedReturn => {
      const { state } = sales.load(request.saleId.slice(0, 64));
      if (state.status !== "completed") throw new Problem("sale_not_found", "There is no completed sale with that receipt.");
      const sale = state as Sale;
      const at = clock.now().toISOString();
      const number = records.nextNumber(who.registerId);
      const original = originalOf(sale);
      const earlier = records.earlier(sale.saleId);
      const events = decide(
        {
          type: "CompleteReturn",
          at,
          returnId: ids.next(),
          returnNumber: number.number,
          registerId: who.registerId,
          original,
          earlier,
          lines: request.lines,
          reason: records.reason(request.reasonCode),
          refunds: request.refunds,
          ...(request.card ? { card: request.card } : {}),
          cashRounding: settings().pricing.cashRounding,
        },
        { status: "none" },
      );
      const done = events.reduce(evolve, { status: "none" }) as CompletedReturn;
      if (request.cashForOtherTenders === false) refuseCashForOtherTenders(done, defaultRefunds(original, earlier, done.total));
      const day = businessDate(new Date(at), settings().timeZone);
      records.write(done, number.seq, day, { cashierId: who.userId, approverId: approver?.id ?? null });
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
        { return: done.returnNumber, receipt: done.receiptNumber, total: done.total, reason: done.reason.label, lines: done.lines.length },
        approver,
      );
      if (request.print !== false) printing.queueReturnReceipt(done, who.userName);
      return done;
    }),
  };
}

export type ReturnActions = ReturnType<typeof returnActions>;
