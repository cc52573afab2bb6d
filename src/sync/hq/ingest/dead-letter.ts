// What head office keeps of an item it cannot merge: the item as sent, for a person to see what went wrong, but never
// a card number (masked to its last four digits), never text PostgreSQL refuses, and at most 64 KB of its payload.
// Items come from outside: anything here works on values nested as deep as JSON can spell them.
import { maskCardNumbers } from "../../../domain/kernel/card-data.ts";

/** The most of an item's payload a dead letter keeps, in bytes of UTF-8; db/functions/hq_dead_letter_kept.sql holds the SQL side to it. */
export const DEAD_LETTER_KEEPS = 64 * 1024;

/**
 * The JSON text of a value JSON.parse made, as JSON.stringify writes it, but with a stack of its own: JSON.stringify
 * recurses and overflows on a value nested a hundred thousand deep, which a batch of 32 MB can hold.
 */
export function jsonText(value: unknown): string {
  const out: string[] = [];
  type Open = { entries: [string | null, unknown][]; i: number; close: string };
  const stack: Open[] = [];
  const write = (v: unknown) => {
    if (v === null || typeof v !== "object") {
      out.push(JSON.stringify(v) ?? "null");
    } else if (Array.isArray(v)) {
      out.push("[");
      stack.push({ entries: v.map((x) => [null, x]), i: 0, close: "]" });
    } else {
      out.push("{");
      stack.push({ entries: Object.entries(v).filter(([, x]) => x !== undefined), i: 0, close: "}" });
    }
  };
  write(value);
  while (stack.length > 0) {
    const top = stack.at(-1)!;
    if (top.i === top.entries.length) {
      out.push(top.close);
      stack.pop();
      continue;
    }
    const [key, v] = top.entries[top.i]!;
    if (top.i > 0) out.push(",");
    if (key !== null) out.push(`${JSON.stringify(key)}:`);
    top.i++;
    write(v);
  }
  return out.join("");
}

/**
 * JSON escapes written as the characters they stand for, where JSON allows them raw (not quotes, backslashes, control
 * characters or halves of a surrogate pair): a card number spelled "\u0034\u0031…" is then seen, and masked.
 */
function plainEscapes(text: string): string {
  if (!text.includes("\\u")) return text;
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|[^u])/g, (whole, hex: string | undefined) => {
    if (hex === undefined) return whole;
    const code = parseInt(hex, 16);
    return code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff) ? whole : String.fromCharCode(code);
  });
}

const digit = /\p{Nd}/u;
const letterLike = /[\p{L}\p{M}\p{No}\p{Nl}]/u;

/**
 * The first `maxBytes` bytes of a text, or a little less: a number the cut would split is left out whole, so that no
 * card number is cut in two and its first half kept unmasked. Characters are read as card-data.ts reads them (in their
 * compatibility form): digits, separators between them (at most three in a row), letters that end a number.
 */
function cutOutsideNumbers(text: string, maxBytes: number): string {
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(maxBytes));
  let keep = read;
  let separators = 0;
  for (let i = read; i > 0; ) {
    const width = i >= 2 && /[\uDC00-\uDFFF]/.test(text[i - 1]!) && /[\uD800-\uDBFF]/.test(text[i - 2]!) ? 2 : 1;
    const ch = text.slice(i - width, i).normalize("NFKC");
    if (digit.test(ch)) {
      separators = 0;
      keep = i - width;
    } else if (letterLike.test(ch) || ++separators > 3) {
      break;
    }
    i -= width;
  }
  return text.slice(0, keep);
}

/** Text PostgreSQL keeps as it is: a NUL becomes U+FFFD, an unpaired surrogate too. */
const storable = (s: string) => s.replaceAll("\u0000", "\uFFFD").toWellFormed();

/** A value as the text head office keeps of it: JSON text unless it is a string, card numbers masked, storable. */
export function keptText(value: unknown, maxBytes: number): { text: string; bytes: number; cut: boolean } {
  const whole = plainEscapes(typeof value === "string" ? value : jsonText(value ?? null));
  const bytes = Buffer.byteLength(whole);
  const cut = bytes > maxBytes;
  let text = storable(maskCardNumbers(cut ? cutOutsideNumbers(whole, maxBytes) : whole));
  // masking writes a text in its compatibility form (NFKC), which can be longer: held to the limit again
  if (Buffer.byteLength(text) > maxBytes) text = new TextDecoder().decode(new TextEncoder().encode(text).subarray(0, maxBytes)).replace(/\uFFFD$/, "");
  return { text, bytes, cut };
}

/** Short text of an item (its ref, kind or the reason it was refused): masked, storable, at most `max` characters. */
export function keptLabel(value: unknown, max = 200): string {
  return keptText(value, max * 4)
    .text.slice(0, max)
    .toWellFormed();
}

/** The sentence a dead letter carries when its payload was cut; db/functions/hq_dead_letter_kept.sql writes the same one. */
export const cutSentence = (kept: number, whole: number) =>
  `head office kept the first ${kept.toLocaleString("en")} of ${whole.toLocaleString("en")} bytes of this payload`;

export type SentItem = { seq: number; kind?: unknown; ref?: unknown; hash?: unknown; payload?: unknown };

/**
 * What a dead letter keeps of an item as sent: each part masked and storable, the payload at most DEAD_LETTER_KEEPS
 * bytes. `hash` is the payload's own hash: the one the item claims is kept as it is when it is that one (a digest, not
 * data), masked like any other text when it is not.
 */
export function deadLetterBody(item: SentItem, hash: string): Record<string, unknown> {
  const label = (v: unknown) => (v === undefined ? null : keptLabel(v));
  const payload = item.payload === undefined ? null : keptText(item.payload, DEAD_LETTER_KEEPS);
  const cut = payload?.cut ? { cut: cutSentence(Buffer.byteLength(payload.text), payload.bytes) } : {};
  // keys in jsonb's order (shorter first, then by bytes)
  return {
    ...cut,
    ref: label(item.ref),
    seq: item.seq,
    hash: item.hash === hash ? hash : label(item.hash),
    kind: label(item.kind),
    payload: payload?.text ?? null,
  };
}
