// A return as a decider beside the sale: what may still be returned is the sale's lines less its earlier returns; each
// unit refunds what the customer paid for it — line and sale discounts prorated, tax per rate — so that a sale returned
// in any number of pieces refunds exactly its total. Time, ids and numbers come in with the command.
import { type Minor, mulDivRoundHalfUp, roundToUnit } from "../kernel/money.ts";
import { Problem } from "../kernel/problem.ts";
import { summariseTax, type TaxSummaryRow } from "../kernel/tax.ts";
import type { CardDetails, Sale } from "../sale/sale.ts";

export const refundMethods = ["cash", "card", "voucher"] as const;
export type RefundMethod = (typeof refundMethods)[number];

/** A line of the original sale as a return sees it: what was sold and what the customer paid for all of it. */
export type SoldLine = {
  lineNo: number;
  lineId: string;
  productId: number;
  sku: string;
  name: string;
  weighed: boolean;
  qtyMilli: number;
  /** What the customer paid for the whole line: after its own discount and its share of the sale's, tax included. */
  paid: Minor;
  tax: Minor;
  taxClass: string;
  rateBp: number;
};

/** The original sale, as the return reads it. */
export type OriginalSale = {
  saleId: string;
  receiptNumber: string;
  completedAt: string;
  lines: SoldLine[];
  /** What was paid with each tender, net of change given (cash). */
  tenders: { method: RefundMethod; amount: Minor }[];
};

/** What earlier returns of this sale took: per line, the quantity; per tender, the amount refunded. */
export type EarlierReturns = { qtyByLine: Record<number, number>; refundedByMethod: Partial<Record<RefundMethod, Minor>> };

export type ReturnedLine = {
  lineNo: number;
  productId: number;
  sku: string;
  name: string;
  weighed: boolean;
  qtyMilli: number;
  refund: Minor;
  tax: Minor;
  taxClass: string;
  rateBp: number;
  /** Back on the shelf; false when the reason says the goods are damaged (written off). */
  restock: boolean;
};

export type Refund = { method: RefundMethod; amount: Minor; card?: CardDetails };

export type ReturnReason = { code: string; label: string; restock: boolean };

export type CompletedReturn = {
  status: "completed";
  returnId: string;
  returnNumber: string;
  registerId: number;
  saleId: string;
  receiptNumber: string;
  at: string;
  reason: ReturnReason;
  lines: ReturnedLine[];
  /** The goods' value refunded (sum of the lines); cash rounding, when cash is given back, is apart. */
  total: Minor;
  rounding: Minor;
  refunds: Refund[];
  taxes: TaxSummaryRow[];
};

export type ReturnState = { status: "none" } | CompletedReturn;

export type ReturnEvent = { type: "ReturnCompleted"; at: string; return: Omit<CompletedReturn, "status"> };

export type ReturnCommand = {
  type: "CompleteReturn";
  at: string;
  returnId: string;
  returnNumber: string;
  registerId: number;
  original: OriginalSale;
  earlier: EarlierReturns;
  lines: { lineNo: number; qtyMilli: number }[];
  reason: ReturnReason;
  /**
   * How the money goes back: "original", the original tenders (card first up to what the card paid, the rest in
   * cash); "cash", all in cash; or the tenders as the cashier set them.
   */
  refunds: Refund[] | "original" | "cash";
  /** What the card terminal said of a refund to the card (brand, last four, auth code — nothing else). */
  card?: CardDetails;
  /** The smallest cash step (1 = none); applied to the cash given back only. */
  cashRounding: number;
};

