// The one gate for text people and programs give us, before it is kept anywhere (forms, the JSON API, CSV files,
// settings, head office's batches and catalog): bounded, no control characters, no broken Unicode that a database
// refuses, no text-direction overrides that make a receipt or a log read other than it is, and no card number in any
// spelling.
import { looksLikeCardNumber } from "./card-data.ts";

export type TextProblemCode = "text_too_long" | "control_character" | "unstorable_text" | "card_data_refused";
export type TextProblem = { code: TextProblemCode; message: string };

export type TextRule = {
  /** Longest allowed, in UTF-16 units (what a database column counts). */
  max?: number;
  /** Line breaks and tabs allowed (addresses, receipt texts); otherwise one line. */
  lines?: boolean;
  /**
   * A product code (barcode, SKU, scanned code), which can pass the Luhn check by chance: a bare run of digits is taken
   * as it is. Spelled with spaces, dashes or dots it is checked like any other text.
   */
  cardLike?: boolean;
};

export const DEFAULT_MAX_TEXT = 10_000;

// C0 controls, DEL and C1 controls; with `lines`, tab, line feed and carriage return are allowed.
const controls = /[\u0000-\u001f\u007f-\u009f]/;
const controlsBut = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// Bidirectional embeddings, overrides and isolates: they reorder what is shown without changing what is stored.
const directionOverrides = /[\u202a-\u202e\u2066-\u2069]/;

/** Whether SQLite and PostgreSQL keep the text as it is: no NUL, no unpaired surrogate. */
export function storableText(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}

/** What is wrong with a text, in a sentence about `what` ("The reason", "name"), or null when it may be kept. */
export function textProblem(text: string, what: string, rule: TextRule = {}): TextProblem | null {
  const max = rule.max ?? DEFAULT_MAX_TEXT;
  if (!storableText(text)) {
    return { code: "unstorable_text", message: `${what} holds a character that cannot be kept (a NUL or a broken character); type it again.` };
  }
  if ((rule.lines ? controlsBut : controls).test(text) || directionOverrides.test(text)) {
    return { code: "control_character", message: `${what} holds a control character; type it again as plain text${rule.lines ? "" : " on one line"}.` };
  }
  if (text.length > max) return { code: "text_too_long", message: `${what} is longer than ${max} characters.` };
  if (!(rule.cardLike && /^[0-9]+$/.test(text)) && looksLikeCardNumber(text)) {
    return { code: "card_data_refused", message: `${what} looks like a card number. ShopFlow keeps no card data: leave it out.` };
  }
  return null;
}

/** The first problem in any string (or key) of a JSON value, with its path; keys in `cardLike` may hold card-like digits. */
export function findTextProblem(value: unknown, cardLike: ReadonlySet<string>, max = DEFAULT_MAX_TEXT): { path: string; problem: TextProblem } | null {
  const stack: [unknown, string, boolean][] = [[value, "", false]];
  while (stack.length > 0) {
    const [v, path, digitsOk] = stack.pop()!;
    const where = path || "(body)";
    if (typeof v === "string") {
      const p = textProblem(v, where, { max, cardLike: digitsOk });
      if (p) return { path: where, problem: p };
    } else if (typeof v === "number") {
      if (!digitsOk && Number.isSafeInteger(v) && looksLikeCardNumber(String(v))) {
        return {
          path: where,
          problem: { code: "card_data_refused", message: `${where} looks like a card number. ShopFlow keeps no card data: leave it out.` },
        };
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`, digitsOk]);
    } else if (v && typeof v === "object") {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const at = path ? `${path}.${k}` : k;
        const keyProblem = textProblem(k, `The key ${at}`, { max: 200 });
        if (keyProblem) return { path: at, problem: keyProblem };
        // a product code is a string right under its key; anything nested there is checked like any other text
        stack.push([child, at, cardLike.has(k) && typeof child === "string"]);
      }
    }
  }
  return null;
}
