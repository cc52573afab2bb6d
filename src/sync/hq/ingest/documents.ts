// Reading the document an outbox item carries, for any kind: JSON that PostgreSQL's jsonb takes, checked by the
// contract's schema of its kind (sync/contracts.ts). Pure: whatever PostgreSQL would refuse mid-transaction (bad dates,
// NUL characters, lone surrogates, numbers out of range) is caught here, so a bad item becomes a dead letter instead of
// blocking the store's queue. And whatever head office must never hold: a card number, in any field and any spelling.
import type { z } from "zod";
import { findTextProblem } from "../../../domain/kernel/text.ts";
import { issuePath } from "../../contracts.ts";

/** An item head office can merge (its ref, business date and document as JSON text), or why not. */
export type ItemCheck = { ok: true; ref: string; businessDate: string; doc: string } | { ok: false; reason: string };

const MAX_DEPTH = 32;

/** Text PostgreSQL's text and jsonb refuse: a NUL character or an unpaired surrogate. */
const badText = (s: string) => s.includes("\u0000") || !s.isWellFormed();

/**
 * Whether JSON text can hold a string PostgreSQL refuses. JSON.parse takes no raw control character inside a string,
 * so a NUL comes only from a \u0000 escape, and an unpaired surrogate from a \uD800-\uDFFF escape or a lone one in
 * the text itself. Most payloads have neither, and their strings need no look one by one.
 */
const mayHoldBadText = (json: string) => /\\u(?:0000|[dD][89a-fA-F])/.test(json) || !json.isWellFormed();

/**
 * What PostgreSQL's text and jsonb would refuse: NUL characters, unpaired surrogates (when `texts` says to look),
 * nesting deeper than its parser goes, numbers JSON cannot write back; and a key the document could not be written
 * again with. Returns the path of the first problem (outermost key first) and what it is, or null. Paths are built
 * only for a problem found: most documents have none.
 */
function unstorable(value: unknown, texts: boolean, depth = 0): { path: (string | number)[]; problem: string } | null {
  if (typeof value === "string") {
    return texts && badText(value) ? { path: [], problem: "text with a NUL character or an unpaired surrogate" } : null;
  }
  // 1e400 parses to Infinity, which JSON.stringify would turn into null: refused rather than changed.
  if (typeof value === "number") return Number.isFinite(value) ? null : { path: [], problem: "number out of range" };
  if (value === null || typeof value !== "object") return null;
  if (depth >= MAX_DEPTH) return { path: [], problem: `nested more than ${MAX_DEPTH} deep` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = unstorable(value[i], texts, depth + 1);
      if (p) {
        p.path.unshift(i);
        return p;
      }
    }
    return null;
  }
  for (const k in value) {
    if (texts && badText(k)) return { path: [], problem: "text with a NUL character or an unpaired surrogate" };
    // JSON.parse makes it an ordinary key, but copying it into another object would set that object's prototype
    if (k === "__proto__") return { path: [], problem: "a key named __proto__" };
    const p = unstorable((value as Record<string, unknown>)[k], texts, depth + 1);
    if (p) {
      p.path.unshift(k);
      return p;
    }
  }
  return null;
}

export type Read<T> = { ok: true; data: T; doc: string } | { ok: false; reason: string };

/** Keys whose values are product codes, which can pass a card number's check digit by chance: not card data. */
const CODE_KEYS: ReadonlySet<string> = new Set(["barcode", "sku"]);

/**
 * Where a document holds text the store's gate would have refused — a card number (a product code aside, as a bare run
 * of digits), a control character, a text-direction override — and what, or null.
 * `identifiers` are top-level keys the schema has checked to be ids of a fixed form (a sale's uuid): random hex that
 * can pass the Luhn check by chance, and no place to write a card number.
 */
function gateProblem(doc: unknown, identifiers: readonly string[]): { path: string; card: boolean; what: string } | null {
  let look = doc;
  if (identifiers.length > 0 && doc !== null && typeof doc === "object" && !Array.isArray(doc)) {
    look = Object.fromEntries(Object.entries(doc).filter(([k]) => !identifiers.includes(k)));
  }
  const found = findTextProblem(look, CODE_KEYS, 100_000);
  if (!found) return null;
  const path = found.path === "(body)" ? "(payload)" : found.path;
  return { path, card: found.problem.code === "card_data_refused", what: found.problem.code.replaceAll("_", " ") };
}

/**
 * Parse a payload and check it against `schema`. `doc` is the document written again by JSON.stringify from what the
 * schema read: PostgreSQL parses that text, so numbers such as 5.0 that jsonb would keep in a form bigint refuses never
 * reach it. Schemas are the contract's acceptedPayloads: loose objects (keys they do not know are kept) whose keys are
 * declared in jsonb's order, shorter first, then bytewise: zod writes its output in that order, and PostgreSQL, which
 * sorts the keys of every object it parses, then finds them sorted already (otherwise about a third of the time it
 * takes to parse a sale).
 * A document that holds a card number is refused whatever else it holds; `identifiers`: see cardNumberIn.
 */
export function readDocument<S extends z.ZodType>(payload: string, schema: S, what: string, identifiers: readonly string[] = []): Read<z.output<S>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { ok: false, reason: "payload is not valid JSON" };
  }
  const bad = unstorable(parsed, mayHoldBadText(payload));
  if (bad) return { ok: false, reason: `${issuePath(bad.path)}: ${bad.problem}` };
  const r = schema.safeParse(parsed);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { ok: false, reason: `not ${what}: ${issuePath(issue.path)}: ${issue.message}` };
  }
  const gate = gateProblem(parsed, identifiers);
  if (gate?.card) return { ok: false, reason: `${gate.path} looks like a card number: head office keeps no card data, so this item was not merged` };
  if (gate) return { ok: false, reason: `${gate.path}: refused by the text gate (${gate.what})` };
  return { ok: true, data: r.data, doc: JSON.stringify(r.data) };
}
