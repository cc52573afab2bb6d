// The sale decider as a specification: given these events, when this command, then these events (or this error).

import { describe, expect, test } from "bun:test";
import { Problem } from "../kernel/problem.ts";
import {
  decide,
  initialState,
  type LineItem,
  type Pricing,
  rebuild,
  run,
  type Sale,
  type SaleCommand,
  type SaleEvent,
  type SaleLine,
  type SaleState,
} from "./sale.ts";
import { computeTotals, lineAmount } from "./totals.ts";

const at = "2025-03-01T10:00:00.000Z";
const later = "2025-03-01T10:05:00.000Z";
const euro: Pricing = { mode: "inclusive", cashRounding: 1 };
const swiss: Pricing = { mode: "inclusive", cashRounding: 5 };
const us: Pricing = { mode: "exclusive", cashRounding: 1 };

const milk: LineItem = {
  productId: 1,
  sku: "MILK-1L",
  barcode: "4006381333931",
  name: "Milk 1 l",
  unitPrice: 119,
  weighed: false,
  taxClass: "reduced",
  rateBp: 700,
};
const bread: LineItem = {
  productId: 2,
  sku: "BREAD",
  barcode: "73513537",
  name: "Rye bread",
  unitPrice: 249,
  weighed: false,
  taxClass: "reduced",
  rateBp: 700,
};
const wine: LineItem = {
  productId: 3,
  sku: "WINE-RED",
  barcode: "036000291452",
  name: "Red wine",
  unitPrice: 899,
  weighed: false,
  taxClass: "standard",
  rateBp: 1900,
};
const cheese: LineItem = {
  productId: 4,
  sku: "CHEESE-KG",
  barcode: "2300042000005",
  name: "Gouda",
  unitPrice: 1299,
  weighed: true,
  taxClass: "reduced",
  rateBp: 700,
};

const item = (over: Partial<LineItem>): LineItem => ({ ...milk, ...over });

// Events, as the till would have recorded them.
const started = (pricing: Pricing = euro): SaleEvent => ({ type: "SaleStarted", at, saleId: "S-1", registerId: 1, pricing });
const lineOf = (lineId: string, it: LineItem, qtyMilli = 1000): SaleLine => ({ ...it, lineId, qtyMilli, originalPrice: it.unitPrice });
const added = (lineId: string, it: LineItem, qtyMilli = 1000): SaleEvent => ({ type: "ItemAdded", at, line: lineOf(lineId, it, qtyMilli) });
const paid = (paymentId: string, method: "cash" | "card" | "voucher", amount: number): SaleEvent => ({
  type: "PaymentAdded",
  at,
  payment: { paymentId, method, amount },
});

// Commands.
const addItem = (lineId: string, it: LineItem, qtyMilli = 1000): SaleCommand => ({ type: "AddItem", at, lineId, item: it, qtyMilli });
const pay = (paymentId: string, method: "cash" | "card" | "voucher", amount: number): SaleCommand => ({
  type: "AddPayment",
  at,
  payment: { paymentId, method, amount },
});
const complete: SaleCommand = { type: "CompleteSale", at: later, receiptNumber: "R-0001" };

function given(...events: SaleEvent[]): SaleState {
  return rebuild(events);
}

function saleOf(state: SaleState): Sale {
  if (state.status === "none") throw new Error("expected a started sale");
  return state;
}

function totalsAfter(...events: SaleEvent[]) {
  return computeTotals(saleOf(given(...events)));
}

/** The error code the decider refuses `command` with; fails when it is accepted or throws anything else. */
function refusal(command: SaleCommand, state: SaleState): string {
  try {
    decide(command, state);
  } catch (e) {
    if (e instanceof Problem) return e.code;
    throw e;
  }
  throw new Error(`expected ${command.type} to be refused, but it was accepted`);
}

