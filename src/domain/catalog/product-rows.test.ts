// The row checks both product imports use: each refusal in the words a person fixes their file by.
import { describe, expect, test } from "bun:test";
import { barcodeHeldBy, firstInFile, type HeaderWords, readHeader, readPrice, readUnit } from "./product-rows.ts";

type Column = "sku" | "name" | "price" | "taxClass" | "weighed";
const words: HeaderWords<Column> = {
  names: { sku: "sku", name: "name", price: "price", "tax class": "taxClass", "unit/weighed": "weighed", unit: "weighed" },
  required: ["sku", "name", "price", "taxClass"],
  labels: { sku: "sku", name: "name", price: "price", taxClass: "tax class", weighed: "unit/weighed" },
};

describe("a header", () => {
  test("is read by its words, whatever their case, spaces and underscores; other columns are left out", () => {
    expect(readHeader(["SKU", "Notes", "Name", " Tax_Class ", "price", "Unit / Weighed"], words)).toEqual({
      sku: 0,
      name: 2,
      taxClass: 3,
      price: 4,
      weighed: 5,
    });
  });

  test("naming a column twice, or lacking a needed one, is refused with what to do", () => {
    expect(readHeader(["sku", "name", "price", "tax class", "unit", "unit/weighed"], words)).toBe('The header has the column "unit/weighed" twice; keep one.');
    expect(readHeader(["sku", "price"], words)).toBe(
      'The header has no "name", "tax class" column; the first line must name the columns, at least: sku, name, price, tax class.',
    );
  });
});

describe("a price", () => {
  test("is an amount in minor units with at most the currency's decimals", () => {
    expect(readPrice("12.34", 2, ",")).toBe(1234);
    expect(readPrice("12,34", 2, ";")).toBe(1234);
  });

  test("is refused empty, with a decimal comma in a comma-separated file, not an amount, negative or too large", () => {
    expect(readPrice("", 2, ",")).toEqual({ problem: "Price is empty." });
    expect(readPrice("1,5", 2, ",")).toEqual({ problem: 'Price "1,5" has a comma; in a comma-separated file write decimals with a point (12.34).' });
    expect(readPrice("€3", 2, ",")).toEqual({ problem: 'Price "€3" is not an amount like 12.34 (at most 2 decimals, no currency sign).' });
    expect(readPrice("-1", 2, ",")).toEqual({ problem: "Price -1 is negative." });
    expect(readPrice("1000000.01", 2, ",")).toEqual({ problem: "Price 1000000.01 is more than the till accepts." });
  });
});

test("a unit is by the unit when empty, by weight in the words people use, and otherwise refused", () => {
  expect(readUnit("")).toEqual({ weighed: false });
  expect(readUnit(" KG ")).toEqual({ weighed: true });
  expect(readUnit("each")).toEqual({ weighed: false });
  expect(readUnit(" litre ")).toEqual({ problem: 'Unit "litre" is not known; write "unit" or "weighed" (or "kg").' });
});

test("the first row with a SKU or a barcode keeps it; a later one is told which line has it", () => {
  const seen = firstInFile();
  expect(seen.sku("MILK", 2)).toBeNull();
  expect(seen.sku("", 3)).toBeNull();
  expect(seen.sku("MILK", 4)).toBe("SKU MILK is already on line 2 of this file.");
  expect(seen.barcode("4000000000017", 2, "MILK")).toBeNull();
  expect(seen.barcode("4000000000017", 5, "BREAD")).toBe("Barcode 4000000000017 is already on line 2 of this file (SKU MILK).");
  expect(seen.lineOf("MILK")).toBe(2);
  expect(barcodeHeldBy("4000000000017", { sku: "MILK", name: "Fresh Milk 1 L" })).toBe(
    "Barcode 4000000000017 already belongs to SKU MILK (Fresh Milk 1 L); give that product another barcode in this file, or fix this one.",
  );
});
