// HTML form bodies, read once (Hono caches the parse, so the CSRF check and the route share it): text fields only,
// each through the text gate before any route sees it.

import type { Context } from "hono";
import { z } from "zod";
import { Problem, type ProblemCode } from "../../../domain/kernel/problem.ts";
import { type TextProblem, textProblem } from "../../../domain/kernel/text.ts";

/**
 * Fields whose digits are not checked for a card number: product codes, which can pass its check digit by chance (a
 * scan, a barcode, a SKU), and passwords, which are hashed and never kept as typed.
 */
export const CARD_LIKE_FIELDS: ReadonlySet<string> = new Set(["code", "barcode", "sku", "password"]);

/**
 * One id of ours, whole (a sale's, a store's: 8-4-4-4-12 hexadecimal): its digits run together can pass a card number's
 * check digit by chance (about one sale id in fifty-five), and it is no card number.
 */
const OUR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Fields that carry back a digest our page wrote (the draft release's fingerprint, 32 hexadecimal digits): its digits can
 * pass a card number's check by chance, and it is only compared, never kept. Only a value of hexadecimal digits alone is
 * let through; anything else in such a field goes through the gate as any text.
 */
const DIGEST_FIELDS: ReadonlySet<string> = new Set(["fingerprint"]);
const DIGEST = /^[0-9a-f]{16,64}$/;

/** Fields that list product codes one per line (a product's other barcodes): each line is read as a code field is. */
export const CODE_LIST_FIELDS: ReadonlySet<string> = new Set(["barcodes"]);

/**
 * Fields that list product codes with a few words each, a line an item (a delivery: "4006381333931 x12 @0.80"): a
 * line's first word, when digits alone, is read as a code field is, the rest as any text; a longer field, for a few
 * thousand lines.
 */
export const CODE_TABLE_FIELDS: ReadonlySet<string> = new Set(["items"]);
/** A supplier's delivery note or a shelf count of 10,000 lines or so (the pages' 1 MB body limit for these lists). */
const MAX_CODE_TABLE = 400_000;

/** The longest any one form field may be; routes set tighter limits field by field. */
export const MAX_FORM_FIELD = 10_000;

/**
 * The form's text fields, each through the text gate. A field sent twice is refused (400 bad_form) rather than read
 * as its last value: no page of ours repeats a name (radios send one, checkboxes have names of their own), so two
 * values mean a tampered or garbled form, and which one a route would have kept is not for it to guess. Every name is
 * checked for that before any value is read, so a refusal of a value never hides a repeated field. Names ending in
 * "[]" and files are not text fields and are left out, as before.
 */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const type = (c.req.header("Content-Type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return {};
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    throw new Problem("bad_form", "The form could not be read; reload the page and try again.");
  }
  const fields = Object.entries(body).filter(([k]) => !k.endsWith("[]"));
  for (const [k, v] of fields) {
    const problem = textProblem(k, "A field name", { max: 100 });
    if (problem) throw new Problem(problem.code, problem.message, { field: k.slice(0, 100) });
    if (Array.isArray(v)) throw new Problem("bad_form", `The form sent ${k} twice; reload the page and try again.`, { field: k, repeated: true });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of fields) {
    if (typeof v !== "string") continue;
    const problem = formFieldProblem(k, v);
    if (problem) throw new Problem(problem.code, problem.message, { field: k.slice(0, 100) });
    out[k] = v;
  }
  return out;
}

/** The text gate as readForm applies it to the field `name`; `what` names the field in the sentence. */
export function formFieldProblem(name: string, value: string, what = fieldLabel(name)): TextProblem | null {
  if (CODE_TABLE_FIELDS.has(name)) return codeTableProblem(value, what);
  return CODE_LIST_FIELDS.has(name)
    ? codeListProblem(value, what)
    : OUR_ID.test(value) || (DIGEST_FIELDS.has(name) && DIGEST.test(value))
      ? null // hexadecimal (and dashes): nothing else the gate looks for can be in it
      : textProblem(value, what, { max: MAX_FORM_FIELD, lines: true, cardLike: CARD_LIKE_FIELDS.has(name) });
}

/**
 * Codes one per line: each line through the gate as a code field's value (a bare run of digits is a code; spelled with
 * spaces or dashes it is checked for a card number like any text), so two barcodes on two lines are not read as one
 * long number.
 */
function codeListProblem(text: string, what: string): TextProblem | null {
  if (text.length > MAX_FORM_FIELD) return textProblem(text, what, { max: MAX_FORM_FIELD });
  for (const line of text.split(/\r\n|\r|\n/)) {
    const problem = textProblem(line, what, { max: MAX_FORM_FIELD, cardLike: true });
    if (problem) return problem;
  }
  return null;
}

function codeTableProblem(text: string, what: string): TextProblem | null {
  if (text.length > MAX_CODE_TABLE) return textProblem(text, what, { max: MAX_CODE_TABLE, lines: true });
  for (const line of text.split(/\r\n|\r|\n/)) {
    // the line's code (its first word, when digits alone) may pass a card number's check by chance; the rest of the
    // line, and a line that starts otherwise, go through the gate as any text
    const m = /^\s*(\d+)([\s,;\t].*)?$/.exec(line);
    const problem = m ? textProblem(m[2] ?? "", what, { max: MAX_CODE_TABLE }) : textProblem(line, what, { max: MAX_CODE_TABLE });
    if (problem) return problem;
  }
  return null;
}

/** "manager_pin" → "Manager pin": the field as a person would name it, for the sentence. */
function fieldLabel(name: string): string {
  const words = name.replace(/^_+/, "").replace(/_/g, " ").slice(0, 60);
  return words ? `The field "${words}"` : "A field";
}

/**
 * A form read through the text gate, then checked by a zod schema: its data, or a Problem with the first field's
 * sentence. A custom issue may name its own code (`params: { code }`); otherwise it is invalid_input.
 */
export async function validForm<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const r = schema.safeParse(await readForm(c));
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const code = (issue as { params?: { code?: ProblemCode } } | undefined)?.params?.code ?? "invalid_input";
  throw new Problem(code, issue?.message ?? "That input is not valid.", { field: issue?.path.map(String).join(".") });
}

/** A field that must say something: trimmed, 1 to `max` characters, `message` when not. */
export const saying = (max: number, message: string, code: ProblemCode = "invalid_input") =>
  z
    .string({ error: message })
    .trim()
    .refine((v) => v.length >= 1 && v.length <= max, { error: message, params: { code } });

/** Inside a zod refinement or transform: refuse the value with this code and sentence (validForm answers with them). */
export function refuse(ctx: z.core.$RefinementCtx, code: ProblemCode, message: string, path?: string[]): never {
  ctx.addIssue({ code: "custom", message, params: { code }, ...(path ? { path } : {}) });
  return z.NEVER;
}
