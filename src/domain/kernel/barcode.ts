// Retail barcodes: GTIN check digits (EAN-8, UPC-A, EAN-13, GTIN-14), UPC-E expansion,
// and GS1 restricted-circulation codes that carry a price or a weight.

/** The GS1 mod-10 check digit for the digits that precede it. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

export function withCheckDigit(body: string): string {
  return body + String(gtinCheckDigit(body));
}

export function isValidGtin(code: string): boolean {
  if (!/^\d+$/.test(code) || ![8, 12, 13, 14].includes(code.length)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/** UPC-E (8 digits, number system 0 or 1) to its UPC-A form; null when it is not UPC-E. */
export function expandUpcE(code: string): string | null {
  if (!/^[01]\d{7}$/.test(code)) return null;
  const ns = code[0]!;
  const d = code.slice(1, 7);
  const check = code[7]!;
  const last = d[5]!;
  let body: string;
  if (last <= "2") body = `${ns + d.slice(0, 2) + last}0000${d.slice(2, 5)}`;
  else if (last === "3") body = `${ns + d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === "4") body = `${ns + d.slice(0, 4)}00000${d[4]}`;
  else body = `${ns + d.slice(0, 5)}0000${last}`;
  const upcA = body + check;
  return isValidGtin(upcA) ? upcA : null;
}

/** The forms under which a scanned code may be stored: as scanned, as EAN-13, and UPC-E expanded. */
export function lookupForms(code: string): string[] {
  const forms = new Set<string>([code]);
  if (/^\d{12}$/.test(code)) forms.add(`0${code}`);
  if (/^0\d{12}$/.test(code)) forms.add(code.slice(1));
  const upcA = code.length === 8 ? expandUpcE(code) : null;
  if (upcA) {
    forms.add(upcA);
    forms.add(`0${upcA}`);
  }
  return [...forms];
}

/**
 * A restricted-circulation pattern: EAN-13 codes starting with `prefix` carry an item code of `itemDigits`
 * digits and then a value of `valueDigits` digits (the remaining digits before the check digit; a price check digit,
 * if the shop's scales print one, sits in between and is ignored). `kind` says whether the value is a price in minor
 * units or a weight in grams.
 */
export type EmbeddedPattern = { prefix: string; kind: "price" | "weight"; itemDigits: number; valueDigits: number };

export const defaultEmbeddedPatterns: readonly EmbeddedPattern[] = [
  { prefix: "20", kind: "price", itemDigits: 5, valueDigits: 5 },
  { prefix: "21", kind: "price", itemDigits: 5, valueDigits: 5 },
  { prefix: "22", kind: "price", itemDigits: 5, valueDigits: 5 },
  { prefix: "23", kind: "weight", itemDigits: 5, valueDigits: 5 },
  { prefix: "24", kind: "weight", itemDigits: 5, valueDigits: 5 },
  { prefix: "25", kind: "weight", itemDigits: 5, valueDigits: 5 },
  { prefix: "02", kind: "price", itemDigits: 5, valueDigits: 5 },
];

export type EmbeddedCode = { baseCode: string; kind: "price" | "weight"; value: number };

/**
 * Read a price- or weight-embedded EAN-13. The base code is the same code with the value zeroed and a fresh check
 * digit: the product is stored under that code.
 */
export function readEmbedded(code: string, patterns: readonly EmbeddedPattern[]): EmbeddedCode | null {
  if (!/^\d{13}$/.test(code) || !isValidGtin(code)) return null;
  for (const p of patterns) {
    if (!code.startsWith(p.prefix)) continue;
    const head = p.prefix.length + p.itemDigits;
    const valueStart = 12 - p.valueDigits;
    if (valueStart < head) continue;
    const value = Number(code.slice(valueStart, 12));
    const baseCode = withCheckDigit(code.slice(0, head).padEnd(12, "0"));
    return { baseCode, kind: p.kind, value };
  }
  return null;
}

/** Make an embedded code for a base code and a value (what a label scale prints). */
export function makeEmbedded(baseCode: string, value: number, pattern: EmbeddedPattern): string {
  const head = baseCode.slice(0, pattern.prefix.length + pattern.itemDigits);
  const v = String(value).padStart(pattern.valueDigits, "0");
  return withCheckDigit(head.padEnd(12 - pattern.valueDigits, "0") + v);
}
