// The Toledo 8213 answers as a scale sends them: a steady weight, a status byte instead, noise, halves of a frame.
import { describe, expect, test } from "bun:test";
import { firstReply, readingOf, type ScaleReply, weightRequest } from "./protocol.ts";

const STX = "\x02";
const CR = "\r";
const bytes = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
/** A byte with the even-parity bit a 7E1 scale sets, as an 8N1 port reads it. */
const withParity = (b: number) => {
  let ones = 0;
  for (let x = b; x; x >>= 1) ones += x & 1;
  return ones % 2 ? b | 0x80 : b;
};
const reading = (s: string) => {
  const r = firstReply(bytes(s));
  return r ? readingOf(r.reply) : null;
};
/** A status answer with these bits on (5 and 6 always), with or without the "?" some scales put first. */
const status = (bits: number, question = true) => `${STX}${question ? "?" : ""}${String.fromCharCode(0x60 | bits)}${CR}`;

test("the POS asks with a single W, with its even parity bit for a 7E1 scale", () => {
  expect([...weightRequest("8N1")]).toEqual([0x57]);
  expect([...weightRequest("7E1")]).toEqual([0xd7]); // W has five bits set: the parity bit makes them six
});

describe("a steady weight", () => {
  test("STX 00.742 CR is 742 g, and the frame's bytes are used up", () => {
    expect(firstReply(bytes(`${STX}00.742${CR}`))).toEqual({ reply: { kind: "weight", grams: 742 }, used: 8 });
    expect(reading(`${STX}00.742${CR}`)).toEqual({ ok: true, grams: 742 });
  });

  test("two decimals, leading spaces and a fourth decimal (rounded half up) all read in grams", () => {
    expect(reading(`${STX}012.50${CR}`)).toEqual({ ok: true, grams: 12_500 });
    expect(reading(`${STX}  1.234${CR}`)).toEqual({ ok: true, grams: 1234 });
    expect(reading(`${STX}0.7425${CR}`)).toEqual({ ok: true, grams: 743 });
    expect(reading(`${STX}0.7424${CR}`)).toEqual({ ok: true, grams: 742 });
  });

  test("a 7E1 scale read through an 8N1 port: the parity bits are masked off", () => {
    const frame = Uint8Array.from(bytes(`${STX}00.742${CR}`), withParity);
    expect(frame.some((b) => b >= 0x80)).toBe(true);
    expect(readingOf(firstReply(frame)!.reply)).toEqual({ ok: true, grams: 742 });
  });

  test("centre of zero in place of a weight: nothing on the scale, 0 g", () => {
    expect(reading(status(0x10))).toEqual({ ok: true, grams: 0 });
    expect(reading(`${STX}00.000${CR}`)).toEqual({ ok: true, grams: 0 });
  });
});

describe("no weight to give: the status byte says why", () => {
  test("in motion", () => {
    expect(reading(status(0x01))).toMatchObject({ ok: false, problem: "motion", message: expect.stringContaining("hold the item still") });
    expect(reading(status(0x01, false))).toMatchObject({ ok: false, problem: "motion" });
  });

  test("under zero", () => {
    expect(reading(status(0x04))).toMatchObject({ ok: false, problem: "under_zero", message: expect.stringContaining("below zero") });
  });

  test("over capacity, which wins over motion", () => {
    expect(reading(status(0x02))).toMatchObject({ ok: false, problem: "over_capacity", message: expect.stringContaining("too heavy") });
    expect(reading(status(0x03))).toMatchObject({ problem: "over_capacity" });
  });

  test("under zero wins over motion; outside the zero range is a zero error", () => {
    expect(reading(status(0x05))).toMatchObject({ problem: "under_zero" });
    expect(reading(status(0x08))).toMatchObject({ problem: "zero_error" });
  });

  test("the status byte's parity bit does not change its meaning", () => {
    const frame = Uint8Array.from(bytes(status(0x01)), withParity);
    expect(readingOf(firstReply(frame)!.reply)).toMatchObject({ problem: "motion" });
  });
});

describe("garbage", () => {
  const unreadable = (s: string) => expect(reading(s)).toMatchObject({ ok: false, problem: "unreadable", message: expect.stringContaining("8213") });

  test("no decimal point, a sign, a unit, letters, an unrecognised command's bare '?', an empty frame", () => {
    unreadable(`${STX}00742${CR}`);
    unreadable(`${STX}-0.742${CR}`);
    unreadable(`${STX}0.742kg${CR}`);
    unreadable(`${STX}1lb 2.5oz${CR}`);
    unreadable(`${STX}?${CR}`);
    unreadable(`${STX}${CR}`);
    unreadable(`${STX}?a1${CR}`);
  });

  test("noise before the STX is skipped, and a CR with no STX before it is not an answer", () => {
    expect(reading(`xx\r\n${STX}00.742${CR}`)).toEqual({ ok: true, grams: 742 });
    expect(firstReply(bytes(`00.742${CR}`))).toBeNull();
    expect(firstReply(bytes(""))).toBeNull();
  });

  test("a frame cut short by a new STX starts again there", () => {
    expect(firstReply(bytes(`${STX}00.7${STX}01.250${CR}`))).toEqual({ reply: { kind: "weight", grams: 1250 }, used: 13 });
  });
});

describe("split frames", () => {
  const frame = bytes(`${STX}00.742${CR}`);

  test("every split of a frame: nothing until the CR arrives, then the weight", () => {
    for (let cut = 0; cut < frame.length; cut++) {
      expect(firstReply(frame.subarray(0, cut))).toBeNull();
      const whole = Uint8Array.of(...frame.subarray(0, cut), ...frame.subarray(cut));
      expect(firstReply(whole)).toEqual({ reply: { kind: "weight", grams: 742 }, used: frame.length });
    }
  });

  test("a status answer then a weight: the first is read, and `used` says where the next begins", () => {
    const both = bytes(`${status(0x01)}${STX}00.742${CR}`);
    const first = firstReply(both)!;
    expect(first.reply).toEqual({ kind: "status", status: expect.objectContaining({ motion: true }) } as ScaleReply);
    expect(firstReply(both.subarray(first.used))).toEqual({ reply: { kind: "weight", grams: 742 }, used: 8 });
  });
});