/** A completed sale's lines and tenders as a return reads them (its totals as they were at completion). */
export function originalOf(sale: Sale): OriginalSale {
  if (sale.status !== "completed" || !sale.finalTotals || !sale.receiptNumber || !sale.completedAt) {
    throw new Problem("sale_not_found", "Only a completed sale can be returned.");
  }
  const t = sale.finalTotals;
  const change = t.change;
  const tenders = new Map<RefundMethod, Minor>();
  for (const p of sale.payments) tenders.set(p.method, (tenders.get(p.method) ?? 0) + p.amount);
  if (change > 0) tenders.set("cash", (tenders.get("cash") ?? 0) - change);
  return {
    saleId: sale.saleId,
    receiptNumber: sale.receiptNumber,
    completedAt: sale.completedAt,
    lines: sale.lines.map((l, i) => ({
      lineNo: i + 1,
      lineId: l.lineId,
      productId: l.productId,
      sku: l.sku,
      name: l.name,
      weighed: l.weighed,
      qtyMilli: l.qtyMilli,
      paid: t.lines[i]!.total,
      tax: t.lines[i]!.tax,
      taxClass: l.taxClass,
      rateBp: l.rateBp,
    })),
    tenders: [...tenders].filter(([, amount]) => amount > 0).map(([method, amount]) => ({ method, amount })),
  };
}

/** What is left to return of each line: sold less returned before. */
export function returnable(original: OriginalSale, earlier: EarlierReturns): Map<number, number> {
  return new Map(original.lines.map((l) => [l.lineNo, l.qtyMilli - (earlier.qtyByLine[l.lineNo] ?? 0)]));
}

/**
 * The refund for `qty` more of a line after `before` was returned: the share of what was paid up to the new total
 * minus the share up to the old one, so that the pieces of a line always add up to what it cost.
 */
function share(whole: Minor, sold: number, before: number, qty: number): Minor {
  return mulDivRoundHalfUp(whole, before + qty, sold) - mulDivRoundHalfUp(whole, before, sold);
}

/** Price the lines asked for against what is still returnable. Throws naming what is left when asked for more. */
export function priceReturn(original: OriginalSale, earlier: EarlierReturns, asked: { lineNo: number; qtyMilli: number }[], restock: boolean): ReturnedLine[] {
  const left = returnable(original, earlier);
  const wanted = new Map<number, number>();
  for (const a of asked) {
    if (!Number.isSafeInteger(a.qtyMilli) || a.qtyMilli <= 0) {
      throw new Problem("invalid_quantity", "A quantity to return is more than zero.", { line: a.lineNo });
    }
    wanted.set(a.lineNo, (wanted.get(a.lineNo) ?? 0) + a.qtyMilli);
  }
  if (wanted.size === 0) throw new Problem("nothing_to_return", "Choose at least one line and how many to return.");
  const out: ReturnedLine[] = [];
  for (const [lineNo, qty] of wanted) {
    const line = original.lines.find((l) => l.lineNo === lineNo);
    if (!line) throw new Problem("line_not_found", `Receipt ${original.receiptNumber} has no line ${lineNo}.`, { line: lineNo });
    const rest = left.get(lineNo) ?? 0;
    if (qty > rest) {
      const unit = line.weighed ? " kg" : "";
      throw new Problem(
        "return_exceeds_sold",
        rest <= 0
          ? `${line.name} has already been returned in full.`
          : `Only ${rest / 1000}${unit} of ${line.name} can still be returned (${qty / 1000}${unit} asked).`,
        { line: lineNo, returnable: rest / 1000 },
      );
    }
    if (!line.weighed && qty % 1000 !== 0) throw new Problem("invalid_quantity", `${line.name} is returned in whole units.`, { line: lineNo });
    const before = line.qtyMilli - rest;
    out.push({
      lineNo,
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      weighed: line.weighed,
      qtyMilli: qty,
      refund: share(line.paid, line.qtyMilli, before, qty),
      tax: share(line.tax, line.qtyMilli, before, qty),
      taxClass: line.taxClass,
      rateBp: line.rateBp,
      restock,
    });
  }
  return out.sort((a, b) => a.lineNo - b.lineNo);
}

/**
 * The original tenders, as much as each may still give back: card (and voucher) first up to what they paid less what
 * was refunded to them before, the rest in cash.
 */
export function defaultRefunds(original: OriginalSale, earlier: EarlierReturns, total: Minor): Refund[] {
  const out: Refund[] = [];
  let rest = total;
  for (const method of ["card", "voucher"] as const) {
    const room = (original.tenders.find((t) => t.method === method)?.amount ?? 0) - (earlier.refundedByMethod[method] ?? 0);
    const take = Math.max(0, Math.min(rest, room));
    if (take > 0) out.push({ method, amount: take });
    rest -= take;
  }
  if (rest > 0) out.push({ method: "cash", amount: rest });
  return out;
}

