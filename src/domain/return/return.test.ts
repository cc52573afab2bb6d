// The return, as a specification: given a completed sale and its earlier returns, when lines are returned, then these
// refunds (or this refusal).
import { describe, expect, test } from "bun:test";
import { Problem } from "../kernel/problem.ts";
import { run, type Sale, type SaleCommand, type SaleState } from "../sale/sale.ts";
import { decide, type EarlierReturns, evolve, originalOf, type ReceiptReturn, type ReturnReason } from "./return.ts";

const at = "2026-12-01T10:00:00.000Z";
const changedMind: ReturnReason = { code: "changed_mind", label: "Changed mind", restock: true };
const damaged: ReturnReason = { code: "damaged", label: "Damaged", restock: false };
const none: EarlierReturns = { qtyByLine: {}, refundedByMethod: {} };

/** A completed sale from its commands, as the register makes one. */
function sale(commands: SaleCommand[]): Sale {
  let s: SaleState = { status: "none" };
  for (const c of commands) s = run(s, c).state;
  return s as Sale;
}

const item = (productId: number, name: string, unitPrice: number, rateBp = 2000) => ({
  productId,
  sku: `SKU${productId}`,
  barcode: null,
  name,
  unitPrice,
  weighed: false,
  taxClass: rateBp === 2000 ? "STD" : "RED",
  rateBp,
});

// 3 mugs at 4.99 and a teapot at 19.99, 10 % off the sale, paid 10.00 by card and 25.00 in cash (3.54 change)
const mugsAndTeapot = sale([
  { type: "StartSale", at, saleId: "s1", registerId: 1, pricing: { mode: "inclusive", cashRounding: 1 } },
  { type: "AddItem", at, lineId: "l1", item: item(1, "Mug", 499), qtyMilli: 3000 },
  { type: "AddItem", at, lineId: "l2", item: item(2, "Teapot", 1999, 1000), qtyMilli: 1000 },
  { type: "ApplyDiscount", at, lineId: null, discount: { kind: "percent", bp: 1000 } },
  { type: "AddPayment", at, payment: { paymentId: "p1", method: "card", amount: 1000 } },
  { type: "AddPayment", at, payment: { paymentId: "p2", method: "cash", amount: 2500 } },
  { type: "CompleteSale", at, receiptNumber: "001-000007" },
]);

const returning = (lines: ReceiptReturn["lines"], earlier = none, more: Partial<ReceiptReturn> = {}): ReceiptReturn => ({
  type: "CompleteReturn",
  at,
  returnId: "r1",
  returnNumber: "R001-000001",
  registerId: 1,
  original: originalOf(mugsAndTeapot),
  earlier,
  lines,
  reason: changedMind,
  refunds: "original",
  cashRounding: 1,
  ...more,
});

const problemOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof Problem) return { code: e.code, message: e.message };
    throw e;
  }
  return null;
};

describe("a return against the receipt", () => {
  test("given the sale, when one mug of three comes back, then it refunds what the customer paid for one, to the card first", () => {
    // 3 × 4.99 = 14.97, 10 % of the sale spread over the lines: the mugs paid 13.47 → one mug 4.49
    const [event] = decide(returning([{ lineNo: 1, qtyMilli: 1000 }]), { status: "none" });
    expect(event!.return.lines.map((l) => [l.name, l.qtyMilli, l.refund, l.restock])).toEqual([["Mug", 1000, 449, true]]);
    expect(event!.return.total).toBe(449);
    expect(event!.return.refunds).toEqual([{ method: "card", amount: 449 }]);
    expect(evolve({ status: "none" }, event!).status).toBe("completed");
  });

  test("given every piece returned one by one, then the refunds add up to exactly what the sale cost", () => {
    const total = mugsAndTeapot.finalTotals!.total;
    let earlier: EarlierReturns = none;
    let refunded = 0;
    for (const lineNo of [1, 1, 2, 1]) {
      const [e] = decide(returning([{ lineNo, qtyMilli: 1000 }], earlier), { status: "none" });
      refunded += e!.return.total;
      const qtyByLine = { ...earlier.qtyByLine, [lineNo]: (earlier.qtyByLine[lineNo] ?? 0) + 1000 };
      const refundedByMethod = { ...earlier.refundedByMethod };
      for (const r of e!.return.refunds) refundedByMethod[r.method] = (refundedByMethod[r.method] ?? 0) + r.amount;
      earlier = { qtyByLine, refundedByMethod };
    }
    expect(refunded).toBe(total);
    // the card got back what it paid, no more; the rest went back in cash
    expect(earlier.refundedByMethod).toEqual({ card: 1000, cash: total - 1000 });
  });

  test("given two mugs already returned, when two more are asked for, then it is refused naming what is left", () => {
    const earlier = { qtyByLine: { 1: 2000 }, refundedByMethod: { card: 898 } };
    expect(problemOf(() => decide(returning([{ lineNo: 1, qtyMilli: 2000 }], earlier), { status: "none" }))).toEqual({
      code: "return_exceeds_sold",
      message: "Only 1 of Mug can still be returned (2 asked).",
    });
  });

  test("given a damaged item, then it is refunded and not put back on the shelf", () => {
    const [e] = decide(returning([{ lineNo: 2, qtyMilli: 1000 }], none, { reason: damaged }), { status: "none" });
    expect(e!.return.lines.map((l) => [l.name, l.refund, l.restock])).toEqual([["Teapot", 1799, false]]);
    // tax at the teapot's own rate (10 %), from what was paid
    expect(e!.return.taxes).toEqual([{ taxClass: "RED", rateBp: 1000, net: 1635, tax: 164 }]);
  });

  test("refunds the cashier chose must add up, and the card cannot get back more than it paid", () => {
    const two = [{ lineNo: 1, qtyMilli: 2000 }];
    expect(problemOf(() => decide(returning(two, none, { refunds: [{ method: "cash", amount: 500 }] }), { status: "none" }))?.code).toBe("refund_mismatch");
    expect(problemOf(() => decide(returning(two, none, { refunds: [{ method: "card", amount: 898 }] }), { status: "none" }))).toBeNull();
    const all = [
      { lineNo: 1, qtyMilli: 3000 },
      { lineNo: 2, qtyMilli: 1000 },
    ];
    expect(problemOf(() => decide(returning(all, none, { refunds: [{ method: "card", amount: 3146 }] }), { status: "none" }))?.code).toBe("refund_over_tender");
    expect(problemOf(() => decide(returning([], none), { status: "none" }))?.code).toBe("nothing_to_return");
    expect(problemOf(() => decide(returning([{ lineNo: 1, qtyMilli: 500 }], none), { status: "none" }))?.code).toBe("invalid_quantity");
  });

  test("cash given back is rounded to the shop's cash step", () => {
    const [e] = decide(returning([{ lineNo: 1, qtyMilli: 3000 }], { qtyByLine: {}, refundedByMethod: { card: 1000 } }, { cashRounding: 5 }), {
      status: "none",
    });
    // 13.47 for the mugs, all in cash (the card has had its 10.00 back): 13.45 given, 0.02 rounding
    expect(e!.return.refunds).toEqual([{ method: "cash", amount: 1345 }]);
    expect([e!.return.total, e!.return.rounding]).toEqual([1347, -2]);
  });
});
