// The sale as a decider: decide(command, state) -> events, evolve(state, event) -> state.
// Time, ids and receipt numbers come in with the commands; nothing here reads a clock or a database.

import type { Minor } from "../kernel/money.ts";
import { Problem } from "../kernel/problem.ts";
import type { PricingMode } from "../kernel/tax.ts";
import { computeTotals, type SaleTotals } from "./totals.ts";

export const MAX_QTY_MILLI = 1_000_000; // 1,000 units or kg on one line
export const MAX_UNIT_PRICE = 100_000_000; // 1,000,000.00 in a two-decimal currency
export const MAX_PAYMENT = 100_000_000_000;

export const paymentMethods = ["cash", "card", "voucher"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** What a card terminal may tell us. Nothing else of a card is ever kept. */
export type CardDetails = { brand?: string; last4?: string; authCode?: string; terminalRef?: string };

/** A payment; `voucher` is the store credit's code when a store credit paid it. */
export type Payment = { paymentId: string; method: PaymentMethod; amount: Minor; card?: CardDetails; voucher?: string };

export type Discount = { kind: "percent"; bp: number; reason?: string } | { kind: "amount"; amount: Minor; reason?: string };

export type Pricing = { mode: PricingMode; cashRounding: number };

/** A product as it was when scanned: later catalog changes do not touch an open sale. */
export type LineItem = {
  productId: number;
  sku: string;
  barcode: string | null;
  name: string;
  unitPrice: Minor;
  weighed: boolean;
  taxClass: string;
  rateBp: number;
};

export type SaleLine = LineItem & {
  lineId: string;
  qtyMilli: number;
  originalPrice: Minor;
  overrideReason?: string;
  discount?: Discount;
};

export type SaleStatus = "open" | "parked" | "completed" | "cancelled";

export type Sale = {
  status: SaleStatus;
  saleId: string;
  registerId: number;
  openedAt: string;
  pricing: Pricing;
  lines: SaleLine[];
  saleDiscount: Discount | null;
  payments: Payment[];
  receiptNumber: string | null;
  completedAt: string | null;
  cancelReason: string | null;
  /** The totals as they were at completion, kept so history never changes with the code. */
  finalTotals: SaleTotals | null;
};

export type SaleState = { status: "none" } | Sale;
export const initialState: SaleState = { status: "none" };

export type SaleEvent =
  | { type: "SaleStarted"; at: string; saleId: string; registerId: number; pricing: Pricing }
  | { type: "ItemAdded"; at: string; line: SaleLine }
  | { type: "ItemRemoved"; at: string; lineId: string }
  | { type: "QuantityChanged"; at: string; lineId: string; qtyMilli: number }
  | { type: "PriceOverridden"; at: string; lineId: string; unitPrice: Minor; reason: string }
  | { type: "DiscountApplied"; at: string; lineId: string | null; discount: Discount | null }
  | { type: "PaymentAdded"; at: string; payment: Payment }
  | { type: "PaymentRemoved"; at: string; paymentId: string }
  | { type: "SaleParked"; at: string }
  | { type: "SaleResumed"; at: string; registerId?: number }
  | { type: "SaleCompleted"; at: string; receiptNumber: string; totals: SaleTotals }
  | { type: "SaleCancelled"; at: string; reason: string };

export type SaleCommand =
  | { type: "StartSale"; at: string; saleId: string; registerId: number; pricing: Pricing }
  | { type: "AddItem"; at: string; lineId: string; item: LineItem; qtyMilli: number }
  | { type: "RemoveItem"; at: string; lineId: string }
  | { type: "ChangeQuantity"; at: string; lineId: string; qtyMilli: number }
  | { type: "OverridePrice"; at: string; lineId: string; unitPrice: Minor; reason: string }
  | { type: "ApplyDiscount"; at: string; lineId: string | null; discount: Discount | null }
  | { type: "AddPayment"; at: string; payment: Payment }
  | { type: "RemovePayment"; at: string; paymentId: string }
  | { type: "ParkSale"; at: string }
  | { type: "ResumeSale"; at: string; registerId?: number }
  | { type: "CompleteSale"; at: string; receiptNumber: string }
  | { type: "CancelSale"; at: string; reason: string };

function openSale(state: SaleState): Sale {
  if (state.status === "none") throw new Problem("sale_not_found", "There is no sale. Start a new sale first.");
  if (state.status !== "open") {
    throw new Problem("sale_not_open", `This sale is ${state.status}; it can no longer be changed.`, { status: state.status });
  }
  return state;
}

function findLine(sale: Sale, lineId: string): SaleLine {
  const line = sale.lines.find((l) => l.lineId === lineId);
  if (!line) throw new Problem("line_not_found", "That line is not on this sale (it may have been removed).", { lineId });
  return line;
}

function checkQuantity(qtyMilli: number, weighed: boolean, name: string): void {
  if (!Number.isSafeInteger(qtyMilli) || qtyMilli <= 0) {
    throw new Problem("invalid_quantity", `Quantity for ${name} must be more than zero.`, { qty: qtyMilli / 1000 });
  }
  if (!weighed && qtyMilli % 1000 !== 0) {
    throw new Problem("fractional_quantity", `${name} is sold by the unit: use a whole number.`, { qty: qtyMilli / 1000 });
  }
  if (qtyMilli > MAX_QTY_MILLI) {
    throw new Problem("quantity_too_large", `Quantity for ${name} is more than ${MAX_QTY_MILLI / 1000}; split it over lines.`, { qty: qtyMilli / 1000 });
  }
}

function checkPrice(price: Minor): void {
  if (!Number.isSafeInteger(price) || price < 0 || price > MAX_UNIT_PRICE) {
    throw new Problem("invalid_price", "A price must be a whole number of minor units between 0 and 100000000.", { price });
  }
}

function checkDiscount(d: Discount | null): void {
  if (!d) return;
  if (d.kind === "percent" && (!Number.isSafeInteger(d.bp) || d.bp <= 0 || d.bp > 10000)) {
    throw new Problem("invalid_discount", "A percent discount must be more than 0 % and at most 100 %.");
  }
  if (d.kind === "amount" && (!Number.isSafeInteger(d.amount) || d.amount <= 0 || d.amount > MAX_PAYMENT)) {
    throw new Problem("invalid_discount", "A discount amount must be a positive whole number of minor units.");
  }
}

export function decide(command: SaleCommand, state: SaleState): SaleEvent[] {
  const at = command.at;
  switch (command.type) {
    case "StartSale": {
      if (state.status !== "none") throw new Problem("sale_exists", "This sale has already been started.");
      return [{ type: "SaleStarted", at, saleId: command.saleId, registerId: command.registerId, pricing: command.pricing }];
    }
    case "AddItem": {
      const sale = openSale(state);
      checkQuantity(command.qtyMilli, command.item.weighed, command.item.name);
      checkPrice(command.item.unitPrice);
      if (sale.lines.some((l) => l.lineId === command.lineId)) throw new Problem("line_exists", "That line id is already used.");
      const line: SaleLine = { ...command.item, lineId: command.lineId, qtyMilli: command.qtyMilli, originalPrice: command.item.unitPrice };
      return [{ type: "ItemAdded", at, line }];
    }
    case "RemoveItem": {
      findLine(openSale(state), command.lineId);
      return [{ type: "ItemRemoved", at, lineId: command.lineId }];
    }
    case "ChangeQuantity": {
      const line = findLine(openSale(state), command.lineId);
      checkQuantity(command.qtyMilli, line.weighed, line.name);
      return [{ type: "QuantityChanged", at, lineId: command.lineId, qtyMilli: command.qtyMilli }];
    }
    case "OverridePrice": {
      findLine(openSale(state), command.lineId);
      checkPrice(command.unitPrice);
      if (!command.reason.trim()) throw new Problem("reason_required", "Say why the price is changed.");
      return [{ type: "PriceOverridden", at, lineId: command.lineId, unitPrice: command.unitPrice, reason: command.reason }];
    }
    case "ApplyDiscount": {
      const sale = openSale(state);
      if (command.lineId !== null) findLine(sale, command.lineId);
      checkDiscount(command.discount);
      return [{ type: "DiscountApplied", at, lineId: command.lineId, discount: command.discount }];
    }
    case "AddPayment": {
      const sale = openSale(state);
      const p = command.payment;
      if (!(paymentMethods as readonly string[]).includes(p.method)) {
        throw new Problem("unknown_payment_method", `Unknown payment method "${p.method}"; use cash, card or voucher.`);
      }
      if (!Number.isSafeInteger(p.amount) || p.amount <= 0 || p.amount > MAX_PAYMENT) {
        throw new Problem("invalid_amount", "A payment must be a positive whole number of minor units.", { amount: p.amount });
      }
      if (sale.lines.length === 0) throw new Problem("empty_sale", "Add an item before taking payment.");
      if (sale.payments.some((x) => x.paymentId === p.paymentId)) throw new Problem("payment_exists", "That payment id is already used.");
      if (p.method !== "cash") {
        const due = computeTotals(sale).due;
        if (p.amount > due) {
          throw new Problem("payment_exceeds_due", `A ${p.method} payment cannot be more than the amount due; only cash gives change.`, {
            due,
            amount: p.amount,
          });
        }
      }
      return [{ type: "PaymentAdded", at, payment: p }];
    }
    case "RemovePayment": {
      const sale = openSale(state);
      if (!sale.payments.some((x) => x.paymentId === command.paymentId)) {
        throw new Problem("payment_not_found", "That payment is not on this sale.");
      }
      return [{ type: "PaymentRemoved", at, paymentId: command.paymentId }];
    }
    case "ParkSale": {
      const sale = openSale(state);
      if (sale.lines.length === 0) throw new Problem("empty_sale", "There is nothing to park: the sale has no items.");
      if (sale.payments.length > 0) throw new Problem("sale_has_payments", "Remove the payments before parking this sale.");
      return [{ type: "SaleParked", at }];
    }
    case "ResumeSale": {
      if (state.status !== "parked") throw new Problem("sale_not_parked", "Only a parked sale can be recalled.");
      // A parked sale may be recalled at any register; it carries on there.
      return [command.registerId === undefined ? { type: "SaleResumed", at } : { type: "SaleResumed", at, registerId: command.registerId }];
    }
    case "CompleteSale": {
      const sale = openSale(state);
      if (sale.lines.length === 0) throw new Problem("empty_sale", "A sale needs at least one item.");
      const totals = computeTotals(sale);
      if (totals.due > 0) {
        throw new Problem("underpaid", `The customer still owes ${totals.due} (minor units).`, {
          due: totals.due,
          payable: totals.payable,
          paid: totals.paid,
        });
      }
      const cash = sale.payments.filter((p) => p.method === "cash").reduce((s, p) => s + p.amount, 0);
      if (totals.change > cash) {
        throw new Problem("overpaid_non_cash", "Card and voucher payments are more than the total; remove one, only cash gives change.", {
          change: totals.change,
        });
      }
      return [{ type: "SaleCompleted", at, receiptNumber: command.receiptNumber, totals }];
    }
    case "CancelSale": {
      if (state.status === "none") throw new Problem("sale_not_found", "There is no sale to cancel.");
      if (state.status !== "open" && state.status !== "parked") {
        throw new Problem("sale_not_open", `This sale is ${state.status}; it cannot be cancelled.`);
      }
      if (state.payments.some((p) => p.method !== "cash")) {
        throw new Problem("sale_has_card_payments", "Refund and remove the card payments before cancelling.");
      }
      return [{ type: "SaleCancelled", at, reason: command.reason }];
    }
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function mapLine(sale: Sale, lineId: string, f: (l: SaleLine) => SaleLine): Sale {
  return { ...sale, lines: sale.lines.map((l) => (l.lineId === lineId ? f(l) : l)) };
}

export function evolve(state: SaleState, event: SaleEvent): SaleState {
  if (event.type === "SaleStarted") {
    return {
      status: "open",
      saleId: event.saleId,
      registerId: event.registerId,
      openedAt: event.at,
      pricing: event.pricing,
      lines: [],
      saleDiscount: null,
      payments: [],
      receiptNumber: null,
      completedAt: null,
      cancelReason: null,
      finalTotals: null,
    };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "ItemAdded":
      return { ...state, lines: [...state.lines, event.line] };
    case "ItemRemoved":
      return { ...state, lines: state.lines.filter((l) => l.lineId !== event.lineId) };
    case "QuantityChanged":
      return mapLine(state, event.lineId, (l) => ({ ...l, qtyMilli: event.qtyMilli }));
    case "PriceOverridden":
      return mapLine(state, event.lineId, (l) => ({ ...l, unitPrice: event.unitPrice, overrideReason: event.reason }));
    case "DiscountApplied": {
      if (event.lineId === null) return { ...state, saleDiscount: event.discount };
      return mapLine(state, event.lineId, (l) => {
        const { discount: _old, ...rest } = l;
        return event.discount ? { ...rest, discount: event.discount } : rest;
      });
    }
    case "PaymentAdded":
      return { ...state, payments: [...state.payments, event.payment] };
    case "PaymentRemoved":
      return { ...state, payments: state.payments.filter((p) => p.paymentId !== event.paymentId) };
    case "SaleParked":
      return { ...state, status: "parked" };
    case "SaleResumed":
      return { ...state, status: "open", registerId: event.registerId ?? state.registerId };
    case "SaleCompleted":
      return { ...state, status: "completed", receiptNumber: event.receiptNumber, completedAt: event.at, finalTotals: event.totals };
    case "SaleCancelled":
      return { ...state, status: "cancelled", cancelReason: event.reason };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * What a scan does: a unit item scanned again right after itself adds one to that line (a cashier expects
 * "Milk x 2"); anything else, weighed or price-labelled or changed by hand, gets a line of its own.
 */
export function scanCommand(sale: Sale, item: LineItem, qtyMilli: number, lineId: string, at: string): SaleCommand {
  const last = sale.lines.at(-1);
  const same =
    last &&
    !item.weighed &&
    !last.weighed &&
    last.productId === item.productId &&
    last.barcode === item.barcode &&
    last.unitPrice === item.unitPrice &&
    last.originalPrice === last.unitPrice &&
    !last.discount;
  if (same) return { type: "ChangeQuantity", at, lineId: last.lineId, qtyMilli: last.qtyMilli + qtyMilli };
  return { type: "AddItem", at, lineId, item, qtyMilli };
}

export function rebuild(events: readonly SaleEvent[]): SaleState {
  return events.reduce(evolve, initialState);
}

/** Decide and evolve in one step, for callers that hold the state. */
export function run(state: SaleState, command: SaleCommand): { state: SaleState; events: SaleEvent[] } {
  const events = decide(command, state);
  return { state: events.reduce(evolve, state), events };
}
