// A report's figures from the sums the database gives: what sold (tax included, before and after discounts), what went
// back, the tax, items and baskets, and the margin where the cost of what sold is known. Money is integer minor units.
import { divRoundHalfUp, type Minor } from "../kernel/money.ts";

/**
 * What the database sums for one row of a report (a product, a cashier, an hour…) over a period.
 * `sold`: the lines at their prices before discounts, tax included (what the customer pays plus the discount).
 * `refunded`/`refundTax`: what returns gave back for goods, tax included, and its tax.
 * `costedNet`/`cost`: over the lines whose cost was known when sold (less what of them came back): their takings
 * without tax, and what they cost the shop. `costedLines`: how many such lines sold (0: no margin to show).
 */
export type Sums = {
  sold: Minor;
  discounts: Minor;
  salesTax: Minor;
  refunded: Minor;
  refundTax: Minor;
  itemsMilli: number;
  baskets: number;
  costedNet: Minor;
  cost: Minor;
  costedLines: number;
};

/** One row of a report's sums: what it is (a key to match the period before, a label for people) and its sums. */
export type SumsRow = { key: string; label: string; sums: Sums };

export const noSums: Sums = {
  sold: 0,
  discounts: 0,
  salesTax: 0,
  refunded: 0,
  refundTax: 0,
  itemsMilli: 0,
  baskets: 0,
  costedNet: 0,
  cost: 0,
  costedLines: 0,
};

/**
 * A row as the report shows it. gross: before discounts, tax included; net: after discounts and refunds, without tax
 * (gross − discounts − refunds − tax); tax: on sales less on refunds; average basket: what a basket came to at the till
 * (gross − discounts) per basket; margin: net less cost, over the lines with a cost (null: no line had one).
 */
export type Figures = {
  gross: Minor;
  discounts: Minor;
  refunds: Minor;
  net: Minor;
  tax: Minor;
  itemsMilli: number;
  baskets: number;
  averageBasket: Minor | null;
  margin: Minor | null;
  /** The margin as a share of the costed lines' net, in basis points (2500 = 25 %); null without cost or net. */
  marginBp: number | null;
};

export function addSums(a: Sums, b: Sums): Sums {
  return {
    sold: a.sold + b.sold,
    discounts: a.discounts + b.discounts,
    salesTax: a.salesTax + b.salesTax,
    refunded: a.refunded + b.refunded,
    refundTax: a.refundTax + b.refundTax,
    itemsMilli: a.itemsMilli + b.itemsMilli,
    baskets: a.baskets + b.baskets,
    costedNet: a.costedNet + b.costedNet,
    cost: a.cost + b.cost,
    costedLines: a.costedLines + b.costedLines,
  };
}

/** Half-up to the whole number; negatives away from zero as money is rounded everywhere else. */
function ratio(numerator: number, denominator: number): number {
  return numerator < 0 ? -divRoundHalfUp(-numerator, denominator) : divRoundHalfUp(numerator, denominator);
}

export function figuresOf(s: Sums): Figures {
  const tax = s.salesTax - s.refundTax;
  const net = s.sold - s.discounts - s.refunded - tax;
  const margin = s.costedLines > 0 ? s.costedNet - s.cost : null;
  return {
    gross: s.sold,
    discounts: s.discounts,
    refunds: s.refunded,
    net,
    tax,
    itemsMilli: s.itemsMilli,
    baskets: s.baskets,
    averageBasket: s.baskets > 0 ? ratio(s.sold - s.discounts, s.baskets) : null,
    margin,
    marginBp: margin !== null && s.costedNet > 0 ? ratio(margin * 10000, s.costedNet) : null,
  };
}

/** What a line cost the shop: quantity (thousandths) × cost per unit or kg, half-up to the minor unit. */
export const lineCost = (qtyMilli: number, unitCost: Minor): Minor => ratio(qtyMilli * unitCost, 1000);

/** The change from the previous period in basis points (+1250 = 12.5 % up); null when there was nothing before. */
export function changeBp(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return ratio((now - before) * 10000, Math.abs(before));
}
