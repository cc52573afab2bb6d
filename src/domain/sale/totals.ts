// The totals of a sale: line amounts, discounts, tax, cash rounding, paid, due and change, and the share discounts take.

import { allocate, divRoundHalfUp, type Minor, roundToUnit } from "../kernel/money.ts";
import { lineTax, type PricingMode, summariseTax, type TaxSummaryRow } from "../kernel/tax.ts";

/** A discount as the totals read it: the sale's Discount without its reason. */
type DiscountTerms = { kind: "percent"; bp: number } | { kind: "amount"; amount: Minor };

/** What the totals read of a sale line. */
type TotalsLine = { lineId: string; unitPrice: Minor; qtyMilli: number; taxClass: string; rateBp: number; discount?: DiscountTerms };

/**
 * What the totals read of a sale; every Sale is one. Spelled out here rather than imported from sale.ts, which uses
 * these totals, so that the two modules do not import each other.
 */
export type TotalsInput = {
  pricing: { mode: PricingMode; cashRounding: number };
  lines: readonly TotalsLine[];
  saleDiscount: DiscountTerms | null;
  payments: readonly { method: string; amount: Minor }[];
};

export type LineTotals = { lineId: string; amount: Minor; discount: Minor; net: Minor; tax: Minor; total: Minor };

export type SaleTotals = {
  subtotal: Minor; // lines at their prices, before discounts
  discount: Minor;
  tax: Minor;
  total: Minor; // what the goods cost, tax included
  rounding: Minor; // cash rounding on the part paid in cash
  payable: Minor; // total + rounding
  paid: Minor;
  due: Minor; // still to pay
  change: Minor;
  lines: LineTotals[];
  taxes: TaxSummaryRow[];
};

export function lineAmount(line: Pick<TotalsLine, "unitPrice" | "qtyMilli">): Minor {
  return divRoundHalfUp(line.unitPrice * line.qtyMilli, 1000);
}

function discountOf(amount: Minor, d: DiscountTerms | undefined | null): Minor {
  if (!d || amount <= 0) return 0;
  if (d.kind === "percent") return divRoundHalfUp(amount * d.bp, 10000);
  return Math.min(d.amount, amount);
}

/**
 * Each discount on its own, as the cashier gave it: what each line's own discount takes off that line, and what the
 * whole-sale discount takes off the lines after theirs (before it is spread over them). An amount larger than what it
 * is taken off takes only that.
 */
export function discountParts(sale: TotalsInput): { amounts: Minor[]; lines: Minor[]; sale: Minor } {
  const amounts = sale.lines.map(lineAmount);
  const lines = sale.lines.map((l, i) => discountOf(amounts[i]!, l.discount));
  const base = amounts.reduce((s, a, i) => s + a - lines[i]!, 0);
  return { amounts, lines, sale: discountOf(base, sale.saleDiscount) };
}

export function computeTotals(sale: TotalsInput): SaleTotals {
  const { amounts, lines: lineDiscounts, sale: saleDiscount } = discountParts(sale);
  const afterLine = amounts.map((a, i) => a - lineDiscounts[i]!);
  const shares = allocate(saleDiscount, afterLine);
  const lines: LineTotals[] = sale.lines.map((l, i) => {
    const price = afterLine[i]! - shares[i]!;
    const t = lineTax(price, l.rateBp, sale.pricing.mode);
    return { lineId: l.lineId, amount: amounts[i]!, discount: lineDiscounts[i]! + shares[i]!, net: t.net, tax: t.tax, total: t.gross };
  });
  const sum = (f: (l: LineTotals) => number) => lines.reduce((s, l) => s + f(l), 0);
  const total = sum((l) => l.total);
  const paid = sale.payments.reduce((s, p) => s + p.amount, 0);
  const cash = sale.payments.filter((p) => p.method === "cash").reduce((s, p) => s + p.amount, 0);
  const nonCash = paid - cash;
  let payable = total;
  if (cash > 0 && sale.pricing.cashRounding > 1 && total - nonCash > 0) {
    payable = nonCash + roundToUnit(total - nonCash, sale.pricing.cashRounding);
  }
  const taxes = summariseTax(sale.lines.map((l, i) => ({ taxClass: l.taxClass, rateBp: l.rateBp, net: lines[i]!.net, tax: lines[i]!.tax })));
  return {
    subtotal: sum((l) => l.amount),
    discount: sum((l) => l.discount),
    tax: sum((l) => l.tax),
    total,
    rounding: payable - total,
    payable,
    paid,
    due: Math.max(0, payable - paid),
    change: Math.max(0, paid - payable),
    lines,
    taxes,
  };
}

/**
 * The largest share, in basis points, that the sale's discounts take of what they are taken off: each line with all that
 * applies to it (its own discount and its share of the sale's), and the sale as a whole. Rounded so that a discount of
 * exactly L % (a cent of rounding allowed) has a share of at most L %; 0 without discounts.
 */
export function discountShareBp(sale: TotalsInput): number {
  const t = computeTotals(sale);
  // the smallest limit the discount is not over: over(L) ⟺ discount > ceil(amount × L / 10000)
  const share = (discount: Minor, amount: Minor) => (discount <= 0 || amount <= 0 ? 0 : Math.floor(((discount - 1) * 10000) / amount) + 1);
  return Math.max(share(t.discount, t.subtotal), ...t.lines.map((l) => share(l.discount, l.amount)));
}

/** Whether the sale's discounts (stacked: a line's own and its share of the sale's) take more than `limitBp`. */
export function discountOverLimit(sale: TotalsInput, limitBp: number): boolean {
  return discountShareBp(sale) > limitBp;
}