describe("starting a sale", () => {
  test("given no sale, when started, then SaleStarted with the store's pricing", () => {
    const command: SaleCommand = { type: "StartSale", at, saleId: "S-1", registerId: 1, pricing: euro };
    expect(decide(command, initialState)).toEqual([started()]);
    expect(given(started())).toEqual({
      status: "open",
      saleId: "S-1",
      registerId: 1,
      openedAt: at,
      pricing: euro,
      lines: [],
      saleDiscount: null,
      payments: [],
      receiptNumber: null,
      completedAt: null,
      cancelReason: null,
      finalTotals: null,
    });
  });

  test("a sale cannot be started twice", () => {
    expect(refusal({ type: "StartSale", at, saleId: "S-2", registerId: 1, pricing: euro }, given(started()))).toBe("sale_exists");
  });

  test("nothing can be done before the sale is started", () => {
    expect(refusal(addItem("l1", milk), initialState)).toBe("sale_not_found");
    expect(refusal(pay("p1", "cash", 100), initialState)).toBe("sale_not_found");
    expect(refusal(complete, initialState)).toBe("sale_not_found");
    expect(refusal({ type: "CancelSale", at, reason: "oops" }, initialState)).toBe("sale_not_found");
  });
});

describe("adding items", () => {
  test("when milk is scanned twice, then one line of 2 with the price as scanned", () => {
    expect(decide(addItem("l1", milk, 2000), given(started()))).toEqual([
      { type: "ItemAdded", at, line: { ...milk, lineId: "l1", qtyMilli: 2000, originalPrice: 119 } },
    ]);
    expect(totalsAfter(started(), added("l1", milk, 2000)).total).toBe(238);
  });

  test("a unit item cannot be sold in fractions", () => {
    expect(refusal(addItem("l1", milk, 1500), given(started()))).toBe("fractional_quantity");
  });

  test("a quantity must be more than zero", () => {
    expect(refusal(addItem("l1", milk, 0), given(started()))).toBe("invalid_quantity");
    expect(refusal(addItem("l1", milk, -1000), given(started()))).toBe("invalid_quantity");
    expect(refusal(addItem("l1", cheese, 0.5), given(started()))).toBe("invalid_quantity");
  });

  test("more than 1,000 on one line is refused", () => {
    expect(refusal(addItem("l1", milk, 1_001_000), given(started()))).toBe("quantity_too_large");
    expect(decide(addItem("l1", milk, 1_000_000), given(started()))).toHaveLength(1);
  });

  test("0.250 kg of Gouda at 12.99/kg is 3.25 (324.75 rounded half up)", () => {
    const events = decide(addItem("l1", cheese, 250), given(started()));
    expect(events).toEqual([added("l1", cheese, 250)]);
    expect(lineAmount({ unitPrice: 1299, qtyMilli: 250 })).toBe(325);
    const totals = totalsAfter(started(), ...events);
    expect(totals.lines[0]).toMatchObject({ amount: 325, total: 325 });
    expect(totals.total).toBe(325);
  });

  test("a price that is negative, fractional or absurd is refused", () => {
    expect(refusal(addItem("l1", item({ unitPrice: -1 })), given(started()))).toBe("invalid_price");
    expect(refusal(addItem("l1", item({ unitPrice: 1.5 })), given(started()))).toBe("invalid_price");
    expect(refusal(addItem("l1", item({ unitPrice: 100_000_001 })), given(started()))).toBe("invalid_price");
  });

  test("a line id cannot be used twice", () => {
    expect(refusal(addItem("l1", bread), given(started(), added("l1", milk)))).toBe("line_exists");
  });
});

