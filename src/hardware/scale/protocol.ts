// The checkout scale's language: the Toledo 8213 "demand" protocol that POS scales and scanner-scales speak (called
// 8213 or SCP-03 in their manuals). The POS asks with one "W"; the scale answers a steady weight as
// STX, the weight with its decimal point (e.g. "00.742" in kg), CR — or, when it has no weight to give, as
// STX, "?", a status byte, CR. The status byte: bit 0 in motion, bit 1 over capacity, bit 2 under zero, bit 3 outside
// the zero capture range, bit 4 centre of zero, bits 5 and 6 always 1, bit 7 parity. Some scales leave out the "?".
// The weight carries no unit: the scale is set to kilograms. Many of these scales talk 7 data bits with even parity
// (7E1), others 8N1; the port is always opened 8N1 and 7E1 is spoken in software, the parity as bit 7, which puts the
// same bits on the wire.

/** How the scale frames a byte, as set on it. */
export type ScaleFraming = "7E1" | "8N1";
export const scaleFramings: readonly ScaleFraming[] = ["7E1", "8N1"];

/** What the POS sends to ask for the weight: "W", with its even parity bit for a 7E1 scale. */
export function weightRequest(framing: ScaleFraming): Uint8Array {
  return Uint8Array.of(framing === "7E1" ? withEvenParity(0x57) : 0x57);
}

function withEvenParity(b: number): number {
  let ones = 0;
  for (let x = b; x; x >>= 1) ones += x & 1;
  return ones % 2 === 1 ? b | 0x80 : b;
}

const STX = 0x02;
const CR = 0x0d;
const QUESTION = 0x3f;

export type ScaleStatus = { motion: boolean; overCapacity: boolean; underZero: boolean; outsideZeroRange: boolean; centreOfZero: boolean };

/** One answer from the scale, as it said it. */
export type ScaleReply = { kind: "weight"; grams: number } | { kind: "status"; status: ScaleStatus } | { kind: "unreadable"; text: string };

/** Why a weight could not be read: a code the till acts on. */
export type ScaleProblemCode = "motion" | "under_zero" | "over_capacity" | "zero_error" | "no_answer" | "not_connected" | "refused" | "unreadable";

/** A steady weight in grams, or why there is none, with a sentence for the cashier. */
export type ScaleReading = { ok: true; grams: number } | { ok: false; problem: ScaleProblemCode; message: string };

/**
 * The first whole answer in the bytes received so far, and how many bytes it used; null while it has not all arrived.
 * Bytes before an STX are noise and skipped; a new STX before the CR starts the answer again. The parity bit of a
 * 7E1 scale read as 8N1 is masked off.
 */
export function firstReply(bytes: Uint8Array): { reply: ScaleReply; used: number } | null {
  let start = -1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! & 0x7f;
    if (b === STX) start = i;
    else if (b === CR && start >= 0) {
      const body = Array.from(bytes.subarray(start + 1, i), (x) => x & 0x7f);
      return { reply: replyOf(body), used: i + 1 };
    }
  }
  return null;
}

function replyOf(body: number[]): ScaleReply {
  const text = String.fromCharCode(...body);
  if (body.length === 2 && body[0] === QUESTION && isStatusByte(body[1]!)) return { kind: "status", status: statusOf(body[1]!) };
  if (body.length === 1 && isStatusByte(body[0]!)) return { kind: "status", status: statusOf(body[0]!) };
  const grams = gramsOf(text);
  return grams === null ? { kind: "unreadable", text } : { kind: "weight", grams };
}

/** Bit 6 is always set in a status byte and never in a digit, a point or a space. */
const isStatusByte = (b: number) => (b & 0x40) !== 0;

function statusOf(b: number): ScaleStatus {
  return {
    motion: (b & 0x01) !== 0,
    overCapacity: (b & 0x02) !== 0,
    underZero: (b & 0x04) !== 0,
    outsideZeroRange: (b & 0x08) !== 0,
    centreOfZero: (b & 0x10) !== 0,
  };
}

/** "00.742" → 742; "0.74" → 740; leading spaces allowed; no decimal point, a sign or a unit: not a weight we can trust. */
function gramsOf(text: string): number | null {
  const m = /^ *(\d{1,6})\.(\d{1,4})$/.exec(text);
  if (!m) return null;
  const frac = m[2]!.padEnd(4, "0");
  // a fourth decimal (0.1 g) rounds half up to the gram
  return Number(m[1]) * 1000 + Number(frac.slice(0, 3)) + (Number(frac[3]) >= 5 ? 1 : 0);
}

const unreadable = (): ScaleReading => ({
  ok: false,
  problem: "unreadable",
  message: "The scale's answer could not be read: set it to the Toledo 8213 protocol (W polling) in kilograms.",
});

/** What an answer means at the till. A scale that says "centre of zero" instead of a weight has nothing on it: 0 g. */
export function readingOf(reply: ScaleReply): ScaleReading {
  switch (reply.kind) {
    case "weight":
      return { ok: true, grams: reply.grams };
    case "status": {
      const s = reply.status;
      if (s.overCapacity) return { ok: false, problem: "over_capacity", message: "The item is too heavy for the scale (over its capacity)." };
      if (s.underZero) return { ok: false, problem: "under_zero", message: "The scale reads below zero: take everything off it and zero it." };
      if (s.motion) return { ok: false, problem: "motion", message: "The weight is still moving: hold the item still on the scale." };
      if (s.outsideZeroRange) {
        return { ok: false, problem: "zero_error", message: "The scale cannot find its zero: empty it, switch it off and on again." };
      }
      if (s.centreOfZero) return { ok: true, grams: 0 };
      return unreadable();
    }
    case "unreadable":
      return unreadable();
    default: {
      const _exhaustive: never = reply;
      return _exhaustive;
    }
  }
}
