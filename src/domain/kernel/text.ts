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

// Printable ASCII on one line: storable, no control character, no direction override. Most text is; it skips those checks.
const printableAscii = /^[\u0020-\u007e]*$/;

/** What is wrong with a text, in a sentence about `what` ("The reason", "name"), or null when it may be kept. */
export function textProblem(text: string, what: string, rule: TextRule = {}): TextProblem | null {
  const max = rule.max ?? DEFAULT_MAX_TEXT;
  if (printableAscii.test(text)) return text.length > max ? tooLong(what, max) : cardProblem(text, what, rule);
  if (!storableText(text)) {
    return { code: "unstorable_text", message: `${what} holds a character that cannot be kept (a NUL or a broken character); type it again.` };
  }
  if ((rule.lines ? controlsBut : controls).test(text) || directionOverrides.test(text)) {
    return { code: "control_character", message: `${what} holds a control character; type it again as plain text${rule.lines ? "" : " on one line"}.` };
  }
  if (text.length > max) return tooLong(what, max);
  return cardProblem(text, what, rule);
}

function tooLong(what: string, max: number): TextProblem {
  return { code: "text_too_long", message: `${what} is longer than ${max} characters.` };
}

function cardProblem(text: string, what: string, rule: TextRule): TextProblem | null {
  if (!(rule.cardLike && /^[0-9]+$/.test(text)) && looksLikeCardNumber(text)) {
    return { code: "card_data_refused", message: `${what} looks like a card number. ShopFlow keeps no card data: leave it out.` };
  }
  return null;
}

/** The first problem in any string (or key) of a JSON value, with its path; keys in `cardLike` may hold card-like digits. */
export function findTextProblem(value: unknown, cardLike: ReadonlySet<string>, max = DEFAULT_MAX_TEXT): { path: string; problem: TextProblem } | null {
  // paths are spelled out only for the value found wrong: a document of a thousand strings builds none of them
  type At = { parent: At | null; key: string | number } | null;
  const spell = (at: At): string => {
    let s = "";
    for (let a = at; a; a = a.parent) s = typeof a.key === "number" ? `[${a.key}]${s}` : a.parent ? `.${a.key}${s}` : `${a.key}${s}`;
    return s;
  };
  const keyRule: TextRule = { max: 200 };
  const textRule: TextRule = { max };
  const codeRule: TextRule = { max, cardLike: true };
  const stack: [unknown, At, boolean][] = [[value, null, false]];
  while (stack.length > 0) {
    const [v, at, digitsOk] = stack.pop()!;
    if (typeof v === "string") {
      if (textProblem(v, "", digitsOk ? codeRule : textRule)) {
        const where = spell(at) || "(body)";
        return { path: where, problem: textProblem(v, where, digitsOk ? codeRule : textRule)! };
      }
    } else if (typeof v === "number") {
      if (!digitsOk && Number.isSafeInteger(v) && looksLikeCardNumber(String(v))) {
        const where = spell(at) || "(body)";
        return {
          path: where,
          problem: { code: "card_data_refused", message: `${where} looks like a card number. ShopFlow keeps no card data: leave it out.` },
        };
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], { parent: at, key: i }, digitsOk]);
    } else if (v && typeof v === "object") {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const child = (v as Record<string, unknown>)[k];
        const here = { parent: at, key: k };
        if (textProblem(k, "", keyRule)) {
          const where = spell(here);
          return { path: where, problem: textProblem(k, `The key ${where}`, keyRule)! };
        }
        // a product code is a string right under its key; anything nested there is checked like any other text
        stack.push([child, here, cardLike.has(k) && typeof child === "string"]);
      }
    }
  }
  return null;
}
