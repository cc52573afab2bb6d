import { describe, expect, test } from "bun:test";
import { looksLikeCardNumber } from "../../../domain/kernel/card-data.ts";
import { DEAD_LETTER_KEEPS, deadLetterBody, jsonText, keptLabel, keptText } from "./dead-letter.ts";

const card = "4111111111111111";

describe("jsonText", () => {
  test("writes what JSON.parse made exactly as JSON.stringify does", () => {
    const samples = [
      null,
      true,
      0,
      -0,
      1.5,
      1e300,
      "",
      'a"b\\c\n\u0000\ud800',
      [],
      {},
      [1, [2, [3]], { a: null }],
      { "2": "two", b: [1, { c: "d" }], "1": 1, "": "" },
      JSON.parse('{"__proto__": 1, "x": [true, false, null]}'),
    ];
    for (const v of samples) expect(jsonText(v)).toBe(JSON.stringify(v));
  });

  test("writes a value nested 100,000 deep, which JSON.stringify cannot", () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const text = jsonText(deep);
    expect(text.length).toBe(100_000 * 6 + 1);
    expect(text).toStartWith('{"a":{"a":');
  });
});

describe("keptText", () => {
  test("masks card numbers, also those spelled with JSON escapes, and keeps text PostgreSQL takes", () => {
    const escaped = `{"auth":"${[...card].map((d) => `\\u00${d.charCodeAt(0).toString(16)}`).join("")}","note":"\\u0000 and \\\\u0034"}`;
    const kept = keptText(escaped, DEAD_LETTER_KEEPS).text;
    expect(kept).toBe('{"auth":"[card ****1111]","note":"\\u0000 and \\\\u0034"}');
    expect(keptText(`pay ${card}\u0000\ud800`, 100).text).toBe("pay [card ****1111]\uFFFD\uFFFD");
  });

  test("a cut never leaves part of a card number behind, wherever it falls", () => {
    const spelled = "4111 1111 1111 1111";
    for (let at = 0; at <= spelled.length; at++) {
      const text = `${"x".repeat(100 - at)}${spelled}`;
      const { text: kept, cut } = keptText(text, 100);
      // the cut falls `at` characters into the number; all of it fits only when at is its whole length
      const whole = at === spelled.length;
      expect([at, cut]).toEqual([at, !whole]);
      expect([at, kept.replaceAll("x", "")]).toEqual([at, whole ? "[card ****1111]" : ""]);
    }
    // digits far from the cut that make no card number stay
    expect(keptText(`total 1234, ${"y".repeat(200)}`, 100).text).toBe(`total 1234, ${"y".repeat(88)}`);
  });

  test("a cut counts bytes of UTF-8 and never splits a character", () => {
    const { text, bytes, cut } = keptText("é".repeat(100), 101);
    expect([text, bytes, cut]).toEqual(["é".repeat(50), 200, true]);
    expect(keptText("😀".repeat(10), 10).text).toBe("😀😀");
  });
});

test("a dead letter's body: masked labels, a claimed hash kept only when it is the payload's own, the cut said", () => {
  const payload = `{"x":"${"z".repeat(DEAD_LETTER_KEEPS)}"}`;
  const body = deadLetterBody({ seq: 7, kind: card, ref: { pan: card }, hash: `h${card}`, payload }, "0".repeat(64));
  expect(body).toEqual({
    cut: `head office kept the first 65,536 of ${(DEAD_LETTER_KEEPS + 8).toLocaleString("en")} bytes of this payload`,
    ref: '{"pan":"[card ****1111]"}',
    seq: 7,
    hash: "h[card ****1111]",
    kind: "[card ****1111]",
    payload: payload.slice(0, DEAD_LETTER_KEEPS),
  });
  const own = deadLetterBody({ seq: 1, kind: "sale", ref: "r", hash: "ab", payload: "{}" }, "ab");
  expect(own).toEqual({ ref: "r", seq: 1, hash: "ab", kind: "sale", payload: "{}" });
  expect(deadLetterBody({ seq: 2 }, "ab")).toEqual({ ref: null, seq: 2, hash: null, kind: null, payload: null });
  expect(looksLikeCardNumber(JSON.stringify(body))).toBe(false);
  expect(keptLabel("k".repeat(500))).toBe("k".repeat(200));
});
