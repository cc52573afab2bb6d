import { describe, expect, test } from "bun:test";
import { allocate, divRoundHalfUp, formatMoney, isMinor, mulDivRoundHalfUp, parseDecimalToMinor, roundToUnit } from "./money.ts";

describe("isMinor", () => {
  test("accepts whole numbers of minor units only", () => {
    expect(isMinor(0)).toBe(true);
    expect(isMinor(-250)).toBe(true);
    expect(isMinor(1234)).toBe(true);
    expect(isMinor(12.34)).toBe(false);
    expect(isMinor(Number.NaN)).toBe(false);
    expect(isMinor(2 ** 53)).toBe(false);
    expect(isMinor("1234")).toBe(false);
  });
});

describe("divRoundHalfUp", () => {
  test("exact quotients are unchanged", () => {
    expect(divRoundHalfUp(1000, 10)).toBe(100);
    expect(divRoundHalfUp(0, 7)).toBe(0);
  });

  test("rounds below the half down and the half and above up", () => {
    expect(divRoundHalfUp(149, 100)).toBe(1);
    expect(divRoundHalfUp(150, 100)).toBe(2);
    expect(divRoundHalfUp(151, 100)).toBe(2);
    expect(divRoundHalfUp(5, 2)).toBe(3);
    expect(divRoundHalfUp(7, 2)).toBe(4);
    expect(divRoundHalfUp(1, 3)).toBe(0);
    expect(divRoundHalfUp(2, 3)).toBe(1);
  });

  test("halves of negative amounts go away from zero, like refunds mirror sales", () => {
    expect(divRoundHalfUp(-150, 100)).toBe(-2);
    expect(divRoundHalfUp(-149, 100)).toBe(-1);
    expect(divRoundHalfUp(-5, 2)).toBe(-3);
  });

  test("a weighed line: 0.250 kg at 12.99/kg is 3.25 (324.75 rounded)", () => {
    expect(divRoundHalfUp(1299 * 250, 1000)).toBe(325);
  });

  test("refuses a zero or negative denominator", () => {
    expect(() => divRoundHalfUp(10, 0)).toThrow(RangeError);
    expect(() => divRoundHalfUp(10, -5)).toThrow(RangeError);
  });
});

describe("roundToUnit (cash rounding)", () => {
  test("to 0.05: 1.02 -> 1.00, 1.03 -> 1.05, 19.97 -> 19.95, 19.98 -> 20.00", () => {
    expect(roundToUnit(102, 5)).toBe(100);
    expect(roundToUnit(103, 5)).toBe(105);
    expect(roundToUnit(1997, 5)).toBe(1995);
    expect(roundToUnit(1998, 5)).toBe(2000);
    expect(roundToUnit(100, 5)).toBe(100);
  });

  test("to 0.10 the half rounds up: 0.05 -> 0.10, 0.04 -> 0.00", () => {
    expect(roundToUnit(5, 10)).toBe(10);
    expect(roundToUnit(4, 10)).toBe(0);
    expect(roundToUnit(1234, 10)).toBe(1230);
    expect(roundToUnit(1235, 10)).toBe(1240);
  });

  test("negative amounts round symmetrically", () => {
    expect(roundToUnit(-103, 5)).toBe(-105);
    expect(roundToUnit(-102, 5)).toBe(-100);
  });

  test("a unit of 1 (or less) means no cash rounding", () => {
    expect(roundToUnit(103, 1)).toBe(103);
    expect(roundToUnit(103, 0)).toBe(103);
  });
});

