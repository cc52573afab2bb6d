// The shift's cash-up as a specification: given what a shift sold and the cash that moved, when the X or Z report is
// taken (the Z with the drawer's count), then these figures — above all the cash the drawer should hold and its
// over/short. shift.ts is pure arithmetic: opening, moving cash, no-sale and closing (and their refusals) are the
// store's actions in server/shifts; here they arrive as the figures those actions add up.

import { afterEach, describe, expect, setSystemTime, test } from "bun:test";
import fc from "fast-check";
import { countDenominations, drawerDifference, type ShiftFigures, type ShiftReport, shiftReport } from "./shift.ts";

type Method = "cash" | "card" | "voucher";
type Payment = { method: Method; amount: number };

/** Something that happened on the shift, as it shows in its figures. */
type Happening = (f: ShiftFigures) => ShiftFigures;

const nothing: Omit<ShiftFigures, "openingFloat"> = {
  salesCount: 0,
  salesTotal: 0,
  discountTotal: 0,
  roundingTotal: 0,
  cancelledCount: 0,
  refundTotal: 0,
  refunds: [],
  returnsCount: 0,
  taxes: [],
  tenders: [],
  cashIn: 0,
  cashOut: 0,
  noSales: 0,
};

function tender(tenders: ShiftFigures["tenders"], method: string, amount: number): ShiftFigures["tenders"] {
  const had = tenders.find((t) => t.method === method);
  const rest = tenders.filter((t) => t.method !== method);
  return [...rest, { method, amount: (had?.amount ?? 0) + amount }].sort((a, b) => a.method.localeCompare(b.method));
}

/** A completed sale: its total, the payments taken and the change handed back from the cash. */
const sold =
  (total: number, payments: Payment[], change = 0, extra: { discount?: number; rounding?: number } = {}): Happening =>
  (f) => {
    let tenders = f.tenders;
    for (const p of payments) tenders = tender(tenders, p.method, p.amount);
    if (change) tenders = tender(tenders, "cash", -change);
    return {
      ...f,
      salesCount: f.salesCount + 1,
      salesTotal: f.salesTotal + total,
      discountTotal: f.discountTotal + (extra.discount ?? 0),
      roundingTotal: f.roundingTotal + (extra.rounding ?? 0),
      tenders,
    };
  };
const cash = (amount: number): Payment => ({ method: "cash", amount });
const card = (amount: number): Payment => ({ method: "card", amount });
const voucher = (amount: number): Payment => ({ method: "voucher", amount });
const cashIn =
  (amount: number): Happening =>
  (f) => ({ ...f, cashIn: f.cashIn + amount });
const cashOut =
  (amount: number): Happening =>
  (f) => ({ ...f, cashOut: f.cashOut + amount });
const noSale: Happening = (f) => ({ ...f, noSales: f.noSales + 1 });
const cancelled: Happening = (f) => ({ ...f, cancelledCount: f.cancelledCount + 1 });
const refunded =
  (amount: number, method = "cash"): Happening =>
  (f) => ({ ...f, refundTotal: f.refundTotal + amount, refunds: tender(f.refunds, method, amount), returnsCount: f.returnsCount + 1 });

/** A shift opened with `float` in the drawer, then these happenings. */
function given(float: number, ...happenings: Happening[]): ShiftFigures {
  return happenings.reduce((f, h) => h(f), { openingFloat: float, ...nothing } as ShiftFigures);
}

const xReport = (f: ShiftFigures): ShiftReport => shiftReport("X", f, null);
const zReport = (f: ShiftFigures, counted: number): ShiftReport => shiftReport("Z", f, counted);

