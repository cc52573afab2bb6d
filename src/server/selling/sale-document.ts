// A sale as the outside world sees it (API responses, head-office payloads): snake_case, minor units.
import type { Sale } from "../../domain/sale/sale.ts";
import { computeTotals } from "../../domain/sale/totals.ts";

export type SaleDocument = ReturnType<typeof saleDocument>;

/** `businessDate` is the shop's calendar day the sale counts for, once completed (the store's time zone). */
export function saleDocument(sale: Sale, totals = sale.finalTotals ?? computeTotals(sale), businessDate: string | null = null) {
  return {
    id: sale.saleId,
    register_id: sale.registerId,
    status: sale.status,
    receipt_number: sale.receiptNumber,
    opened_at: sale.openedAt,
    completed_at: sale.completedAt,
    ...(businessDate ? { business_date: businessDate } : {}),
    lines: sale.lines.map((l, i) => {
      const t = totals.lines[i]!;
      return {
        line_no: i + 1,
        product_id: l.productId,
        sku: l.sku,
        barcode: l.barcode,
        name: l.name,
        qty: l.qtyMilli / 1000,
        weighed: l.weighed,
        unit_price: l.unitPrice,
        ...(l.unitPrice !== l.originalPrice ? { original_price: l.originalPrice, override_reason: l.overrideReason ?? null } : {}),
        amount: t.amount,
        discount: t.discount,
        tax_class: l.taxClass,
        tax_rate_bp: l.rateBp,
        tax: t.tax,
        total: t.total,
      };
    }),
    subtotal: totals.subtotal,
    discount_total: totals.discount,
    tax_total: totals.tax,
    total: totals.total,
    rounding: totals.rounding,
    paid: totals.paid,
    change: totals.change,
    due: totals.due,
    payments: sale.payments.map((p) => ({
      method: p.method,
      amount: p.amount,
      ...(p.card
        ? { card_brand: p.card.brand ?? null, card_last4: p.card.last4 ?? null, auth_code: p.card.authCode ?? null, terminal_ref: p.card.terminalRef ?? null }
        : {}),
    })),
    taxes: totals.taxes.map((x) => ({ tax_class: x.taxClass, rate_bp: x.rateBp, net: x.net, tax: x.tax })),
  };
}