describe("changing lines", () => {
  const twoLines = [started(), added("l1", milk, 2000), added("l2", cheese, 500)] as const;

  test("when a line is removed, then ItemRemoved and the line is gone", () => {
    const events = decide({ type: "RemoveItem", at, lineId: "l1" }, given(...twoLines));
    expect(events).toEqual([{ type: "ItemRemoved", at, lineId: "l1" }]);
    expect(saleOf(given(...twoLines, ...events)).lines.map((l) => l.lineId)).toEqual(["l2"]);
  });

  test("removing or changing a line that is not there is refused", () => {
    expect(refusal({ type: "RemoveItem", at, lineId: "nope" }, given(...twoLines))).toBe("line_not_found");
    expect(refusal({ type: "ChangeQuantity", at, lineId: "nope", qtyMilli: 1000 }, given(...twoLines))).toBe("line_not_found");
    expect(refusal({ type: "OverridePrice", at, lineId: "nope", unitPrice: 1, reason: "x" }, given(...twoLines))).toBe("line_not_found");
    expect(refusal({ type: "ApplyDiscount", at, lineId: "nope", discount: { kind: "percent", bp: 1000 } }, given(...twoLines))).toBe("line_not_found");
  });

  test("when the quantity is changed, then QuantityChanged and the amount follows", () => {
    const events = decide({ type: "ChangeQuantity", at, lineId: "l1", qtyMilli: 3000 }, given(...twoLines));
    expect(events).toEqual([{ type: "QuantityChanged", at, lineId: "l1", qtyMilli: 3000 }]);
    expect(totalsAfter(...twoLines, ...events).lines[0]?.amount).toBe(357);
  });

  test("a changed quantity follows the same rules as a scanned one", () => {
    expect(refusal({ type: "ChangeQuantity", at, lineId: "l1", qtyMilli: 2500 }, given(...twoLines))).toBe("fractional_quantity");
    expect(refusal({ type: "ChangeQuantity", at, lineId: "l1", qtyMilli: 0 }, given(...twoLines))).toBe("invalid_quantity");
    expect(refusal({ type: "ChangeQuantity", at, lineId: "l1", qtyMilli: -2000 }, given(...twoLines))).toBe("invalid_quantity");
    expect(decide({ type: "ChangeQuantity", at, lineId: "l2", qtyMilli: 1234 }, given(...twoLines))).toHaveLength(1);
  });

  test("when a price is overridden with a reason, then the new price counts and the scanned one is kept", () => {
    const events = decide({ type: "OverridePrice", at, lineId: "l1", unitPrice: 99, reason: "damaged packaging" }, given(...twoLines));
    expect(events).toEqual([{ type: "PriceOverridden", at, lineId: "l1", unitPrice: 99, reason: "damaged packaging" }]);
    const line = saleOf(given(...twoLines, ...events)).lines[0];
    expect(line).toMatchObject({ unitPrice: 99, originalPrice: 119, overrideReason: "damaged packaging" });
    expect(totalsAfter(...twoLines, ...events).lines[0]?.amount).toBe(198);
  });

  test("a price override needs a reason and a valid price", () => {
    expect(refusal({ type: "OverridePrice", at, lineId: "l1", unitPrice: 99, reason: "" }, given(...twoLines))).toBe("reason_required");
    expect(refusal({ type: "OverridePrice", at, lineId: "l1", unitPrice: 99, reason: "   " }, given(...twoLines))).toBe("reason_required");
    expect(refusal({ type: "OverridePrice", at, lineId: "l1", unitPrice: -5, reason: "x" }, given(...twoLines))).toBe("invalid_price");
  });
});

