// The receipt as a printer-agnostic document, built from a completed sale. Hardware turns it into ESC/POS bytes,
// views into HTML; both show the same thing.

import type { Minor } from "../kernel/money.ts";
import type { Sale } from "./sale.ts";
import { computeTotals } from "./totals.ts";

export type ReceiptStore = { name: string; address: string[]; taxId: string | null; header: string[]; footer: string[] };

export type ReceiptLine = {
  name: string;
  qtyMilli: number;
  weighed: boolean;
  unitPrice: Minor;
  amount: Minor;
  discount: Minor;
  total: Minor;
  note: string | null;
};

export type ReceiptDocument = {
  store: ReceiptStore;
  receiptNumber: string;
  at: string; // ISO instant; the renderer shows it in the store's time zone
  register: string;
  cashier: string | null;
  lines: ReceiptLine[];
  subtotal: Minor;
  discount: Minor;
  tax: Minor;
  total: Minor;
  rounding: Minor;
  taxes: { label: string; rateBp: number; net: Minor; tax: Minor }[];
  payments: { method: string; amount: Minor; detail: string | null }[];
  change: Minor;
  copy: boolean;
  /** On a return's receipt: the receipt number of the sale it returns (the totals are then what was refunded). */
  returnOf?: string;
  /** Store credit this receipt carries: its code (printed as a barcode, scanned as a tender) and what it holds. */
  storeCredit?: { code: string; amount: Minor };
};

/** A store credit's code as printed and read aloud: SC 1234 5678 9012. */
export const spacedCode = (code: string) => code.replace(/^([A-Z]+)(\d{4})(\d{4})(\d{4})$/, "$1 $2 $3 $4");

export const methodNames: Record<string, string> = { cash: "Cash", card: "Card", voucher: "Voucher" };

/** A card's details as a receipt prints them: brand, last four, auth code — the only card data there is. */
export function cardDetail(card: { brand?: string; last4?: string; authCode?: string } | undefined): string | null {
  if (!card) return null;
  return [card.brand, card.last4 ? `**** ${card.last4}` : null, card.authCode ? `auth ${card.authCode}` : null].filter(Boolean).join(" ") || null;
}

export function buildReceipt(sale: Sale, who: { store: ReceiptStore; register: string; cashier: string | null; copy?: boolean }): ReceiptDocument {
  if (sale.status !== "completed" || !sale.receiptNumber || !sale.completedAt) throw new Error("only a completed sale has a receipt");
  const t = sale.finalTotals ?? computeTotals(sale);
  return {
    store: who.store,
    receiptNumber: sale.receiptNumber,
    at: sale.completedAt,
    register: who.register,
    cashier: who.cashier,
    lines: sale.lines.map((l, i) => {
      const lt = t.lines[i]!;
      const note = l.unitPrice !== l.originalPrice ? `price changed: ${l.overrideReason ?? ""}`.trim() : null;
      return {
        name: l.name,
        qtyMilli: l.qtyMilli,
        weighed: l.weighed,
        unitPrice: l.unitPrice,
        amount: lt.amount,
        discount: lt.discount,
        total: lt.total,
        note,
      };
    }),
    subtotal: t.subtotal,
    discount: t.discount,
    tax: t.tax,
    total: t.total,
    rounding: t.rounding,
    taxes: t.taxes.map((x) => ({ label: x.taxClass, rateBp: x.rateBp, net: x.net, tax: x.tax })),
    payments: sale.payments.map((p) => ({
      method: p.voucher ? "Store credit" : (methodNames[p.method] ?? p.method),
      amount: p.amount,
      detail: p.voucher ? spacedCode(p.voucher) : cardDetail(p.card),
    })),
    change: t.change,
    copy: who.copy ?? false,
  };
}
