// What a cashier does at the register that is more than a sale command, each one transaction: the sale's events and
// read models (till.ts), the audit row naming who approved, and the receipt copy with its journal entry commit together
// or not at all. Approvals (PIN checks) happen before, outside the transaction.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Discount, Sale } from "../../domain/sale/sale.ts";
import { type Actor, type Approver, type AuditLog, recordAs } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import type { Printing } from "../printing/actions.ts";
import type { SaleEvents } from "./sale-events.ts";
import type { Till, TillResult } from "./till.ts";

export type SellingActionDeps = { db: Database; clock: Clock; till: Till; sales: SaleEvents; audit: AuditLog; printing: Printing };

export function sellingActions(deps: SellingActionDeps) {
  const { db, clock, till, sales, audit, printing } = deps;
  const record = recordAs(audit, clock);
  const tx = inOneTransaction(db);

  return {
    /** A line's quantity changed, or the line taken off; `approved` names why a manager had to agree, when one did. */
    changeLine: tx(
      (
        who: Actor,
        lineId: string,
        qtyMilli: number | null,
        approved: { action: string; approver: Approver; item: string; from: number } | null,
      ): TillResult => {
        const done = qtyMilli === null ? till.removeLine(who.registerId, lineId) : till.changeQuantity(who.registerId, lineId, qtyMilli);
        if (approved) {
          record(who, approved.action, done.sale?.saleId ?? null, { item: approved.item, from: approved.from, to: (qtyMilli ?? 0) / 1000 }, approved.approver);
        }
        return done;
      },
    ),

    /** A price changed at the till, with its reason and the manager who approved. */
    overridePrice: tx((who: Actor, lineId: string, price: number, reason: string, approver: Approver): TillResult => {
      const done = till.overridePrice(who.registerId, lineId, price, reason);
      record(who, "sale.price_overridden", done.sale?.saleId ?? null, { line: lineId, price, reason }, approver);
      return done;
    }),

    /** A discount on a line (or the whole sale, `lineId` null), or its removal; logged when one is given. */
    discount: tx((who: Actor, lineId: string | null, d: Discount | null, approver: Approver): TillResult => {
      const done = till.discount(who.registerId, lineId, d);
      if (d) record(who, "sale.discount", done.sale?.saleId ?? null, { line: lineId, discount: d }, approver);
      return done;
    }),

    /** A payment taken off the sale, with the reason and the manager who approved. */
    removePayment: tx((who: Actor, paymentId: string, reason: string, approver: Approver): TillResult => {
      const sale = till.current(who.registerId);
      const payment = sale?.payments.find((p) => p.paymentId === paymentId);
      if (!payment) throw new Problem("payment_not_found", "That payment is not on this sale any more.");
      const done = till.removePayment(who.registerId, paymentId);
      record(who, "sale.payment_removed", sale!.saleId, { method: payment.method, amount: payment.amount, reason }, approver);
      return done;
    }),

    /** The sale cancelled, with the reason and the manager who approved. */
    cancel: tx((who: Actor, reason: string, approver: Approver): void => {
      const saleId = till.current(who.registerId)?.saleId ?? null;
      till.cancel(who.registerId, reason, who.userId);
      record(who, "sale.cancelled", saleId, { reason }, approver);
    }),

    /**
     * Another copy of a completed sale's receipt, on the printer of `who`'s register: printed marked COPY, written in
     * the journal and the audit log, together.
     */
    reprint: tx((who: Actor, saleId: string): Sale => {
      const { state } = sales.load(saleId);
      if (state.status !== "completed") throw new Problem("sale_not_found", "That sale is not a completed sale.");
      printing.queueCopy(state, who.registerId, who.registerName);
      record(who, "receipt.reprinted", saleId, { receipt: state.receiptNumber });
      return state;
    }),
  };
}

export type SellingActions = ReturnType<typeof sellingActions>;