describe("discounts", () => {
  test("10 % off a line of two breads (4.98) is 0.50 (49.8 rounded)", () => {
    const state = given(started(), added("l1", bread, 2000));
    const events = decide({ type: "ApplyDiscount", at, lineId: "l1", discount: { kind: "percent", bp: 1000, reason: "staff" } }, state);
    expect(events).toEqual([{ type: "DiscountApplied", at, lineId: "l1", discount: { kind: "percent", bp: 1000, reason: "staff" } }]);
    const totals = totalsAfter(started(), added("l1", bread, 2000), ...events);
    expect(totals).toMatchObject({ subtotal: 498, discount: 50, total: 448 });
  });

  test("an amount off a line is capped at the line's amount", () => {
    const base = [started(), added("l1", bread), added("l2", milk)] as const;
    const off150: SaleEvent = { type: "DiscountApplied", at, lineId: "l1", discount: { kind: "amount", amount: 150 } };
    expect(totalsAfter(...base, off150).lines.map((l) => l.total)).toEqual([99, 119]);
    const off1000: SaleEvent = { type: "DiscountApplied", at, lineId: "l1", discount: { kind: "amount", amount: 1000 } };
    expect(totalsAfter(...base, off1000)).toMatchObject({ subtotal: 368, discount: 249, total: 119 });
  });

  test("removing a line discount takes it off the line entirely", () => {
    const withDiscount = [started(), added("l1", bread), { type: "DiscountApplied", at, lineId: "l1", discount: { kind: "percent", bp: 5000 } }] as const;
    const removed: SaleEvent = { type: "DiscountApplied", at, lineId: "l1", discount: null };
    expect(totalsAfter(...withDiscount).total).toBe(124);
    expect(saleOf(given(...withDiscount, removed)).lines[0]).toEqual(lineOf("l1", bread));
    expect(totalsAfter(...withDiscount, removed).total).toBe(249);
  });

  test("a sale discount of 1.00 over three lines is allocated so the line totals add up to the total", () => {
    const events = [
      started(),
      added("l1", item({ unitPrice: 333 })),
      added("l2", item({ unitPrice: 333 })),
      added("l3", item({ unitPrice: 334 })),
      { type: "DiscountApplied", at, lineId: null, discount: { kind: "amount", amount: 100 } },
    ] as const;
    const totals = totalsAfter(...events);
    expect(totals.lines.map((l) => l.discount)).toEqual([33, 33, 34]);
    expect(totals.lines.map((l) => l.total)).toEqual([300, 300, 300]);
    expect(totals).toMatchObject({ subtotal: 1000, discount: 100, total: 900 });
  });

  test("a 5 % sale discount comes after line discounts: 5.99 gives 0.30, split by largest remainder", () => {
    const events = [
      started(),
      added("l1", item({ unitPrice: 299 })),
      added("l2", item({ unitPrice: 399 })),
      added("l3", item({ unitPrice: 1 })),
      { type: "DiscountApplied", at, lineId: "l2", discount: { kind: "amount", amount: 100 } },
      { type: "DiscountApplied", at, lineId: null, discount: { kind: "percent", bp: 500 } },
    ] as const;
    const totals = totalsAfter(...events);
    // after the line discount the lines are 2.99, 2.99 and 0.01; 5 % of 5.99 is 0.30 (29.95 rounded)
    expect(totals.lines.map((l) => l.discount)).toEqual([15, 100 + 15, 0]);
    expect(totals.lines.map((l) => l.total)).toEqual([284, 284, 1]);
    expect(totals).toMatchObject({ subtotal: 699, discount: 130, total: 569 });
    expect(totals.lines.reduce((s, l) => s + l.total, 0)).toBe(totals.total);
  });

  test("a sale discount can be replaced and removed", () => {
    const base = [started(), added("l1", wine)] as const;
    const tenPercent: SaleEvent = { type: "DiscountApplied", at, lineId: null, discount: { kind: "percent", bp: 1000 } };
    const none: SaleEvent = { type: "DiscountApplied", at, lineId: null, discount: null };
    expect(totalsAfter(...base, tenPercent).total).toBe(809);
    expect(totalsAfter(...base, tenPercent, none).total).toBe(899);
    expect(saleOf(given(...base, tenPercent, none)).saleDiscount).toBeNull();
  });

  test("a discount must be more than nothing and at most everything", () => {
    const state = given(started(), added("l1", wine));
    const discount = (d: Extract<SaleCommand, { type: "ApplyDiscount" }>) => refusal(d, state);
    expect(discount({ type: "ApplyDiscount", at, lineId: null, discount: { kind: "percent", bp: 0 } })).toBe("invalid_discount");
    expect(discount({ type: "ApplyDiscount", at, lineId: null, discount: { kind: "percent", bp: 10001 } })).toBe("invalid_discount");
    expect(discount({ type: "ApplyDiscount", at, lineId: "l1", discount: { kind: "percent", bp: 12.5 } })).toBe("invalid_discount");
    expect(discount({ type: "ApplyDiscount", at, lineId: "l1", discount: { kind: "amount", amount: 0 } })).toBe("invalid_discount");
    expect(discount({ type: "ApplyDiscount", at, lineId: "l1", discount: { kind: "amount", amount: -100 } })).toBe("invalid_discount");
    const all = decide({ type: "ApplyDiscount", at, lineId: null, discount: { kind: "percent", bp: 10000 } }, state);
    expect(totalsAfter(started(), added("l1", wine), ...all)).toMatchObject({ discount: 899, tax: 0, total: 0 });
  });
});

