import { describe, expect, test } from "bun:test";
import { findCardNumber, looksLikeCardNumber, luhnValid, maskCardNumbers } from "./card-data.ts";

describe("card numbers are recognised, so they are never kept", () => {
  test("Luhn", () => {
    expect(luhnValid("4242424242424242")).toBe(true);
    expect(luhnValid("4242424242424241")).toBe(false);
  });
  test("a test Visa, with spaces or dashes, is a card number; a barcode or an amount is not", () => {
    expect(looksLikeCardNumber("4242424242424242")).toBe(true);
    expect(looksLikeCardNumber("card 4242 4242 4242 4242 thanks")).toBe(true);
    expect(looksLikeCardNumber("5555-5555-5555-4444")).toBe(true);
    expect(looksLikeCardNumber("4242")).toBe(false);
    expect(looksLikeCardNumber("4242424242424241")).toBe(false);
    expect(looksLikeCardNumber("A1B2C3")).toBe(false);
  });
  test("masking keeps only the last four digits", () => {
    expect(maskCardNumbers("paid with 4111111111111111 ok")).toBe("paid with [card ****1111] ok");
    expect(maskCardNumbers("receipt 001-000042")).toBe("receipt 001-000042");
  });
  test("found anywhere in a request body except barcodes and SKUs", () => {
    const skip = new Set(["barcode", "sku"]);
    expect(findCardNumber({ lines: [{ barcode: "4242424242424242" }], payments: [{ method: "card" }] }, skip)).toBeNull();
    expect(findCardNumber({ payments: [{ method: "card", card: { auth_code: "4111 1111 1111 1111" } }] }, skip)).toBe("payments[0].card.auth_code");
    expect(findCardNumber({ note: 4111111111111111 }, skip)).toBe("note");
  });
});
