// Property tests of the sale decider: whatever the cashier does, in whatever order, the books add up.
// Commands the decider refuses are skipped, as the till shows the error and carries on.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Problem } from "../kernel/problem.ts";
import {
  type Discount,
  initialState,
  MAX_QTY_MILLI,
  MAX_UNIT_PRICE,
  type PaymentMethod,
  type Pricing,
  paymentMethods,
  rebuild,
  run,
  type Sale,
  type SaleCommand,
  type SaleEvent,
  type SaleState,
} from "./sale.ts";
import { computeTotals, type SaleTotals } from "./totals.ts";

const taxClasses = [
  { code: "zero", rateBp: 0 },
  { code: "reduced", rateBp: 700 },
  { code: "sales", rateBp: 825 },
  { code: "standard", rateBp: 1900 },
  { code: "luxury", rateBp: 2500 },
] as const;

type Step =
  | { kind: "add"; price: number; qtyMilli: number; weighed: boolean; taxIndex: number; reuseId: boolean }
  | { kind: "remove"; pick: number }
  | { kind: "changeQty"; pick: number; qtyMilli: number }
  | { kind: "override"; pick: number; price: number; reason: string }
  | { kind: "lineDiscount"; pick: number; discount: Discount | null }
  | { kind: "saleDiscount"; discount: Discount | null }
  | { kind: "pay"; method: PaymentMethod; amount: number }
  | { kind: "payDue"; method: PaymentMethod; extra: number }
  | { kind: "removePayment"; pick: number }
  | { kind: "park" }
  | { kind: "resume" }
  | { kind: "complete" }
  | { kind: "cancel"; reason: string }
  | { kind: "startAgain" };

const price = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: MAX_UNIT_PRICE }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, MAX_UNIT_PRICE + 1) },
);

const qtyMilli = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }).map((n) => n * 1000) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: MAX_QTY_MILLI / 1000 }).map((n) => n * 1000) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1000, 0.5, MAX_QTY_MILLI + 1000) },
);

const discount: fc.Arbitrary<Discount | null> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -100, max: 11_000 }).map((bp): Discount => ({ kind: "percent", bp })) },
  { weight: 4, arbitrary: fc.integer({ min: -100, max: 20_000 }).map((amount): Discount => ({ kind: "amount", amount })) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const method = fc.constantFrom(...paymentMethods);
const pick = fc.nat({ max: 20 });

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      price,
      qtyMilli,
      weighed: fc.boolean(),
      taxIndex: fc.nat({ max: taxClasses.length - 1 }),
      reuseId: fc
        .boolean()
        .chain((b) => (b ? fc.boolean() : fc.constant(false)))
        .chain((b) => (b ? fc.boolean() : fc.constant(false))),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("changeQty" as const), pick, qtyMilli }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("override" as const), pick, price, reason: fc.constantFrom("", "  ", "damaged", "price match") }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("lineDiscount" as const), pick, discount }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("saleDiscount" as const), discount }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("pay" as const),
      method,
      amount: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 5_000 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -5, 1.5) }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("payDue" as const), method, extra: fc.oneof(fc.constant(0), fc.nat({ max: 2_000 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removePayment" as const), pick }) },
  { weight: 1, arbitrary: fc.constant({ kind: "park" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "resume" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "complete" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), reason: fc.string({ maxLength: 10 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "startAgain" as const }) },
);

const pricing: fc.Arbitrary<Pricing> = fc.record({
  mode: fc.constantFrom("inclusive" as const, "exclusive" as const),
  cashRounding: fc.constantFrom(1, 5, 10, 100),
});

/** An id on the sale, or one that is not there when the pick runs past the end. */
function pickId(ids: readonly string[], n: number): string {
  return ids[n % (ids.length + 1)] ?? "ghost";
}

function toCommand(s: Step, state: SaleState, i: number): SaleCommand {
  const at = new Date(Date.UTC(2025, 0, 1, 9) + i * 1000).toISOString();
  const lineIds = state.status === "none" ? [] : state.lines.map((l) => l.lineId);
  const paymentIds = state.status === "none" ? [] : state.payments.map((p) => p.paymentId);
  switch (s.kind) {
    case "add": {
      const tax = taxClasses[s.taxIndex]!;
      const lineId = s.reuseId && lineIds.length > 0 ? lineIds[0]! : `l${i}`;
      const item = {
        productId: i,
        sku: `SKU-${i}`,
        barcode: null,
        name: `Item ${i}`,
        unitPrice: s.price,
        weighed: s.weighed,
        taxClass: tax.code,
        rateBp: tax.rateBp,
      };
      return { type: "AddItem", at, lineId, item, qtyMilli: s.qtyMilli };
    }
    case "remove":
      return { type: "RemoveItem", at, lineId: pickId(lineIds, s.pick) };
    case "changeQty":
      return { type: "ChangeQuantity", at, lineId: pickId(lineIds, s.pick), qtyMilli: s.qtyMilli };
    case "override":
      return { type: "OverridePrice", at, lineId: pickId(lineIds, s.pick), unitPrice: s.price, reason: s.reason };
    case "lineDiscount":
      return { type: "ApplyDiscount", at, lineId: pickId(lineIds, s.pick), discount: s.discount };
    case "saleDiscount":
      return { type: "ApplyDiscount", at, lineId: null, discount: s.discount };
    case "pay":
      return { type: "AddPayment", at, payment: { paymentId: `p${i}`, method: s.method, amount: s.amount } };
    case "payDue": {
      // Cards pay the amount shown; cash is handed over, often more than shown.
      const due = state.status === "none" ? 0 : computeTotals(state).due;
      const amount = s.method === "cash" ? due + s.extra : due;
      return { type: "AddPayment", at, payment: { paymentId: `p${i}`, method: s.method, amount } };
    }
    case "removePayment":
      return { type: "RemovePayment", at, paymentId: pickId(paymentIds, s.pick) };
    case "park":
      return { type: "ParkSale", at };
    case "resume":
      return { type: "ResumeSale", at };
    case "complete":
      return { type: "CompleteSale", at, receiptNumber: `R-${i}` };
    case "cancel":
      return { type: "CancelSale", at, reason: s.reason };
    case "startAgain":
      return { type: "StartSale", at, saleId: "other", registerId: 2, pricing: { mode: "inclusive", cashRounding: 1 } };
    default: {
      const _exhaustive: never = s;
      return _exhaustive;
    }
  }
}

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

/** Every number anywhere in `value` is a whole, exactly representable number. */
function expectWholeNumbers(value: unknown, path = "$"): void {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`${path} is ${value}, not a whole number of minor units`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      expectWholeNumbers(v, `${path}[${i}]`);
    });
    return;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) expectWholeNumbers(v, `${path}.${k}`);
  }
}