describe("tax", () => {
  test("prices with tax: per-line tax, summed per rate", () => {
    const totals = totalsAfter(started(), added("l1", wine), added("l2", bread, 2000), added("l3", milk));
    expect(totals.lines.map((l) => [l.net, l.tax, l.total])).toEqual([
      [755, 144, 899],
      [465, 33, 498],
      [111, 8, 119],
    ]);
    expect(totals.taxes).toEqual([
      { taxClass: "reduced", rateBp: 700, net: 576, tax: 41 },
      { taxClass: "standard", rateBp: 1900, net: 755, tax: 144 },
    ]);
    expect(totals).toMatchObject({ subtotal: 1516, discount: 0, tax: 185, total: 1516, payable: 1516, due: 1516 });
  });

  test("prices without tax: 8.25 % is added at the till, food at 0 % is not", () => {
    const hammer = item({ sku: "HAMMER", name: "Hammer", unitPrice: 1000, taxClass: "general", rateBp: 825 });
    const apples = item({ sku: "APPLES", name: "Apples", unitPrice: 500, taxClass: "food", rateBp: 0 });
    const totals = totalsAfter(started(us), added("l1", hammer), added("l2", apples));
    expect(totals).toMatchObject({ subtotal: 1500, tax: 83, total: 1583 });
    expect(totals.taxes).toEqual([
      { taxClass: "food", rateBp: 0, net: 500, tax: 0 },
      { taxClass: "general", rateBp: 825, net: 1000, tax: 83 },
    ]);
  });

  test("tax is charged on the price after discounts", () => {
    const hammer = item({ unitPrice: 1000, taxClass: "general", rateBp: 825 });
    const totals = totalsAfter(started(us), added("l1", hammer), {
      type: "DiscountApplied",
      at,
      lineId: null,
      discount: { kind: "percent", bp: 2000 },
    });
    expect(totals).toMatchObject({ subtotal: 1000, discount: 200, tax: 66, total: 866 });
  });
});

