// What a closure counts, the same for the store that writes it and anyone who checks it: sales and returns from the
// journal's own entries (sale.completed and return.completed carry their totals), in minor units.
import { closureSignedText } from "../platform/journal-signature.ts";

export type Totals = { sales_count: number; sales_minor: number; returns_count: number; returns_minor: number };

export const noTotals = (): Totals => ({ sales_count: 0, sales_minor: 0, returns_count: 0, returns_minor: 0 });

export const CLOSURE_KINDS = ["closure.day", "closure.month", "closure.year"] as const;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];

/** A closure's content as it sits in the journal (data), its signature aside. */
export type ClosureBody = {
  period: string;
  from_seq: number;
  to_seq: number;
  totals: Totals;
  /** Everything since the store's first sale, this period included. */
  grand: Totals;
  /** The fingerprint of the key that signed it (keys.ts). */
  key: string;
};
export type ClosureData = ClosureBody & { sig: string };

export function isClosure(kind: string): kind is ClosureKind {
  return kind.startsWith("closure.");
}

/** What one entry adds to a period: a completed sale or return, by the total its data carries; anything else nothing. */
export function entryTotals(kind: string, data: string): Totals | null {
  if (kind !== "sale.completed" && kind !== "return.completed") return null;
  let total = 0;
  try {
    const t = (JSON.parse(data) as { total?: unknown }).total;
    total = typeof t === "number" && Number.isSafeInteger(t) ? t : 0;
  } catch {
    total = 0;
  }
  return kind === "sale.completed"
    ? { sales_count: 1, sales_minor: total, returns_count: 0, returns_minor: 0 }
    : { sales_count: 0, sales_minor: 0, returns_count: 1, returns_minor: total };
}

export function add(a: Totals, b: Totals): Totals {
  return {
    sales_count: a.sales_count + b.sales_count,
    sales_minor: a.sales_minor + b.sales_minor,
    returns_count: a.returns_count + b.returns_count,
    returns_minor: a.returns_minor + b.returns_minor,
  };
}

export function sameTotals(a: Totals, b: Totals): boolean {
  return a.sales_count === b.sales_count && a.sales_minor === b.sales_minor && a.returns_count === b.returns_count && a.returns_minor === b.returns_minor;
}

/** The text a closure's signature covers: the hash before it, its kind and period, and its content. */
export function signedText(prevHash: string, kind: string, ref: string, body: ClosureBody): string {
  return closureSignedText(prevHash, kind, ref, body);
}