/** What a refund's tenders must add up to: the goods' total, with cash rounded to the cash step. */
function checkRefunds(original: OriginalSale, earlier: EarlierReturns, total: Minor, refunds: Refund[], cashRounding: number): Minor {
  const cash = refunds.filter((r) => r.method === "cash").reduce((s, r) => s + r.amount, 0);
  const other = refunds.filter((r) => r.method !== "cash").reduce((s, r) => s + r.amount, 0);
  for (const r of refunds) {
    if (!Number.isSafeInteger(r.amount) || r.amount <= 0) throw new Problem("invalid_amount", "Each refund is an amount more than zero.");
  }
  // cash rounding: what the goods are worth less what other tenders give back, rounded to the step (to no cash at all
  // when that is less than half a step)
  const cashDue = total - other;
  const rounded = cashDue > 0 && cashRounding > 1 ? roundToUnit(cashDue, cashRounding) : cashDue;
  if (cash + other !== total && cash !== rounded) {
    throw new Problem("refund_mismatch", "The refunds do not add up to what the returned goods come to; give back exactly that.", {
      refunds: cash + other,
      total,
    });
  }
  const card = refunds.filter((r) => r.method === "card").reduce((s, r) => s + r.amount, 0);
  const cardRoom = (original.tenders.find((t) => t.method === "card")?.amount ?? 0) - (earlier.refundedByMethod.card ?? 0);
  if (card > cardRoom) {
    throw new Problem("refund_over_tender", "More is going back to the card than the card paid; give the rest another way.", {
      card,
      room: cardRoom,
    });
  }
  return cash + other === total ? 0 : cash - cashDue;
}

export function decide(command: ReturnCommand, state: ReturnState): ReturnEvent[] {
  switch (command.type) {
    case "CompleteReturn": {
      if (state.status !== "none") throw new Problem("return_exists", "This return is already complete.");
      const lines = priceReturn(command.original, command.earlier, command.lines, command.reason.restock);
      const total = lines.reduce((s, l) => s + l.refund, 0);
      const chosen = Array.isArray(command.refunds);
      const refunds = Array.isArray(command.refunds)
        ? command.refunds
        : command.refunds === "cash"
          ? [{ method: "cash" as const, amount: total }]
          : defaultRefunds(command.original, command.earlier, total);
      const withRounding = (
        chosen
          ? refunds
          : refunds.map((r) => (r.method === "cash" && command.cashRounding > 1 ? { ...r, amount: roundToUnit(r.amount, command.cashRounding) } : r))
      ).map((r) => (r.method === "card" && command.card && !r.card ? { ...r, card: command.card } : r));
      const rounding = checkRefunds(
        command.original,
        command.earlier,
        total,
        withRounding.filter((r) => r.amount > 0),
        command.cashRounding,
      );
      return [
        {
          type: "ReturnCompleted",
          at: command.at,
          return: {
            returnId: command.returnId,
            returnNumber: command.returnNumber,
            registerId: command.registerId,
            saleId: command.original.saleId,
            receiptNumber: command.original.receiptNumber,
            at: command.at,
            reason: command.reason,
            lines,
            total,
            rounding,
            refunds: withRounding.filter((r) => r.amount > 0),
            taxes: summariseTax(lines.map((l) => ({ taxClass: l.taxClass, rateBp: l.rateBp, net: l.refund - l.tax, tax: l.tax }))),
          },
        },
      ];
    }
    default: {
      const never: never = command.type;
      throw new Error(`unknown command ${never}`);
    }
  }
}

export function evolve(_state: ReturnState, event: ReturnEvent): ReturnState {
  switch (event.type) {
    case "ReturnCompleted":
      return { status: "completed", ...event.return };
    default: {
      const never: never = event.type;
      throw new Error(`unknown event ${never}`);
    }
  }
}
