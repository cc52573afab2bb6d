import { describe, expect, test } from "bun:test";
import { lineTax, summariseTax } from "./tax.ts";

describe("lineTax, prices including tax (EU)", () => {
  test("20 % included in 1.19 is 0.20 (19.83 rounded), net 0.99", () => {
    expect(lineTax(119, 2000, "inclusive")).toEqual({ net: 99, tax: 20, gross: 119 });
  });

  test("19 % included in 8.99 is 1.44; 7 % included in 4.98 is 0.33", () => {
    expect(lineTax(899, 1900, "inclusive")).toEqual({ net: 755, tax: 144, gross: 899 });
    expect(lineTax(498, 700, "inclusive")).toEqual({ net: 465, tax: 33, gross: 498 });
  });

  test("20 % included in 10.00 is 1.67 (166.67 rounded)", () => {
    expect(lineTax(1000, 2000, "inclusive")).toEqual({ net: 833, tax: 167, gross: 1000 });
  });

  test("an exact half rounds up: 20 % in 0.03 is 0.005 -> 0.01, in 0.09 is 0.015 -> 0.02", () => {
    expect(lineTax(3, 2000, "inclusive")).toEqual({ net: 2, tax: 1, gross: 3 });
    expect(lineTax(9, 2000, "inclusive")).toEqual({ net: 7, tax: 2, gross: 9 });
    expect(lineTax(2, 2000, "inclusive")).toEqual({ net: 2, tax: 0, gross: 2 });
  });

  test("zero rate and zero amount carry no tax", () => {
    expect(lineTax(499, 0, "inclusive")).toEqual({ net: 499, tax: 0, gross: 499 });
    expect(lineTax(0, 2000, "inclusive")).toEqual({ net: 0, tax: 0, gross: 0 });
  });
});

describe("lineTax, prices excluding tax (US)", () => {
  test("8.25 % on 10.00 is 0.83 (82.5 rounded up), gross 10.83", () => {
    expect(lineTax(1000, 825, "exclusive")).toEqual({ net: 1000, tax: 83, gross: 1083 });
  });

  test("20 % on 1.19 is 0.24 (23.8 rounded)", () => {
    expect(lineTax(119, 2000, "exclusive")).toEqual({ net: 119, tax: 24, gross: 143 });
  });

  test("the half boundary: 10 % on 0.05 is 0.01, on 0.04 is 0.00", () => {
    expect(lineTax(5, 1000, "exclusive")).toEqual({ net: 5, tax: 1, gross: 6 });
    expect(lineTax(4, 1000, "exclusive")).toEqual({ net: 4, tax: 0, gross: 4 });
  });

  test("a zero rate adds nothing", () => {
    expect(lineTax(500, 0, "exclusive")).toEqual({ net: 500, tax: 0, gross: 500 });
  });
});

describe("summariseTax", () => {
  test("sums net and tax per class, one row per class, sorted by class", () => {
    const rows = summariseTax([
      { taxClass: "standard", rateBp: 1900, net: 755, tax: 144 },
      { taxClass: "reduced", rateBp: 700, net: 465, tax: 33 },
      { taxClass: "reduced", rateBp: 700, net: 111, tax: 8 },
    ]);
    expect(rows).toEqual([
      { taxClass: "reduced", rateBp: 700, net: 576, tax: 41 },
      { taxClass: "standard", rateBp: 1900, net: 755, tax: 144 },
    ]);
  });

  test("tax is rounded per line then summed, which can differ from rounding the class total", () => {
    const bread = lineTax(498, 700, "inclusive");
    const milk = lineTax(119, 700, "inclusive");
    const [row] = summariseTax([
      { taxClass: "reduced", rateBp: 700, ...bread },
      { taxClass: "reduced", rateBp: 700, ...milk },
    ]);
    expect(row?.tax).toBe(41);
    expect(lineTax(498 + 119, 700, "inclusive").tax).toBe(40);
  });

  test("no lines, no rows", () => {
    expect(summariseTax([])).toEqual([]);
  });

  test("does not change its input lines", () => {
    const lines = [
      { taxClass: "a", rateBp: 1000, net: 100, tax: 10 },
      { taxClass: "a", rateBp: 1000, net: 200, tax: 20 },
    ];
    summariseTax(lines);
    expect(lines).toEqual([
      { taxClass: "a", rateBp: 1000, net: 100, tax: 10 },
      { taxClass: "a", rateBp: 1000, net: 200, tax: 20 },
    ]);
  });
});
