// A return's receipt: the same printer-agnostic document as a sale's, its lines what came back and its tenders what
// was given back, marked as the return of the original receipt.
import { mulDivRoundHalfUp } from "../kernel/money.ts";
import { cardDetail, methodNames, type ReceiptDocument, type ReceiptStore } from "../sale/receipt.ts";
import type { CompletedReturn } from "./return.ts";

export function buildReturnReceipt(
  r: CompletedReturn,
  who: { store: ReceiptStore; register: string; cashier: string | null; copy?: boolean },
): ReceiptDocument {
  const tax = r.lines.reduce((s, l) => s + l.tax, 0);
  return {
    store: who.store,
    receiptNumber: r.returnNumber,
    returnOf: r.receiptNumber,
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
    payments: r.refunds.map((p) => ({ method: `${methodNames[p.method] ?? p.method} refund`, amount: p.amount, detail: cardDetail(p.card) })),
    change: 0,
    copy: who.copy ?? false,
  };
}