describe("payments", () => {
  const basket = [started(), added("l1", wine), added("l2", bread, 2000), added("l3", milk)] as const; // 15.16

  test("when the customer pays by card, then PaymentAdded and nothing is due", () => {
    const events = decide(pay("p1", "card", 1516), given(...basket));
    expect(events).toEqual([paid("p1", "card", 1516)]);
    expect(totalsAfter(...basket, ...events)).toMatchObject({ paid: 1516, due: 0, change: 0 });
  });

  test("a card or voucher cannot pay more than is due; only cash gives change", () => {
    expect(refusal(pay("p1", "card", 1517), given(...basket))).toBe("payment_exceeds_due");
    expect(refusal(pay("p2", "voucher", 600), given(...basket, paid("p1", "card", 1000)))).toBe("payment_exceeds_due");
    expect(decide(pay("p2", "voucher", 516), given(...basket, paid("p1", "card", 1000)))).toHaveLength(1);
  });

  test("a payment must be a positive whole amount, on a sale with items, with a new id", () => {
    expect(refusal(pay("p1", "cash", 0), given(...basket))).toBe("invalid_amount");
    expect(refusal(pay("p1", "cash", -100), given(...basket))).toBe("invalid_amount");
    expect(refusal(pay("p1", "cash", 10.5), given(...basket))).toBe("invalid_amount");
    expect(refusal(pay("p1", "cash", 100), given(started()))).toBe("empty_sale");
    expect(refusal(pay("p1", "cash", 100), given(...basket, paid("p1", "cash", 500)))).toBe("payment_exists");
    const cheque = { type: "AddPayment", at, payment: { paymentId: "p1", method: "cheque", amount: 100 } } as unknown as SaleCommand;
    expect(refusal(cheque, given(...basket))).toBe("unknown_payment_method");
  });

  test("a payment can be taken off again", () => {
    const state = given(...basket, paid("p1", "card", 1000));
    const events = decide({ type: "RemovePayment", at, paymentId: "p1" }, state);
    expect(events).toEqual([{ type: "PaymentRemoved", at, paymentId: "p1" }]);
    expect(totalsAfter(...basket, paid("p1", "card", 1000), ...events)).toMatchObject({ paid: 0, due: 1516 });
    expect(refusal({ type: "RemovePayment", at, paymentId: "p9" }, state)).toBe("payment_not_found");
  });

  test("completing with money still owed is refused with what is due", () => {
    const state = given(...basket, paid("p1", "card", 1000));
    expect(refusal(complete, state)).toBe("underpaid");
    try {
      decide(complete, state);
    } catch (e) {
      expect(e).toBeInstanceOf(Problem);
      expect((e as Problem).details).toEqual({ due: 516, payable: 1516, paid: 1000 });
    }
  });

  test("a sale needs an item to complete", () => {
    expect(refusal(complete, given(started()))).toBe("empty_sale");
  });

  test("cash: 20.00 for 15.16 gives 4.84 change, recorded at completion", () => {
    const state = given(...basket, paid("p1", "cash", 2000));
    const events = decide(complete, state);
    expect(events).toHaveLength(1);
    const [done] = events;
    if (done?.type !== "SaleCompleted") throw new Error("expected SaleCompleted");
    expect(done).toMatchObject({ type: "SaleCompleted", at: later, receiptNumber: "R-0001" });
    expect(done.totals).toMatchObject({ total: 1516, rounding: 0, payable: 1516, paid: 2000, due: 0, change: 484 });
    expect(done.totals).toEqual(computeTotals(saleOf(state)));
    expect(given(...basket, paid("p1", "cash", 2000), done)).toMatchObject({
      status: "completed",
      receiptNumber: "R-0001",
      completedAt: later,
      finalTotals: done.totals,
    });
  });

  test("card plus cash: the cash pays the rest and gets the change", () => {
    const totals = totalsAfter(...basket, paid("p1", "card", 1000), paid("p2", "cash", 1000));
    expect(totals).toMatchObject({ paid: 2000, due: 0, change: 484 });
  });

  test("card and voucher payments that became more than the total cannot complete", () => {
    const state = given(...basket, paid("p1", "card", 1516), { type: "ItemRemoved", at, lineId: "l3" });
    expect(computeTotals(saleOf(state))).toMatchObject({ total: 1397, change: 119 });
    expect(refusal(complete, state)).toBe("overpaid_non_cash");
  });

  test("a free sale completes without payment", () => {
    const state = given(started(), added("l1", item({ unitPrice: 0 })));
    expect(decide(complete, state)[0]).toMatchObject({ type: "SaleCompleted", totals: { total: 0, payable: 0, due: 0 } });
  });
});

describe("cash rounding to 0.05", () => {
  test("1.02 paid in cash: payable 1.00, rounding -0.02 recorded", () => {
    const base = [started(swiss), added("l1", item({ unitPrice: 102 }))] as const;
    expect(totalsAfter(...base)).toMatchObject({ total: 102, rounding: 0, payable: 102, due: 102 });
    const state = given(...base, paid("p1", "cash", 100));
    expect(computeTotals(saleOf(state))).toMatchObject({ total: 102, rounding: -2, payable: 100, paid: 100, due: 0, change: 0 });
    const [done] = decide(complete, state);
    expect(done).toMatchObject({ type: "SaleCompleted", totals: { total: 102, rounding: -2, payable: 100 } });
  });

  test("1.03 paid with 2.00 cash: payable 1.05, change 0.95", () => {
    const totals = totalsAfter(started(swiss), added("l1", item({ unitPrice: 103 })), paid("p1", "cash", 200));
    expect(totals).toMatchObject({ total: 103, rounding: 2, payable: 105, paid: 200, due: 0, change: 95 });
  });

  test("a card pays to the cent: no rounding", () => {
    const totals = totalsAfter(started(swiss), added("l1", item({ unitPrice: 103 })), paid("p1", "card", 103));
    expect(totals).toMatchObject({ total: 103, rounding: 0, payable: 103, due: 0 });
  });

  test("only the part left for cash is rounded: 10.03 with 5.00 by card and 10.00 cash", () => {
    const totals = totalsAfter(started(swiss), added("l1", item({ unitPrice: 1003 })), paid("p1", "card", 500), paid("p2", "cash", 1000));
    expect(totals).toMatchObject({ total: 1003, rounding: 2, payable: 1005, paid: 1500, due: 0, change: 495 });
  });
});