describe("allocate", () => {
  test("exact past 2^53: a whole amount split by its own parts gives each part back", () => {
    const parts = [43_566_212, 0, 2_479, 0, 0, 417_545_243];
    const whole = parts.reduce((s, x) => s + x, 0);
    expect(allocate(whole, parts)).toEqual(parts);
    expect(mulDivRoundHalfUp(100_000_000_000, 999_999, 1_000_000)).toBe(99_999_900_000);
    expect(mulDivRoundHalfUp(-5, 1, 2)).toBe(-3);
  });

  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

  test("1.00 over three equal lines gives the odd cent to the first", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });

  test("the largest remainder gets the leftover cent", () => {
    expect(allocate(10, [1, 2])).toEqual([3, 7]);
    expect(allocate(100, [333, 333, 334])).toEqual([33, 33, 34]);
    expect(allocate(25, [199, 299, 1])).toEqual([10, 15, 0]);
  });

  test("exact proportions are kept", () => {
    expect(allocate(1000, [500, 300, 200])).toEqual([500, 300, 200]);
    expect(allocate(175, [1000, 500, 250])).toEqual([100, 50, 25]);
  });

  test("a negative amount is split like its positive mirror", () => {
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  test("zero weights get nothing, even on a tie", () => {
    expect(allocate(5, [0, 3, 3])).toEqual([0, 3, 2]);
    expect(allocate(7, [3, 0, 4])).toEqual([3, 0, 4]);
  });

  test("no weights: nothing to split; all weights zero: the first takes it all", () => {
    expect(allocate(10, [])).toEqual([]);
    expect(allocate(5, [0, 0])).toEqual([5, 0]);
  });

  test("the parts always sum exactly to the amount and never exceed a weight's share by a cent", () => {
    const cases: [number, number[]][] = [
      [1, [1, 1, 1, 1, 1, 1, 1]],
      [999, [7, 13, 17, 19, 23]],
      [12345, [1, 10, 100, 1000, 10000]],
      [101, [50, 50, 1]],
      [99_999_999_999, [99_999_999_999, 1]],
    ];
    for (const [amount, weights] of cases) {
      const parts = allocate(amount, weights);
      expect(sum(parts)).toBe(amount);
      const total = sum(weights);
      parts.forEach((p, i) => {
        expect(Number.isSafeInteger(p)).toBe(true);
        expect(Math.abs(p - (amount * weights[i]!) / total)).toBeLessThan(1);
      });
    }
  });
});

describe("formatMoney", () => {
  test("uses the currency's symbol, grouping and decimals", () => {
    expect(formatMoney(123456, "EUR")).toBe("€1,234.56");
    expect(formatMoney(-250, "GBP")).toBe("-£2.50");
    expect(formatMoney(0, "EUR")).toBe("€0.00");
    expect(formatMoney(-0, "EUR")).toBe("€0.00"); // a negated sum of nothing
    expect(formatMoney(1234, "USD", "en-US")).toBe("$12.34");
  });

  test("follows the locale's separators", () => {
    expect(formatMoney(123456, "EUR", "de-DE")).toBe("1.234,56\u00a0€");
  });

  test("currencies without or with three decimals", () => {
    expect(formatMoney(1234, "JPY")).toBe("JP¥1,234");
    expect(formatMoney(1234, "BHD")).toBe("BHD\u00a01.234");
  });
});

describe("parseDecimalToMinor", () => {
  test("reads prices typed at the till", () => {
    expect(parseDecimalToMinor("12.34")).toBe(1234);
    expect(parseDecimalToMinor("12,34")).toBe(1234);
    expect(parseDecimalToMinor("12")).toBe(1200);
    expect(parseDecimalToMinor("12.5")).toBe(1250);
    expect(parseDecimalToMinor("0.05")).toBe(5);
    expect(parseDecimalToMinor(" 7.00 ")).toBe(700);
    expect(parseDecimalToMinor("-3.50")).toBe(-350);
  });

  test("has no floating point error where a float would: 0.29 and 1.15", () => {
    expect(0.29 * 100).not.toBe(29);
    expect(parseDecimalToMinor("0.29")).toBe(29);
    expect(parseDecimalToMinor("1.15")).toBe(115);
  });

  test("minus zero is plain zero", () => {
    expect(Object.is(parseDecimalToMinor("-0.00"), 0)).toBe(true);
    expect(Object.is(parseDecimalToMinor("-0"), 0)).toBe(true);
  });

  test("respects the currency's number of decimals", () => {
    expect(parseDecimalToMinor("1.234", 3)).toBe(1234);
    expect(parseDecimalToMinor("1234", 0)).toBe(1234);
    expect(parseDecimalToMinor("12.5", 0)).toBeNull();
  });

  test("rejects more decimals than the currency has, and anything not a number", () => {
    expect(parseDecimalToMinor("1.234")).toBeNull();
    expect(parseDecimalToMinor("abc")).toBeNull();
    expect(parseDecimalToMinor("")).toBeNull();
    expect(parseDecimalToMinor("1.")).toBeNull();
    expect(parseDecimalToMinor(".5")).toBeNull();
    expect(parseDecimalToMinor("1.2.3")).toBeNull();
    expect(parseDecimalToMinor("1e3")).toBeNull();
    expect(parseDecimalToMinor("+5")).toBeNull();
    expect(parseDecimalToMinor("€5")).toBeNull();
  });

  test("rejects amounts too large to count exactly", () => {
    expect(parseDecimalToMinor("99999999999999999")).toBeNull();
    expect(parseDecimalToMinor("90071992547409.92")).toBeNull();
    expect(parseDecimalToMinor("90071992547409.91")).toBe(Number.MAX_SAFE_INTEGER);
  });
});
