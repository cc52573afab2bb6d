import { describe, expect, test } from "bun:test";
import { cardNumberSpellings, PAN } from "../../../tests/helpers/card-numbers.ts";
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

describe("a card number in any spelling is still a card number", () => {
  for (const [how, text] of cardNumberSpellings) {
    test(how, () => {
      expect(looksLikeCardNumber(text)).toBe(true);
      expect(maskCardNumbers(`x ${text} y`)).toContain("****1111");
    });
  }
  test("a letter ends the number, and ordinary texts with figures are not card numbers", () => {
    expect(looksLikeCardNumber("4111a1111b1111c1111")).toBe(false);
    expect(looksLikeCardNumber("Pack of 12 x 330 ml, 6 for 4.99")).toBe(false);
    expect(looksLikeCardNumber("receipt 001-000042 on 2026-11-25 at 10:15")).toBe(false);
    expect(looksLikeCardNumber("4111111111111112")).toBe(false);
    expect(looksLikeCardNumber("4111---------1111---------1111---------1111")).toBe(false); // nine dashes part two numbers
  });
  test("masking keeps the rest of the text", () => {
    expect(maskCardNumbers("card 4111.1111.1111.1111 declined")).toBe("card [card ****1111] declined");
    expect(maskCardNumbers(`a ${PAN} b ${PAN}`)).toBe("a [card ****1111] b [card ****1111]");
  });
});
