// Property tests of the return decider: a completed sale returned in any pieces, in any order, never gives back more
// than was sold or paid, and gives back exactly what the customer paid once it is all back.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Problem } from "../kernel/problem.ts";
import { type Discount, initialState, MAX_UNIT_PRICE, type Pricing, run, type Sale, type SaleCommand, type SaleState } from "../sale/sale.ts";
import { computeTotals } from "../sale/totals.ts";
import { type CompletedReturn, decide, type EarlierReturns, evolve, type OriginalSale, originalOf, type RefundMethod } from "./return.ts";

const taxClasses = [
  { code: "zero", rateBp: 0 },
  { code: "reduced", rateBp: 1000 },
  { code: "standard", rateBp: 2000 },
] as const;

type LineSpec = { price: number; units: number; weighed: boolean; taxIndex: number; discount: Discount | null };
/** How the customer pays: parts of what is due by card and voucher (percent), then cash (with a note too big) or card. */
type PaySpec = { cardPct: number | null; voucherPct: number | null; cash: boolean; extra: number };
type SaleSpec = { pricing: Pricing; lines: LineSpec[]; saleDiscount: Discount | null; pay: PaySpec };

const discount: fc.Arbitrary<Discount | null> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 10_000 }).map((bp): Discount => ({ kind: "percent", bp })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((amount): Discount => ({ kind: "amount", amount })) },
);

const lineSpec: fc.Arbitrary<LineSpec> = fc.record({
  price: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 1_000_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_UNIT_PRICE }) },
  ),
  weighed: fc.boolean(),
  // whole units for a unit line, grams for a weighed one (qtyMilli below)
  units: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 }) }),
  taxIndex: fc.nat({ max: taxClasses.length - 1 }),
  discount,
});

const saleSpec: fc.Arbitrary<SaleSpec> = fc.record({
  pricing: fc.record({ mode: fc.constantFrom("inclusive" as const, "exclusive" as const), cashRounding: fc.constantFrom(1, 1, 5, 10, 100) }),
  lines: fc.array(lineSpec, { minLength: 1, maxLength: 6 }),
  saleDiscount: discount,
  pay: fc.record({
    cardPct: fc.option(fc.integer({ min: 0, max: 100 })),
    voucherPct: fc.option(fc.integer({ min: 0, max: 100 })),
    cash: fc.boolean(),
    extra: fc.oneof(fc.constant(0), fc.nat({ max: 5_000 })),
  }),
});

/** A weighed line weighs a random number of grams; a unit line is a whole number of units. */
function qtyMilliOf(l: LineSpec, salt: number): number {
  return l.weighed ? l.units * 1000 - ((salt * 137 + l.price) % 1000) : l.units * 1000;
}

/** The sale rung up, discounted, paid and completed through the sale decider. */
function completedSale(spec: SaleSpec): Sale {
  let state: SaleState = initialState;
  let n = 0;
  const at = () => new Date(Date.UTC(2025, 0, 1, 9) + n++ * 1000).toISOString();
  const go = (c: SaleCommand) => {
    state = run(state, c).state;
  };
  const due = () => (state.status === "none" ? 0 : computeTotals(state).due);
  go({ type: "StartSale", at: at(), saleId: "S-1", registerId: 1, pricing: spec.pricing });
  spec.lines.forEach((l, i) => {
    const tax = taxClasses[l.taxIndex]!;
    const item = {
      productId: i + 1,
      sku: `SKU-${i + 1}`,
      barcode: null,
      name: `Item ${i + 1}`,
      unitPrice: l.price,
      weighed: l.weighed,
      taxClass: tax.code,
      rateBp: tax.rateBp,
    };
    go({ type: "AddItem", at: at(), lineId: `l${i}`, item, qtyMilli: qtyMilliOf(l, i) });
    if (l.discount) go({ type: "ApplyDiscount", at: at(), lineId: `l${i}`, discount: l.discount });
  });
  if (spec.saleDiscount) go({ type: "ApplyDiscount", at: at(), lineId: null, discount: spec.saleDiscount });
  const pay = (method: RefundMethod, amount: number) => {
    if (amount > 0) go({ type: "AddPayment", at: at(), payment: { paymentId: `p${n}`, method, amount } });
  };
  const { cardPct, voucherPct, cash, extra } = spec.pay;
  if (cardPct !== null) pay("card", Math.floor((due() * cardPct) / 100));
  if (voucherPct !== null) pay("voucher", Math.floor((due() * voucherPct) / 100));
  if (cash) {
    pay("cash", due() > 0 ? due() + extra : 0);
    pay("cash", due()); // once cash is on the sale, cash rounding may have raised what is due
  } else {
    pay("card", due());
  }
  go({ type: "CompleteSale", at: at(), receiptNumber: "R-1" });
  if (state.status !== "completed") throw new Error(`sale is ${state.status}`);
  return state;
}

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