describe("parking and resuming", () => {
  const basket = [started(), added("l1", wine)] as const;

  test("when an unpaid sale is parked, then SaleParked and it cannot be changed until resumed", () => {
    const events = decide({ type: "ParkSale", at }, given(...basket));
    expect(events).toEqual([{ type: "SaleParked", at }]);
    const parked = given(...basket, ...events);
    expect(parked.status).toBe("parked");
    expect(refusal(addItem("l2", milk), parked)).toBe("sale_not_open");
    expect(refusal(pay("p1", "cash", 100), parked)).toBe("sale_not_open");
    expect(refusal(complete, parked)).toBe("sale_not_open");
    expect(refusal({ type: "ParkSale", at }, parked)).toBe("sale_not_open");
  });

  test("a sale with payments cannot be parked; an empty one has nothing to park", () => {
    expect(refusal({ type: "ParkSale", at }, given(...basket, paid("p1", "cash", 500)))).toBe("sale_has_payments");
    expect(refusal({ type: "ParkSale", at }, given(started()))).toBe("empty_sale");
  });

  test("when a parked sale is resumed, then SaleResumed and it is open with its lines", () => {
    const parked = given(...basket, { type: "SaleParked", at });
    const events = decide({ type: "ResumeSale", at: later }, parked);
    expect(events).toEqual([{ type: "SaleResumed", at: later }]);
    const resumed = given(...basket, { type: "SaleParked", at }, ...events);
    expect(resumed).toEqual(given(...basket));
    expect(decide(addItem("l2", milk), resumed)).toHaveLength(1);
  });

  test("only a parked sale can be resumed", () => {
    expect(refusal({ type: "ResumeSale", at }, given(...basket))).toBe("sale_not_parked");
    expect(refusal({ type: "ResumeSale", at }, initialState)).toBe("sale_not_parked");
  });
});

describe("cancelling", () => {
  const basket = [started(), added("l1", wine)] as const;

  test("when an open sale is cancelled, then SaleCancelled with the reason", () => {
    const events = decide({ type: "CancelSale", at, reason: "customer left" }, given(...basket));
    expect(events).toEqual([{ type: "SaleCancelled", at, reason: "customer left" }]);
    expect(given(...basket, ...events)).toMatchObject({ status: "cancelled", cancelReason: "customer left" });
  });

  test("a parked sale can be cancelled; one with cash (handed back) too", () => {
    expect(decide({ type: "CancelSale", at, reason: "never came back" }, given(...basket, { type: "SaleParked", at }))).toHaveLength(1);
    expect(decide({ type: "CancelSale", at, reason: "changed mind" }, given(...basket, paid("p1", "cash", 1000)))).toHaveLength(1);
  });

  test("card payments must be refunded first", () => {
    expect(refusal({ type: "CancelSale", at, reason: "x" }, given(...basket, paid("p1", "card", 500)))).toBe("sale_has_card_payments");
    expect(refusal({ type: "CancelSale", at, reason: "x" }, given(...basket, paid("p1", "voucher", 500)))).toBe("sale_has_card_payments");
  });

  test("a cancelled sale is closed", () => {
    const cancelled = given(...basket, { type: "SaleCancelled", at, reason: "x" });
    expect(refusal(addItem("l2", milk), cancelled)).toBe("sale_not_open");
    expect(refusal({ type: "CancelSale", at, reason: "again" }, cancelled)).toBe("sale_not_open");
    expect(refusal({ type: "ResumeSale", at }, cancelled)).toBe("sale_not_parked");
  });
});

