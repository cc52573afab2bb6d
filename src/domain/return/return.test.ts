// The return, as a specification: given a completed sale and its earlier returns, when lines are returned, then these
// refunds (or this refusal).
import { describe, expect, test } from "bun:test";
import { Problem } from "../kernel/problem.ts";
import { run, type Sale, type SaleCommand, type SaleState } from "../sale/sale.ts";
import { decide, type EarlierReturns, evolve, originalOf, type ReceiptReturn, type ReturnCommand, type ReturnReason } from "./return.ts";

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

describe("store credit, exchanges and the shop's policy", () => {
  const code = "SC000000000042";
  test("given refund as store credit, then all of it is one store credit under the code the command brought", () => {
    const [e] = decide(returning([{ lineNo: 2, qtyMilli: 1000 }], none, { refunds: "store_credit", storeCreditCode: code }), { status: "none" });
    expect(e!.return.refunds).toEqual([{ method: "voucher", amount: 1799, voucher: code }]);
  });

  test("given an exchange toward a sale that still needs 5.00, then 4.49 of one mug all goes toward it; toward 2.00, the rest to the card", () => {
    const mug = [{ lineNo: 1, qtyMilli: 1000 }];
    const [all] = decide(returning(mug, none, { refunds: { exchange: 500 }, storeCreditCode: code }), { status: "none" });
    expect(all!.return.refunds).toEqual([{ method: "voucher", amount: 449, voucher: code }]);
    const [part] = decide(returning(mug, none, { refunds: { exchange: 200 }, storeCreditCode: code }), { status: "none" });
    expect(part!.return.refunds).toEqual([
      { method: "card", amount: 249 },
      { method: "voucher", amount: 200, voucher: code },
    ]);
    expect(problemOf(() => decide(returning(mug, none, { refunds: { exchange: 0 }, storeCreditCode: code }), { status: "none" }))?.code).toBe("nothing_to_pay");
  });

  test("given the policy, when the sale is older than the days allowed or the product is not taken back, then it is refused; without the policy (a manager), taken", () => {
    const policy = { days: 30, nonReturnable: [] as string[], maxWithoutReceipt: 5000 };
    const late = "2027-01-05T10:00:00.000Z"; // 35 days after the sale
    const refused = problemOf(() => decide(returning([{ lineNo: 1, qtyMilli: 1000 }], none, { at: late, policy }), { status: "none" }));
    expect(refused).toEqual({
      code: "outside_return_policy",
      message: "This sale was 35 days ago; the shop takes goods back within 30 days. A manager can approve it.",
    });
    const teapot = { ...policy, nonReturnable: ["SKU2"] };
    expect(problemOf(() => decide(returning([{ lineNo: 2, qtyMilli: 1000 }], none, { policy: teapot }), { status: "none" }))?.message).toContain(
      "Teapot is not taken back",
    );
    expect(problemOf(() => decide(returning([{ lineNo: 1, qtyMilli: 1000 }], none, { at: late, policy: null }), { status: "none" }))).toBeNull();
  });
});

describe("a return without a receipt", () => {
  const withoutReceipt = (items: { item: ReturnType<typeof item>; qtyMilli: number }[], more: Partial<ReturnCommand> = {}): ReturnCommand =>
    ({
      type: "ReturnWithoutReceipt",
      at,
      returnId: "r9",
      returnNumber: "R001-000009",
      registerId: 1,
      items,
      reason: changedMind,
      refunds: "original",
      cashRounding: 1,
      pricing: "inclusive",
      maxWithoutReceipt: 5000,
      storeCreditCode: "SC000000000009",
      ...more,
    }) as ReturnCommand;

  test("given two mugs at today's price, then 9.98 as store credit, tax from the price; no sale, no receipt number", () => {
    const [e] = decide(withoutReceipt([{ item: item(1, "Mug", 499), qtyMilli: 2000 }]), { status: "none" });
    expect(e!.return.saleId).toBeNull();
    expect(e!.return.receiptNumber).toBeNull();
    expect(e!.return.lines.map((l) => [l.name, l.qtyMilli, l.refund, l.tax])).toEqual([["Mug", 2000, 998, 166]]);
    expect(e!.return.refunds).toEqual([{ method: "voucher", amount: 998, voucher: "SC000000000009" }]);
  });

  test("prices that leave tax out (US) refund the price and its tax; cash, when chosen, rounded", () => {
    const [e] = decide(withoutReceipt([{ item: item(1, "Mug", 499), qtyMilli: 1000 }], { pricing: "exclusive", refunds: "cash", cashRounding: 5 }), {
      status: "none",
    });
    expect([e!.return.total, e!.return.lines[0]!.tax]).toEqual([599, 100]);
    expect(e!.return.refunds).toEqual([{ method: "cash", amount: 600 }]);
    expect(e!.return.rounding).toBe(1);
  });

  test("more than the most refunded without a receipt is refused, manager or not; a card cannot be refunded without its sale", () => {
    const teapots = [{ item: item(2, "Teapot", 1999, 1000), qtyMilli: 3000 }];
    expect(problemOf(() => decide(withoutReceipt(teapots, { policy: null }), { status: "none" }))?.code).toBe("over_no_receipt_limit");
    const card = [{ method: "card" as const, amount: 499 }];
    expect(problemOf(() => decide(withoutReceipt([{ item: item(1, "Mug", 499), qtyMilli: 1000 }], { refunds: card }), { status: "none" }))?.code).toBe(
      "refund_over_tender",
    );
  });
});