/** The RangeError's message countDenominations refuses `counts` with; fails when the count is accepted. */
function refusal(counts: Record<string, number>): string {
  try {
    countDenominations(counts);
  } catch (e) {
    if (e instanceof RangeError) return e.message;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(counts)} to be refused, but it was counted`);
}

afterEach(() => {
  setSystemTime();
});

describe("counting the drawer note by note", () => {
  test("given 3 × 50.00, 2 × 20.00, 7 × 1.00 and 4 × 0.05, when counted, then 197.20", () => {
    expect(countDenominations({ "5000": 3, "2000": 2, "100": 7, "5": 4 })).toBe(19_720);
  });

  test("an empty drawer, or denominations counted as none, is 0.00", () => {
    expect(countDenominations({})).toBe(0);
    expect(countDenominations({ "50000": 0, "1": 0 })).toBe(0);
  });

  test("a 0.01 coin counts one minor unit: the count is in whole minor units", () => {
    expect(countDenominations({ "1": 13 })).toBe(13);
    expect(Number.isSafeInteger(countDenominations({ "50000": 99_999, "1": 99_999 }))).toBe(true);
    expect(countDenominations({ "50000": 99_999, "1": 99_999 })).toBe(5_000_049_999);
  });

  test("a denomination that is not a whole positive number of minor units is refused, naming it", () => {
    expect(refusal({ "0": 3 })).toBe("bad count 0 × 3");
    expect(refusal({ "-500": 1 })).toBe("bad count -500 × 1");
    expect(refusal({ "0.5": 2 })).toBe("bad count 0.5 × 2"); // 50 cents is "50", not "0.5"
    expect(refusal({ "12.50": 1 })).toBe("bad count 12.50 × 1");
    expect(refusal({ fifty: 1 })).toBe("bad count fifty × 1");
    expect(refusal({ "": 1 })).toBe("bad count  × 1");
  });

  test("a count that is negative, fractional or not a number is refused, naming it", () => {
    expect(refusal({ "2000": -1 })).toBe("bad count 2000 × -1");
    expect(refusal({ "2000": 1.5 })).toBe("bad count 2000 × 1.5");
    expect(refusal({ "2000": Number.NaN })).toBe("bad count 2000 × NaN");
    expect(refusal({ "2000": Number.POSITIVE_INFINITY })).toBe("bad count 2000 × Infinity");
  });

  test("a denomination is plain digits: exponents, hex and spaces are not denominations", () => {
    expect(refusal({ "1e3": 1 })).toBe("bad count 1e3 × 1");
    expect(refusal({ "0x64": 1 })).toBe("bad count 0x64 × 1");
    expect(refusal({ " 5 ": 1 })).toBe("bad count  5  × 1");
    expect(refusal({ "0500": 1 })).toBe("bad count 0500 × 1");
  });

  test("a count too large to be real cash is refused, not rounded", () => {
    expect(refusal({ "9007199254740991": 3 })).toBe("the count 9007199254740991 × 3 is too large to be real cash");
  });

  test("one bad entry refuses the whole count, wherever it is", () => {
    expect(refusal({ "5000": 3, "2000": -1, "100": 7 })).toBe("bad count 2000 × -1");
  });
});

describe("the cash the drawer should hold", () => {
  test("given a float of 150.00 and nothing else, then the drawer should hold 150.00", () => {
    expect(xReport(given(15_000))).toMatchObject({ kind: "X", openingFloat: 15_000, cashSales: 0, expectedCash: 15_000 });
  });

  test("cash taken for sales goes in, less the change handed back: 12.34 paid with 20.00 adds 12.34", () => {
    const report = xReport(given(15_000, sold(1234, [cash(2000)], 766)));
    expect(report.tenders).toEqual([{ method: "cash", amount: 1234 }]);
    expect(report).toMatchObject({ cashSales: 1234, expectedCash: 16_234 });
  });

  test("card and voucher takings do not go in the drawer", () => {
    const report = xReport(given(15_000, sold(4500, [card(4500)]), sold(2000, [voucher(2000)]), sold(1000, [card(400), cash(1000)], 400)));
    expect(report.tenders).toEqual([
      { method: "card", amount: 4900 },
      { method: "cash", amount: 600 },
      { method: "voucher", amount: 2000 },
    ]);
    expect(report).toMatchObject({ salesCount: 3, salesTotal: 7500, cashSales: 600, expectedCash: 15_600 });
  });

  test("cash in is added and cash out taken away", () => {
    expect(xReport(given(15_000, cashIn(5000))).expectedCash).toBe(20_000);
    expect(xReport(given(15_000, cashOut(2000))).expectedCash).toBe(13_000);
    expect(xReport(given(15_000, cashIn(5000), cashOut(2000), cashOut(1000))).expectedCash).toBe(17_000);
  });

  test("refunds are paid out of the drawer", () => {
    expect(xReport(given(15_000, sold(1234, [cash(1234)]), refunded(500))).expectedCash).toBe(15_734);
    // a refund to the card leaves the drawer as it was
    expect(xReport(given(15_000, sold(1234, [cash(1234)]), refunded(500, "card"))).expectedCash).toBe(16_234);
  });

  test("a no-sale opens the drawer but moves no money; it is counted on the report", () => {
    const report = xReport(given(15_000, noSale, noSale));
    expect(report).toMatchObject({ noSales: 2, expectedCash: 15_000 });
  });

  test("cancelled sales and discounts move no cash", () => {
    const report = xReport(given(15_000, cancelled, sold(900, [cash(900)], 0, { discount: 100 })));
    expect(report).toMatchObject({ cancelledCount: 1, discountTotal: 100, salesTotal: 900, expectedCash: 15_900 });
  });

  test("cash rounding is already in the cash taken, not added again: 1.03 paid with 2.00 at 0.05 rounding adds 1.05", () => {
    const report = xReport(given(15_000, sold(103, [cash(200)], 95, { rounding: 2 })));
    expect(report).toMatchObject({ salesTotal: 103, roundingTotal: 2, cashSales: 105, expectedCash: 15_105 });
  });

  test("a shift opened with no float and only card sales should hold nothing", () => {
    expect(xReport(given(0, sold(4500, [card(4500)]))).expectedCash).toBe(0);
  });

  test("cash out beyond what is in the drawer is not refused here: the drawer should hold less than nothing", () => {
    expect(xReport(given(1000, cashOut(1500))).expectedCash).toBe(-500);
  });

  test("expected cash is float + cash sales + cash in − cash out − refunds, from the figures as given", () => {
    const figures: ShiftFigures = {
      ...nothing,
      openingFloat: 10_000,
      tenders: [
        { method: "card", amount: 99_999 },
        { method: "cash", amount: 3_000 },
        { method: "cash", amount: 250 }, // two cash rows are both cash
        { method: "voucher", amount: 777 },
      ],
      cashIn: 400,
      cashOut: 1_200,
      refundTotal: 50,
      refunds: [{ method: "cash", amount: 50 }],
      returnsCount: 1,
    };
    expect(xReport(figures)).toMatchObject({ cashSales: 3_250, expectedCash: 10_000 + 3_250 + 400 - 1_200 - 50 });
  });
});

describe("the X report", () => {
  const day = [sold(1234, [cash(2000)], 766), sold(4500, [card(4500)]), cancelled, cashIn(5000), cashOut(2000), noSale];

  test("given a day's trading, when X is taken, then every figure is there and nothing is counted yet", () => {
    const figures: ShiftFigures = {
      ...given(15_000, ...day),
      discountTotal: 150,
      taxes: [
        { taxClass: "reduced", rateBp: 700, net: 1153, tax: 81 },
        { taxClass: "standard", rateBp: 1900, net: 3782, tax: 718 },
      ],
    };
    expect(xReport(figures)).toEqual({
      ...figures,
      kind: "X",
      taxTotal: 799,
      cashSales: 1234,
      expectedCash: 15_000 + 1234 + 5000 - 2000,
      countedCash: null,
      overShort: null,
    });
  });

  test("taking X resets nothing: the figures it was given are left as they were, and X again gives the same", () => {
    const figures = given(15_000, ...day);
    const copy = structuredClone(figures);
    const first = xReport(figures);
    expect(figures).toEqual(copy);
    expect(xReport(figures)).toEqual(first);
  });

  test("X and Z agree on what the drawer should hold", () => {
    const figures = given(15_000, ...day);
    const { kind: _x, countedCash: _xc, overShort: _xo, ...x } = xReport(figures);
    const { kind: _z, countedCash: _zc, overShort: _zo, ...z } = zReport(figures, 19_234);
    expect(z).toEqual(x);
  });
});

describe("closing with the drawer counted (Z)", () => {
  const shift = given(15_000, sold(1234, [cash(2000)], 766), sold(4500, [card(4500)]), cashIn(5000), cashOut(2000)); // should hold 192.34

  test("a count that matches: over/short 0.00", () => {
    expect(zReport(shift, 19_234)).toMatchObject({ kind: "Z", expectedCash: 19_234, countedCash: 19_234, overShort: 0 });
  });

  test("counted 192.30: short by 0.04, shown as −4", () => {
    expect(zReport(shift, 19_230)).toMatchObject({ expectedCash: 19_234, countedCash: 19_230, overShort: -4 });
  });

  test("counted 195.00: over by 2.66", () => {
    expect(zReport(shift, 19_500)).toMatchObject({ expectedCash: 19_234, countedCash: 19_500, overShort: 266 });
  });

  test("an empty drawer is a count of 0.00, not a missing count: short by all of it", () => {
    expect(zReport(shift, 0)).toMatchObject({ countedCash: 0, overShort: -19_234 });
  });

  test("the count note by note feeds the Z: 3 × 50.00, 2 × 20.00, 2 × 1.00, 1 × 0.20, 1 × 0.10, 2 × 0.02 is exactly 192.34", () => {
    const counted = countDenominations({ "5000": 3, "2000": 2, "100": 2, "20": 1, "10": 1, "2": 2 });
    expect(zReport(shift, counted)).toMatchObject({ countedCash: 19_234, overShort: 0 });
  });

  test("as people read it, the word carries the sign and the amount is positive: Short 0.04, Over 2.66, Balanced 0.00", () => {
    expect(drawerDifference(zReport(shift, 19_230).overShort!)).toEqual({ label: "Short", amount: 4 });
    expect(drawerDifference(zReport(shift, 19_500).overShort!)).toEqual({ label: "Over", amount: 266 });
    expect(drawerDifference(zReport(shift, 19_234).overShort!)).toEqual({ label: "Balanced", amount: 0 });
  });

  test("the Z keeps every figure of the shift beside the count", () => {
    const report = zReport(shift, 19_230);
    expect(report).toMatchObject({ ...shift, kind: "Z" });
  });
});

describe("time and ids", () => {
  test("the report does not read the clock: the same shift gives the same report at any time, with no time of its own", () => {
    const shift = given(15_000, sold(1234, [cash(2000)], 766), cashOut(2000));
    setSystemTime(new Date("2025-03-01T08:00:00.000Z"));
    const morning = zReport(shift, 14_000);
    setSystemTime(new Date("2031-12-31T23:59:59.000Z"));
    const later = zReport(shift, 14_000);
    expect(later).toEqual(morning);
    expect(Object.keys(morning).sort()).toEqual([...Object.keys(shift), "kind", "taxTotal", "cashSales", "expectedCash", "countedCash", "overShort"].sort());
  });
});

// Properties: whatever a shift sold and moved, the report's drawer is the drawer a person would have counted.

type Move =
  | { kind: "sale"; total: number; card: number; voucher: number; tenderedOver: number }
  | { kind: "in"; amount: number }
  | { kind: "out"; amount: number }
  | { kind: "noSale" }
  | { kind: "cancel" };

const move: fc.Arbitrary<Move> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        total: fc.integer({ min: 0, max: 200_000 }),
        cardShare: fc.double({ min: 0, max: 1, noNaN: true }),
        voucherShare: fc.double({ min: 0, max: 1, noNaN: true }),
        tenderedOver: fc.nat({ max: 10_000 }),
      })
      .map(({ total, cardShare, voucherShare, tenderedOver }): Move => {
        const cardPart = Math.floor(total * cardShare);
        const voucherPart = Math.floor((total - cardPart) * voucherShare);
        return { kind: "sale", total, card: cardPart, voucher: voucherPart, tenderedOver };
      }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("in" as const), amount: fc.integer({ min: 1, max: 100_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("out" as const), amount: fc.integer({ min: 1, max: 100_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "noSale" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "cancel" as const }) },
);

/** The happening a move leaves in the figures, and what it physically does to the drawer. */
function play(m: Move): { happening: Happening; drawer: number } {
  switch (m.kind) {
    case "sale": {
      const cashDue = m.total - m.card - m.voucher;
      const payments: Payment[] = [];
      if (m.card) payments.push(card(m.card));
      if (m.voucher) payments.push(voucher(m.voucher));
      const handed = cashDue > 0 ? cashDue + m.tenderedOver : 0;
      if (handed) payments.push(cash(handed));
      const change = handed ? m.tenderedOver : 0;
      return { happening: sold(m.total, payments, change), drawer: handed - change };
    }
    case "in":
      return { happening: cashIn(m.amount), drawer: m.amount };
    case "out":
      return { happening: cashOut(m.amount), drawer: -m.amount };
    case "noSale":
      return { happening: noSale, drawer: 0 };
    case "cancel":
      return { happening: cancelled, drawer: 0 };
  }
}

describe("properties", () => {
  test("for any float and sequence of sales and cash movements, expected cash is what physically went into the drawer", () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.array(move, { maxLength: 40 }), fc.integer({ min: -5_000, max: 5_000 }), (float, moves, miscount) => {
        const played = moves.map(play);
        const drawer = float + played.reduce((s, p) => s + p.drawer, 0);
        const figures = given(float, ...played.map((p) => p.happening));
        const x = xReport(figures);
        const z = zReport(figures, drawer + miscount);
        expect(x.expectedCash).toBe(drawer);
        expect(z.expectedCash).toBe(drawer);
        expect(z.overShort).toBe(miscount);
        expect(x.overShort).toBeNull();
        for (const n of [x.cashSales, x.expectedCash, x.taxTotal, z.overShort!]) expect(Number.isSafeInteger(n)).toBe(true);
        expect(x.salesCount).toBe(moves.filter((m) => m.kind === "sale").length);
        expect(x.noSales).toBe(moves.filter((m) => m.kind === "noSale").length);
      }),
    );
  });

  test("a count note by note is exactly Σ denomination × count, in whole minor units, in any order", () => {
    const denominations = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];
    fc.assert(
      fc.property(fc.shuffledSubarray(denominations), fc.array(fc.nat({ max: 99_999 }), { minLength: 15, maxLength: 15 }), (chosen, counts) => {
        const entries = chosen.map((d, i) => [String(d), counts[i]!] as const);
        const total = countDenominations(Object.fromEntries(entries));
        const exact = entries.reduce((s, [d, n]) => s + BigInt(d) * BigInt(n), 0n);
        expect(Number.isSafeInteger(total)).toBe(true);
        expect(BigInt(total)).toBe(exact);
        expect(countDenominations(Object.fromEntries([...entries].reverse()))).toBe(total);
      }),
    );
  });
});
