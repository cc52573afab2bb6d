// Tax per line, rounded half-up to the minor unit, summed per rate for the receipt.
import { divRoundHalfUp, type Minor } from "./money.ts";

export type TaxClass = { code: string; name: string; rateBp: number };
/** inclusive: shelf prices contain tax (EU); exclusive: tax is added at the till (US). */
export type PricingMode = "inclusive" | "exclusive";

export type LineTax = { net: Minor; tax: Minor; gross: Minor };

/** Tax of one line whose price after discounts is `amount` (gross when inclusive, net when exclusive). */
export function lineTax(amount: Minor, rateBp: number, mode: PricingMode): LineTax {
  if (mode === "inclusive") {
    const tax = divRoundHalfUp(amount * rateBp, 10000 + rateBp);
    return { net: amount - tax, tax, gross: amount };
  }
  const tax = divRoundHalfUp(amount * rateBp, 10000);
  return { net: amount, tax, gross: amount + tax };
}

export type TaxSummaryRow = { taxClass: string; rateBp: number; net: Minor; tax: Minor };

export function summariseTax(lines: readonly { taxClass: string; rateBp: number; net: Minor; tax: Minor }[]): TaxSummaryRow[] {
  const rows = new Map<string, TaxSummaryRow>();
  for (const l of lines) {
    // A class whose rate changed while the sale was open gets one row per rate.
    const key = `${l.taxClass}\u0000${l.rateBp}`;
    const row = rows.get(key) ?? { taxClass: l.taxClass, rateBp: l.rateBp, net: 0, tax: 0 };
    row.net += l.net;
    row.tax += l.tax;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.taxClass.localeCompare(b.taxClass) || a.rateBp - b.rateBp);
}