describe("after completion", () => {
  const done = [
    started(),
    added("l1", wine),
    paid("p1", "cash", 1000),
    { type: "SaleCompleted", at, receiptNumber: "R-0001", totals: totalsAfter(started(), added("l1", wine), paid("p1", "cash", 1000)) },
  ] as const;

  test("nothing about a completed sale can be changed", () => {
    const state = given(...done);
    const commands: SaleCommand[] = [
      addItem("l2", milk),
      { type: "RemoveItem", at, lineId: "l1" },
      { type: "ChangeQuantity", at, lineId: "l1", qtyMilli: 2000 },
      { type: "OverridePrice", at, lineId: "l1", unitPrice: 1, reason: "x" },
      { type: "ApplyDiscount", at, lineId: null, discount: { kind: "percent", bp: 1000 } },
      pay("p2", "cash", 100),
      { type: "RemovePayment", at, paymentId: "p1" },
      { type: "ParkSale", at },
      complete,
      { type: "CancelSale", at, reason: "x" },
    ];
    for (const command of commands) expect(refusal(command, state)).toBe("sale_not_open");
    expect(refusal({ type: "StartSale", at, saleId: "S-1", registerId: 1, pricing: euro }, state)).toBe("sale_exists");
  });

  test("the refused command names the sale's status for the cashier", () => {
    try {
      decide(addItem("l2", milk), given(...done));
      throw new Error("expected a refusal");
    } catch (e) {
      expect(e).toBeInstanceOf(Problem);
      expect((e as Problem).message).toContain("completed");
      expect((e as Problem).details).toEqual({ status: "completed" });
    }
  });
});

describe("rebuilding from events", () => {
  test("a whole sale run command by command rebuilds to the same state from its events", () => {
    const commands: SaleCommand[] = [
      { type: "StartSale", at, saleId: "S-7", registerId: 3, pricing: swiss },
      addItem("l1", wine),
      addItem("l2", cheese, 437),
      addItem("l3", milk, 3000),
      { type: "ChangeQuantity", at, lineId: "l3", qtyMilli: 2000 },
      { type: "OverridePrice", at, lineId: "l1", unitPrice: 799, reason: "price match" },
      { type: "ApplyDiscount", at, lineId: "l2", discount: { kind: "percent", bp: 1500 } },
      { type: "ParkSale", at },
      { type: "ResumeSale", at },
      { type: "RemoveItem", at, lineId: "l3" },
      { type: "ApplyDiscount", at, lineId: null, discount: { kind: "amount", amount: 77 } },
      pay("p1", "voucher", 502),
      pay("p2", "cash", 5000),
      complete,
    ];
    let state: SaleState = initialState;
    const log: SaleEvent[] = [];
    for (const command of commands) {
      const step = run(state, command);
      state = step.state;
      log.push(...step.events);
    }
    expect(log).toHaveLength(commands.length);
    expect(rebuild(log)).toEqual(state);
    const sale = saleOf(state);
    expect(sale.status).toBe("completed");
    // 7.99 + 5.68 (0.437 kg at 12.99 is 5.67663) less 15 % (0.85) = 12.82, less 0.77 = 12.05;
    // 5.02 by voucher leaves 7.03 for cash, rounded to 7.05
    expect(sale.finalTotals).toMatchObject({ subtotal: 1367, discount: 162, total: 1205, rounding: 2, payable: 1207, paid: 5502, change: 4295 });
    expect(sale.finalTotals?.lines.map((l) => l.total)).toEqual([751, 454]);
  });

  test("run does not change the state it is given", () => {
    const before = given(started(), added("l1", wine));
    const copy = structuredClone(before);
    run(before, addItem("l2", milk));
    run(before, pay("p1", "cash", 1000));
    run(before, { type: "OverridePrice", at, lineId: "l1", unitPrice: 1, reason: "x" });
    run(before, { type: "ApplyDiscount", at, lineId: "l1", discount: { kind: "percent", bp: 1000 } });
    expect(before).toEqual(copy);
  });
});