function expectTotalsAddUp(sale: Sale, t: SaleTotals): void {
  expect(t.total).toBe(sum(t.lines, (l) => l.total));
  expect(t.subtotal).toBe(sum(t.lines, (l) => l.amount));
  expect(t.discount).toBe(sum(t.lines, (l) => l.discount));
  expect(t.tax).toBe(sum(t.lines, (l) => l.tax));
  expect(t.subtotal - t.discount + (sale.pricing.mode === "exclusive" ? t.tax : 0)).toBe(t.total);
  expect(sum(t.taxes, (r) => r.tax)).toBe(t.tax);
  expect(sum(t.taxes, (r) => r.net + r.tax)).toBe(t.total);
  expect(new Set(t.taxes.map((r) => r.taxClass)).size).toBe(t.taxes.length);
  for (const l of t.lines) {
    expect(l.discount).toBeGreaterThanOrEqual(0);
    expect(l.discount).toBeLessThanOrEqual(l.amount);
    expect(l.tax).toBeGreaterThanOrEqual(0);
    expect(l.net + l.tax).toBe(l.total);
  }
  expect(t.lines.map((l) => l.lineId)).toEqual(sale.lines.map((l) => l.lineId));

  const cash = sum(
    sale.payments.filter((p) => p.method === "cash"),
    (p) => p.amount,
  );
  expect(t.paid).toBe(sum(sale.payments, (p) => p.amount));
  expect(t.payable).toBe(t.total + t.rounding);
  if (cash === 0 || sale.pricing.cashRounding <= 1) expect(t.rounding).toBe(0);
  expect(Math.abs(t.rounding) * 2).toBeLessThanOrEqual(sale.pricing.cashRounding);
  expect(t.due).toBe(Math.max(0, t.payable - t.paid));
  expect(t.change).toBe(Math.max(0, t.paid - t.payable));
  expect(t.due === 0 || t.change === 0).toBe(true);
}

function expectCompletionBalances(sale: Sale, t: SaleTotals): void {
  const cash = sum(
    sale.payments.filter((p) => p.method === "cash"),
    (p) => p.amount,
  );
  expect(t.payable).toBe(t.total + t.rounding);
  expect(t.paid - t.change).toBe(t.payable);
  expect(t.change).toBeLessThanOrEqual(cash);
  expect(t.due).toBe(0);
  expect(sale.lines.length).toBeGreaterThan(0);
}

type Tally = { accepted: number; refused: number; completed: number; rounded: number; cancelled: number; parked: number; withSaleDiscount: number };

