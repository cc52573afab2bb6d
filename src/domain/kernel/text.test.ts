import { describe, expect, test } from "bun:test";
import { findTextProblem, textProblem } from "./text.ts";

describe("the text gate", () => {
  test("plain text of the right length passes", () => {
    expect(textProblem("Damaged packaging, 2 × 0.50 off", "The reason", { max: 200 })).toBeNull();
    expect(textProblem("Crème brûlée 125 g — 日本語", "Name")).toBeNull();
  });
  test("too long, control characters, broken characters and direction overrides are refused with a code and a sentence", () => {
    expect(textProblem("x".repeat(201), "The reason", { max: 200 })).toEqual({ code: "text_too_long", message: "The reason is longer than 200 characters." });
    expect(textProblem("a\u0000b", "Name")?.code).toBe("unstorable_text");
    expect(textProblem("a\ud800b", "Name")?.code).toBe("unstorable_text");
    expect(textProblem("bell\u0007", "Name")?.code).toBe("control_character");
    expect(textProblem("esc\u001b[2J", "Name")?.code).toBe("control_character");
    expect(textProblem("c1\u0085", "Name")?.code).toBe("control_character");
    expect(textProblem("evil\u202egnp.exe", "Name")?.code).toBe("control_character");
    expect(textProblem("two\nlines", "Name")?.code).toBe("control_character");
    expect(textProblem("two\r\nlines\tand a tab", "Address", { lines: true })).toBeNull();
  });
  test("card numbers are refused unless the text is a product code", () => {
    expect(textProblem("4111 1111 1111 1111", "The auth code")?.code).toBe("card_data_refused");
    expect(textProblem("4111111111111111", "Barcode", { cardLike: true })).toBeNull();
    // a product code is a bare run of digits; spelled like a card, it is checked like a card
    expect(textProblem("4111 1111 1111 1111", "SKU", { cardLike: true })?.code).toBe("card_data_refused");
    expect(textProblem("4111-1111-1111-1111", "SKU", { cardLike: true })?.code).toBe("card_data_refused");
  });
  test("in JSON, every string and key is looked at, with its path; product codes may hold card-like digits", () => {
    const codes = new Set(["barcode", "sku"]);
    expect(findTextProblem({ lines: [{ barcode: "4111111111111111" }] }, codes)).toBeNull();
    expect(findTextProblem({ payments: [{ card: { brand: "VI\u0000SA" } }] }, codes)?.path).toBe("payments[0].card.brand");
    expect(findTextProblem({ note: 4111111111111111 }, codes)?.problem.code).toBe("card_data_refused");
    expect(findTextProblem({ "4111.1111.1111.1111": 1 }, codes)?.problem.code).toBe("card_data_refused");
  });
});
