// A shift's cash-up: from what the shift sold and the cash that moved, the X or Z report and the drawer's over/short.
import type { Minor } from "../kernel/money.ts";

export type ShiftFigures = {
  openingFloat: Minor;
  salesCount: number;
  salesTotal: Minor; // goods sold, tax included
  discountTotal: Minor;
  roundingTotal: Minor;
  cancelledCount: number;
  refundTotal: Minor; // what the shift's returns refunded, all tenders
  /** What the returns gave back with each tender (cash comes out of the drawer). */
  refunds: { method: string; amount: Minor }[];
  returnsCount: number;
  taxes: { taxClass: string; rateBp: number; net: Minor; tax: Minor }[];
  tenders: { method: string; amount: Minor }[]; // what each tender took in, change already handed back from cash
  cashIn: Minor;
  cashOut: Minor;
  noSales: number;
};

export type ShiftReport = ShiftFigures & {
  kind: "X" | "Z";
  taxTotal: Minor;
  cashSales: Minor;
  expectedCash: Minor;
  countedCash: Minor | null;
  overShort: Minor | null; // counted − expected: positive is over, negative short
};

/** Denominations in minor units and how many of each: the float or the count, as a total. */
export function countDenominations(counts: Record<string, number>): Minor {
  let total = 0;
  for (const [denomination, n] of Object.entries(counts)) {
    // a denomination is written in plain digits ("500"), never "5e2", "0x1f4" or " 500 "
    const d = /^[1-9]\d{0,15}$/.test(denomination) ? Number(denomination) : Number.NaN;
    if (!Number.isSafeInteger(d) || !Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad count ${denomination} × ${n}`);
    total += d * n;
    if (!Number.isSafeInteger(total)) throw new RangeError(`the count ${denomination} × ${n} is too large to be real cash`);
  }
  return total;
}

export function shiftReport(kind: "X" | "Z", f: ShiftFigures, counted: Minor | null): ShiftReport {
  const cashSales = f.tenders.filter((t) => t.method === "cash").reduce((s, t) => s + t.amount, 0);
  const cashRefunds = f.refunds.filter((r) => r.method === "cash").reduce((s, r) => s + r.amount, 0);
  const expectedCash = f.openingFloat + cashSales + f.cashIn - f.cashOut - cashRefunds;
  return {
    ...f,
    kind,
    taxTotal: f.taxes.reduce((s, t) => s + t.tax, 0),
    cashSales,
    expectedCash,
    countedCash: counted,
    overShort: counted === null ? null : counted - expectedCash,
  };
}

/** The drawer against what it should hold, as people say it: the word carries the sign ("Short" 3.32, never "Short −3.32"). */
export function drawerDifference(overShort: Minor): { label: "Balanced" | "Over" | "Short"; amount: Minor } {
  return { label: overShort === 0 ? "Balanced" : overShort > 0 ? "Over" : "Short", amount: Math.abs(overShort) };
}