/** What the earlier returns of the sale took, as the store reads it from the returns it holds. */
function earlierOf(returns: readonly CompletedReturn[]): EarlierReturns {
  const earlier: EarlierReturns = { qtyByLine: {}, refundedByMethod: {} };
  for (const r of returns) {
    for (const l of r.lines) earlier.qtyByLine[l.lineNo] = (earlier.qtyByLine[l.lineNo] ?? 0) + l.qtyMilli;
    for (const f of r.refunds) earlier.refundedByMethod[f.method] = (earlier.refundedByMethod[f.method] ?? 0) + f.amount;
  }
  return earlier;
}

/** One more return of the sale, through the decider, after `returns`. */
function completeReturn(
  original: OriginalSale,
  returns: readonly CompletedReturn[],
  lines: { lineNo: number; qtyMilli: number }[],
  cashRounding: number,
): CompletedReturn {
  const n = returns.length + 1;
  const command = {
    type: "CompleteReturn" as const,
    at: new Date(Date.UTC(2025, 0, 2, 9) + n * 1000).toISOString(),
    returnId: `ret-${n}`,
    returnNumber: `RT-${n}`,
    registerId: 1 + (n % 2),
    original,
    earlier: earlierOf(returns),
    lines,
    reason: { code: "changed_mind", label: "Changed mind", restock: true },
    refunds: "original" as const,
    cashRounding,
    storeCreditCode: `SC${String(n).padStart(12, "0")}`,
  };
  const before = structuredClone(command);
  const state = decide(command, { status: "none" }).reduce(evolve, { status: "none" });
  expect(command).toEqual(before); // the decider changes nothing it is given
  if (state.status !== "completed") throw new Error("the return did not complete");
  return state;
}

/** `f` refuses with return_exceeds_sold, naming the line and what is left of it. */
function expectExceeds(f: () => unknown, lineNo: number, left: number, name: string): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof Problem)) throw new Error(`expected return_exceeds_sold for line ${lineNo}, got ${String(thrown)}`);
  expect(thrown.code).toBe("return_exceeds_sold");
  expect(thrown.details).toEqual({ line: lineNo, returnable: left / 1000 });
  expect(thrown.message).toContain(name);
  expect(thrown.message).toContain(left > 0 ? String(left / 1000) : "in full");
}

/** The step a line is returned in: a unit, or a gram. */
const stepOf = (l: { weighed: boolean }) => (l.weighed ? 1 : 1000);

/** Requests to return: a line (picked by index) and how much, in thousandths of what was sold (up to 1.3 times it). */
const requests = fc.array(fc.array(fc.record({ pick: fc.nat({ max: 9 }), perMille: fc.integer({ min: 1, max: 1_300 }) }), { minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 12,
});

/** Every line's quantity cut into chunks (cut points in steps), shuffled across lines, then grouped into returns. */
function piecesOf(sale: Sale) {
  const original = originalOf(sale);
  const cuts = fc.tuple(
    ...original.lines.map((l) => {
      const steps = l.qtyMilli / stepOf(l);
      return fc.uniqueArray(fc.integer({ min: 1, max: steps }), { maxLength: Math.min(steps, 5) });
    }),
  );
  return cuts.chain((perLine) => {
    const pieces = perLine.flatMap((points, i) => {
      const l = original.lines[i]!;
      const bounds = [0, ...points.filter((p) => p * stepOf(l) < l.qtyMilli).sort((a, b) => a - b), l.qtyMilli / stepOf(l)];
      return bounds.slice(1).map((b, k) => ({ lineNo: l.lineNo, qtyMilli: (b - bounds[k]!) * stepOf(l) }));
    });
    return fc.tuple(
      fc.shuffledSubarray(pieces, { minLength: pieces.length, maxLength: pieces.length }),
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 10 }),
    );
  });
}

