// A return as a decider beside the sale: what may still be returned is the sale's lines less its earlier returns; each
// unit refunds what the customer paid for it — line and sale discounts prorated, tax per rate — so that a sale returned
// in any number of pieces refunds exactly its total. Time, ids and numbers come in with the command.
import { type Minor, mulDivRoundHalfUp, roundToUnit } from "../kernel/money.ts";
import { Problem } from "../kernel/problem.ts";
import { type PricingMode, summariseTax, type TaxSummaryRow } from "../kernel/tax.ts";
import type { CardDetails, LineItem, Sale } from "../sale/sale.ts";
import type { ReturnedLine } from "./lines.ts";
import { priceWithoutReceipt } from "./without-receipt.ts";

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
  /** Another store of the chain sold it (its receipt found through head office); absent: this store. */
  origin?: { storeId: string; storeName: string };
  receiptNumber: string;
  completedAt: string;
  lines: SoldLine[];
  /** What was paid with each tender, net of change given (cash). */
  tenders: { method: RefundMethod; amount: Minor }[];
};

/** What earlier returns of this sale took: per line, the quantity; per tender, the amount refunded. */
export type EarlierReturns = { qtyByLine: Record<number, number>; refundedByMethod: Partial<Record<RefundMethod, Minor>> };

export type { ReturnedLine } from "./lines.ts";

/** A refund; `voucher` is the store credit's code when the money goes back as store credit. */
export type Refund = { method: RefundMethod; amount: Minor; card?: CardDetails; voucher?: string };

/**
 * How the money goes back: "original", the original tenders (card and voucher first up to what they paid, the rest in
 * cash); "cash", all in cash; "store_credit", all as store credit; `{ exchange }`, up to that much as store credit put
 * toward the sale on the register, the rest as "original" (without a receipt: as store credit); `{ toCard }`, that much
 * back to the card and the rest in cash (the cashier's split); or as set.
 */
export type RefundChoice = Refund[] | "original" | "cash" | "store_credit" | { exchange: Minor } | { toCard: Minor };

/** The shop's return policy: days after the sale, products not taken back (SKUs), the most refunded without a receipt. */
export type ReturnPolicy = { days: number | null; nonReturnable: readonly string[]; maxWithoutReceipt: Minor };

export type ReturnReason = { code: string; label: string; restock: boolean };

