// Small helpers of the register routes: quick-cash amounts, the receipt of a completed sale.
import { buildReceipt, type ReceiptDocument } from "../../domain/sale/receipt.ts";
import type { Sale } from "../../domain/sale/sale.ts";
import type { Shop } from "../compose.ts";

/** Exact, then the next round notes a customer is likely to hand over: at most five buttons. */
export function quickCash(due: number): number[] {
  const out = new Set<number>([due]);
  for (const step of [100, 500, 1000, 2000, 5000, 10000]) {
    const next = Math.ceil(due / step) * step;
    if (next > due) out.add(next);
    if (out.size >= 5) break;
  }
  return [...out].sort((a, b) => a - b);
}

export function receiptFor(store: Shop, sale: Sale, registerName: string, copy = false): ReceiptDocument {
  const s = store.settings();
  return buildReceipt(sale, {
    store: { name: s.storeName, address: s.storeAddress, taxId: s.taxId, header: s.receiptHeader, footer: s.receiptFooter },
    register: registerName,
    cashier: null,
    copy,
  });
}
