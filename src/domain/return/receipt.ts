// A return's receipt: the same printer-agnostic document as a sale's, its lines what came back and its tenders what
// was given back, marked as the return of the original receipt.
import { type Minor, mulDivRoundHalfUp } from "../kernel/money.ts";
import { cardDetail, methodNames, type ReceiptDocument, type ReceiptStore, spacedCode } from "../sale/receipt.ts";
import type { CompletedReturn } from "./return.ts";

/** An exchange: how much of the return's store credit went toward the new sale (its receipt, once it has one). */
export type ExchangeUse = { used: Minor; receipt: string | null };

/** The label of the part of an exchange that went toward the new sale (not money given back). */
export const EXCHANGE_LABEL = "Exchange, toward sale";

export function buildReturnReceipt(
  r: CompletedReturn,
  who: { store: ReceiptStore; register: string; cashier: string | null; copy?: boolean; exchange?: ExchangeUse | null },
): ReceiptDocument {
  const tax = r.lines.reduce((s, l) => s + l.tax, 0);
  const voucher = r.refunds.find((f) => f.voucher);
  const used = Math.min(who.exchange?.used ?? 0, voucher?.amount ?? 0);
  // what is left on the store credit after the exchange took its part: the slip the customer keeps, if any
  const credit = voucher && voucher.amount - used > 0 ? { ...voucher, amount: voucher.amount - used } : null;
  return {
    store: who.store,
    receiptNumber: r.returnNumber,
    returnOf: r.receiptNumber === null ? "no receipt" : r.origin ? `${r.receiptNumber}, ${r.origin.storeName}` : r.receiptNumber,
    at: r.at,
    register: who.register,
    cashier: who.cashier,
    lines: r.lines.map((l) => ({
      name: l.name,
      qtyMilli: l.qtyMilli,
      weighed: l.weighed,
      unitPrice: mulDivRoundHalfUp(l.refund, 1000, l.qtyMilli),
      amount: l.refund,
      discount: 0,
      total: l.refund,
      note: l.restock ? null : "written off, not back in stock",
    })),
    subtotal: r.total,
    discount: 0,
    tax,
    total: r.total,
    rounding: r.rounding,
    taxes: r.taxes.map((x) => ({ label: x.taxClass, rateBp: x.rateBp, net: x.net, tax: x.tax })),
    payments: r.refunds.flatMap((p) =>
      p.voucher
        ? [
            ...(used > 0 ? [{ method: EXCHANGE_LABEL, amount: used, detail: who.exchange?.receipt ?? null }] : []),
            ...(credit ? [{ method: "Store credit", amount: credit.amount, detail: spacedCode(p.voucher) }] : []),
          ]
        : [{ method: `${methodNames[p.method] ?? p.method} refund`, amount: p.amount, detail: cardDetail(p.card) }],
    ),
    change: 0,
    copy: who.copy ?? false,
    ...(credit ? { storeCredit: { code: credit.voucher!, amount: credit.amount } } : {}),
  };
}