export type CompletedReturn = {
  status: "completed";
  returnId: string;
  returnNumber: string;
  registerId: number;
  /** The sale returned against; null without a receipt. */
  saleId: string | null;
  receiptNumber: string | null;
  /** Another store's sale (found through head office). */
  origin?: { storeId: string; storeName: string };
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

type ReturnCommon = {
  at: string;
  returnId: string;
  returnNumber: string;
  registerId: number;
  reason: ReturnReason;
  refunds: RefundChoice;
  /** What the card terminal said of a refund to the card (brand, last four, auth code — nothing else). */
  card?: CardDetails;
  /** The smallest cash step (1 = none); applied to the cash given back only. */
  cashRounding: number;
  /** The code a store credit gets, when some of the money goes back as store credit. */
  storeCreditCode?: string;
  /** The shop's policy; null or absent when a manager approved going past it (the most without a receipt still holds). */
  policy?: ReturnPolicy | null;
};

/** A return against a receipt. */
export type ReceiptReturn = Extract<ReturnCommand, { type: "CompleteReturn" }>;

export type ReturnCommand =
  | (ReturnCommon & {
      type: "CompleteReturn";
      original: OriginalSale;
      earlier: EarlierReturns;
      lines: { lineNo: number; qtyMilli: number }[];
    })
  | (ReturnCommon & {
      /** No receipt: each item priced from today's catalog, as it would sell now. */
      type: "ReturnWithoutReceipt";
      items: { item: LineItem; qtyMilli: number }[];
      pricing: PricingMode;
      maxWithoutReceipt: Minor;
    });

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

const DAY_MS = 86_400_000;

/** Where a return goes past the shop's policy, in sentences a cashier can say (empty: it does not). */
export function policyBreaches(policy: ReturnPolicy, at: string, soldAt: string | null, items: { sku: string; name: string }[]): string[] {
  const out: string[] = [];
  if (soldAt && policy.days !== null) {
    const days = Math.floor((Date.parse(at) - Date.parse(soldAt)) / DAY_MS);
    if (days > policy.days) out.push(`This sale was ${days} days ago; the shop takes goods back within ${policy.days} days.`);
  }
  for (const i of items) if (policy.nonReturnable.includes(i.sku)) out.push(`${i.name} is not taken back (the shop's return policy).`);
  return out;
}

const NO_SALE: OriginalSale = { saleId: "", receiptNumber: "", completedAt: "", lines: [], tenders: [] };
const NOTHING_EARLIER: EarlierReturns = { qtyByLine: {}, refundedByMethod: {} };

/** The refunds a choice comes to for `total`; without a receipt, "original" means store credit. */
function refundsOf(choice: RefundChoice, original: OriginalSale | null, earlier: EarlierReturns, total: Minor, cashRounding: number): Refund[] {
  const rounded = (refunds: Refund[]) =>
    refunds.map((r) => (r.method === "cash" && cashRounding > 1 ? { ...r, amount: roundToUnit(r.amount, cashRounding) } : r));
  const rest = (amount: Minor): Refund[] => (amount <= 0 ? [] : original ? defaultRefunds(original, earlier, amount) : [{ method: "voucher", amount }]);
  if (Array.isArray(choice)) return choice;
  if (choice === "cash") return rounded([{ method: "cash", amount: total }]);
  if (choice === "store_credit") return [{ method: "voucher", amount: total }];
  if (choice === "original") return rounded(rest(total));
  if ("toCard" in choice) {
    if (!Number.isSafeInteger(choice.toCard) || choice.toCard < 0 || choice.toCard > total) {
      throw new Problem("refund_mismatch", "The card's part of the refund is at most what the goods come to.", { total, card: choice.toCard });
    }
    return rounded([
      { method: "card", amount: choice.toCard },
      { method: "cash", amount: total - choice.toCard },
    ]);
  }
  if (!Number.isSafeInteger(choice.exchange) || choice.exchange <= 0) {
    throw new Problem("nothing_to_pay", "An exchange needs the new goods on the sale first: scan them, then take the return.");
  }
  const credit = Math.min(total, choice.exchange);
  const others = rounded(rest(total - credit));
  // the credit and, without a receipt, what is left of it, one store credit
  const voucher = others.filter((r) => r.method === "voucher").reduce((s, r) => s + r.amount, credit);
  return [{ method: "voucher", amount: voucher }, ...others.filter((r) => r.method !== "voucher")];
}

export function decide(command: ReturnCommand, state: ReturnState): ReturnEvent[] {
  if (state.status !== "none") throw new Problem("return_exists", "This return is already complete.");
  const withReceipt = command.type === "CompleteReturn";
  const original = withReceipt ? command.original : null;
  const earlier = withReceipt ? command.earlier : NOTHING_EARLIER;
  let lines: ReturnedLine[];
  switch (command.type) {
    case "CompleteReturn":
      lines = priceReturn(command.original, command.earlier, command.lines, command.reason.restock);
      break;
    case "ReturnWithoutReceipt":
      lines = priceWithoutReceipt(command.items, command.pricing, command.reason.restock);
      break;
    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
  if (command.policy) {
    const breaches = policyBreaches(command.policy, command.at, original?.completedAt ?? null, lines);
    if (breaches.length > 0) throw new Problem("outside_return_policy", `${breaches.join(" ")} A manager can approve it.`);
  }
  const total = lines.reduce((s, l) => s + l.refund, 0);
  if (command.type === "ReturnWithoutReceipt" && total > command.maxWithoutReceipt) {
    throw new Problem("over_no_receipt_limit", "Without a receipt the shop refunds at most the limit its policy sets; take fewer items back.", {
      total,
      limit: command.maxWithoutReceipt,
    });
  }
  const refunds = refundsOf(command.refunds, original, earlier, total, command.cashRounding)
    .filter((r) => r.amount !== 0)
    .map((r) => (r.method === "card" && command.card && !r.card ? { ...r, card: command.card } : r));
  const rounding = checkRefunds(original ?? NO_SALE, earlier, total, refunds, command.cashRounding);
  // store credit: one voucher, under the code the command brought
  const credit = refunds.filter((r) => r.method === "voucher").reduce((s, r) => s + r.amount, 0);
  if (credit > 0 && !command.storeCreditCode) throw new Error("a store credit needs its code");
  const given = [
    ...refunds.filter((r) => r.method !== "voucher"),
    ...(credit > 0 ? [{ method: "voucher" as const, amount: credit, voucher: command.storeCreditCode! }] : []),
  ];
  return [
    {
      type: "ReturnCompleted",
      at: command.at,
      return: {
        returnId: command.returnId,
        returnNumber: command.returnNumber,
        registerId: command.registerId,
        saleId: original?.saleId ?? null,
        receiptNumber: original?.receiptNumber ?? null,
        ...(original?.origin ? { origin: original.origin } : {}),
        at: command.at,
        reason: command.reason,
        lines,
        total,
        rounding,
        refunds: given,
        taxes: summariseTax(lines.map((l) => ({ taxClass: l.taxClass, rateBp: l.rateBp, net: l.refund - l.tax, tax: l.tax }))),
      },
    },
  ];
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