/** Play a generated session at the till, checking the properties after every accepted command. */
function play(p: Pricing, steps: readonly Step[], tally: Tally): void {
  const first = run(initialState, { type: "StartSale", at: "2025-01-01T09:00:00.000Z", saleId: "S-1", registerId: 1, pricing: p });
  let state = first.state;
  const log: SaleEvent[] = [...first.events];

  steps.forEach((s, i) => {
    const command = toCommand(s, state, i + 1);
    const before = structuredClone(state);
    let step: ReturnType<typeof run>;
    try {
      step = run(state, command);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      expect(typeof e.code).toBe("string");
      expect(e.message.length).toBeGreaterThan(0);
      expect(state).toEqual(before);
      tally.refused++;
      return;
    }
    expect(state).toEqual(before);
    tally.accepted++;
    state = step.state;
    log.push(...step.events);

    // (1) the sale can always be rebuilt from its events
    expect(rebuild(log)).toEqual(state);
    if (state.status === "none") throw new Error("an accepted command cannot un-start a sale");

    // (2) and (4) the totals add up, in whole minor units
    const totals = computeTotals(state);
    expectTotalsAddUp(state, totals);
    expectWholeNumbers(totals, "totals");
    expectWholeNumbers(step.events, "events");

    // (3) a completed sale balances
    for (const e of step.events) {
      if (e.type === "SaleCompleted") {
        expectCompletionBalances(state, e.totals);
        expect(e.totals).toEqual(totals);
        expect(state.finalTotals).toEqual(e.totals);
        tally.completed++;
        if (e.totals.rounding !== 0) tally.rounded++;
        if (state.saleDiscount) tally.withSaleDiscount++;
      }
      if (e.type === "SaleCancelled") tally.cancelled++;
      if (e.type === "SaleParked") tally.parked++;
    }
  });

  expectWholeNumbers(log, "log");
  expect(rebuild(log)).toEqual(state);
}

describe("any session at the till", () => {
  test("rebuilds from its events, adds up, balances at completion, and never leaves whole minor units", () => {
    const tally: Tally = { accepted: 0, refused: 0, completed: 0, rounded: 0, cancelled: 0, parked: 0, withSaleDiscount: 0 };
    fc.assert(
      fc.property(pricing, fc.array(step, { minLength: 5, maxLength: 40, size: "max" }), (p, steps) => {
        play(p, steps, tally);
      }),
      { numRuns: 400 },
    );
    // The generator must reach the interesting places, or the properties above prove little.
    expect(tally.accepted).toBeGreaterThan(1000);
    expect(tally.refused).toBeGreaterThan(100);
    expect(tally.completed).toBeGreaterThan(40);
    expect(tally.rounded).toBeGreaterThan(5);
    expect(tally.withSaleDiscount).toBeGreaterThan(5);
    expect(tally.cancelled).toBeGreaterThan(5);
    expect(tally.parked).toBeGreaterThan(5);
  });

  test("the discount a sale gives is spread over its lines to the cent", () => {
    const line = fc.record({
      price: fc.integer({ min: 0, max: 100_000 }),
      qtyMilli: fc.integer({ min: 1, max: 10_000 }),
      taxIndex: fc.nat({ max: taxClasses.length - 1 }),
    });
    fc.assert(
      fc.property(pricing, fc.array(line, { minLength: 1, maxLength: 12 }), discount, (p, lines, d) => {
        const steps: Step[] = lines.map((l) => ({ kind: "add", price: l.price, qtyMilli: l.qtyMilli, weighed: true, taxIndex: l.taxIndex, reuseId: false }));
        steps.push({ kind: "saleDiscount", discount: d });
        let state: SaleState = run(initialState, { type: "StartSale", at: "t0", saleId: "S", registerId: 1, pricing: p }).state;
        steps.forEach((s, i) => {
          try {
            state = run(state, toCommand(s, state, i + 1)).state;
          } catch (e) {
            if (!(e instanceof Problem)) throw e;
          }
        });
        if (state.status === "none") throw new Error("not started");
        const t = computeTotals(state);
        const before = sum(t.lines, (l) => l.amount);
        const d0 = state.saleDiscount;
        const expected = !d0 || before === 0 ? 0 : d0.kind === "amount" ? Math.min(d0.amount, before) : Math.floor((2 * before * d0.bp + 10000) / 20000);
        expect(t.discount).toBe(expected);
        expect(t.subtotal - t.discount).toBe(sum(t.lines, (l) => l.amount - l.discount));
        expectTotalsAddUp(state, t);
      }),
      { numRuns: 300 },
    );
  });
});