/** The pieces in their order, grouped into returns of the given sizes (the last takes whatever is left). */
function group<T>(pieces: readonly T[], sizes: readonly number[]): T[][] {
  const out: T[][] = [];
  let i = 0;
  for (const size of sizes) {
    if (i >= pieces.length) break;
    out.push(pieces.slice(i, i + size));
    i += size;
  }
  if (i < pieces.length) out.push(pieces.slice(i));
  return out;
}

const saleAndPieces = saleSpec.map(completedSale).chain((sale) => piecesOf(sale).map(([pieces, sizes]) => ({ sale, returns: group(pieces, sizes) })));

/** Return the sale in the given pieces, each return after the ones before. */
function returnAll(sale: Sale, returns: { lineNo: number; qtyMilli: number }[][], cashRounding: number): CompletedReturn[] {
  const original = originalOf(sale);
  const done: CompletedReturn[] = [];
  for (const lines of returns) done.push(completeReturn(original, done, lines, cashRounding));
  return done;
}

const runs = { numRuns: 300 };

describe("returns of a completed sale", () => {
  test("never take back more of a line than was sold; more is refused naming what is left", () => {
    let refused = 0;
    let exhausted = 0;
    fc.assert(
      fc.property(saleSpec.map(completedSale), requests, (sale, asks) => {
        const original = originalOf(sale);
        const left = new Map(original.lines.map((l) => [l.lineNo, l.qtyMilli]));
        const done: CompletedReturn[] = [];
        for (const ask of asks) {
          const lines = ask.map(({ pick, perMille }) => {
            const l = original.lines[pick % original.lines.length]!;
            const step = stepOf(l);
            return { lineNo: l.lineNo, qtyMilli: Math.max(1, Math.round((l.qtyMilli * perMille) / 1000 / step)) * step };
          });
          const wanted = new Map<number, number>();
          for (const a of lines) wanted.set(a.lineNo, (wanted.get(a.lineNo) ?? 0) + a.qtyMilli);
          const over = [...wanted].find(([lineNo, qty]) => qty > left.get(lineNo)!);
          if (over) {
            const [lineNo] = over;
            expectExceeds(() => completeReturn(original, done, lines, sale.pricing.cashRounding), lineNo, left.get(lineNo)!, `Item ${lineNo}`);
            refused++;
            continue;
          }
          const r = completeReturn(original, done, lines, sale.pricing.cashRounding);
          expect(r.lines.map((l) => [l.lineNo, l.qtyMilli])).toEqual([...wanted].sort((a, b) => a[0] - b[0]));
          for (const [lineNo, qty] of wanted) left.set(lineNo, left.get(lineNo)! - qty);
          done.push(r);
        }
        // what is left, in one return; then not a gram or a unit more of any line
        const rest = [...left].filter(([, q]) => q > 0).map(([lineNo, qtyMilli]) => ({ lineNo, qtyMilli }));
        if (rest.length > 0) done.push(completeReturn(original, done, rest, sale.pricing.cashRounding));
        for (const l of original.lines) {
          expect(
            sum(done, (r) =>
              sum(
                r.lines.filter((x) => x.lineNo === l.lineNo),
                (x) => x.qtyMilli,
              ),
            ),
          ).toBe(l.qtyMilli);
          const more = [{ lineNo: l.lineNo, qtyMilli: stepOf(l) }];
          expectExceeds(() => completeReturn(original, done, more, sale.pricing.cashRounding), l.lineNo, 0, l.name);
          exhausted++;
        }
      }),
      runs,
    );
    expect(refused).toBeGreaterThan(100);
    expect(exhausted).toBeGreaterThan(300);
  });

  test("never refund more of a line, or of its tax, than was paid for it", () => {
    fc.assert(
      fc.property(saleSpec.map(completedSale), requests, (sale, asks) => {
        const original = originalOf(sale);
        const done: CompletedReturn[] = [];
        for (const ask of asks) {
          const earlier = earlierOf(done);
          const lines = ask.map(({ pick, perMille }) => {
            const l = original.lines[pick % original.lines.length]!;
            const left = l.qtyMilli - (earlier.qtyByLine[l.lineNo] ?? 0);
            const step = stepOf(l);
            return { lineNo: l.lineNo, qtyMilli: Math.max(step, Math.floor((left * perMille) / 1300 / step) * step) };
          });
          try {
            done.push(completeReturn(original, done, lines, sale.pricing.cashRounding));
          } catch (e) {
            if (!(e instanceof Problem) || e.code !== "return_exceeds_sold") throw e;
          }
          for (const l of original.lines) {
            const returned = done.flatMap((r) => r.lines.filter((x) => x.lineNo === l.lineNo));
            for (const x of returned) {
              expect(x.refund).toBeGreaterThanOrEqual(0);
              expect(x.tax).toBeGreaterThanOrEqual(0);
            }
            expect(sum(returned, (x) => x.refund)).toBeLessThanOrEqual(l.paid);
            expect(sum(returned, (x) => x.tax)).toBeLessThanOrEqual(l.tax);
          }
          expect(sum(done, (r) => r.total)).toBeLessThanOrEqual(sale.finalTotals!.total);
        }
      }),
      runs,
    );
  });

  test("returned in any number of pieces, a sale refunds exactly its total, each line what was paid, each rate its tax", () => {
    fc.assert(
      fc.property(saleAndPieces, ({ sale, returns }) => {
        const t = sale.finalTotals!;
        const done = returnAll(sale, returns, 1);
        expect(sum(done, (r) => r.total)).toBe(t.total);
        for (const r of done) expect(r.total).toBe(sum(r.lines, (l) => l.refund));
        t.lines.forEach((line, i) => {
          const returned = done.flatMap((r) => r.lines.filter((x) => x.lineNo === i + 1));
          expect(sum(returned, (x) => x.qtyMilli)).toBe(sale.lines[i]!.qtyMilli);
          expect(sum(returned, (x) => x.refund)).toBe(line.total);
          expect(sum(returned, (x) => x.tax)).toBe(line.tax);
        });
        const byRate = new Map<string, { net: number; tax: number }>();
        for (const row of done.flatMap((r) => r.taxes)) {
          const key = `${row.taxClass}@${row.rateBp}`;
          const acc = byRate.get(key) ?? { net: 0, tax: 0 };
          byRate.set(key, { net: acc.net + row.net, tax: acc.tax + row.tax });
        }
        expect(Object.fromEntries(byRate)).toEqual(Object.fromEntries(t.taxes.map((row) => [`${row.taxClass}@${row.rateBp}`, { net: row.net, tax: row.tax }])));
      }),
      runs,
    );
  });

  test("by default the refunds go back to the tenders: the card never more than it paid, all of it adding up to the goods", () => {
    let withCard = 0;
    let rounded = 0;
    fc.assert(
      fc.property(saleAndPieces, ({ sale, returns }) => {
        const original = originalOf(sale);
        const tendered = (m: RefundMethod) => original.tenders.find((x) => x.method === m)?.amount ?? 0;
        for (const cashRounding of [sale.pricing.cashRounding, 1]) {
          const done = returnAll(sale, returns, cashRounding);
          done.forEach((r, i) => {
            // cash before rounding plus the other tenders is what the goods come to
            expect(sum(r.refunds, (f) => f.amount) - r.rounding).toBe(r.total);
            if (cashRounding === 1) expect(r.rounding).toBe(0);
            if (r.rounding !== 0) rounded++;
            for (const f of r.refunds) expect(f.amount).toBeGreaterThan(0);
            const soFar = earlierOf(done.slice(0, i + 1)).refundedByMethod;
            expect(soFar.card ?? 0).toBeLessThanOrEqual(tendered("card"));
            expect(soFar.voucher ?? 0).toBeLessThanOrEqual(tendered("voucher"));
          });
          if (tendered("card") > 0) withCard++;
          if (cashRounding === 1) {
            expect(sum(done, (r) => sum(r.refunds, (f) => f.amount))).toBe(sale.finalTotals!.total);
          }
        }
      }),
      runs,
    );
    expect(withCard).toBeGreaterThan(50);
    expect(rounded).toBeGreaterThan(20);
  });
});
