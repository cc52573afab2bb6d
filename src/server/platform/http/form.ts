// HTML form bodies, read once (Hono caches the parse, so the CSRF check and the route share it): text fields only,
// each through the text gate before any route sees it.

import type { Context } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";

/**
 * Fields whose digits are not checked for a card number: product codes, which can pass its check digit by chance (a
 * scan, a barcode, a SKU), and passwords, which are hashed and never kept as typed.
 */
export const CARD_LIKE_FIELDS: ReadonlySet<string> = new Set(["code", "barcode", "sku", "password"]);

/** The longest any one form field may be; routes set tighter limits field by field. */
export const MAX_FORM_FIELD = 10_000;

export async function readForm(c: Context): Promise<Record<string, string>> {
  const type = (c.req.header("Content-Type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return {};
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw new Problem("bad_form", "The form could not be read; reload the page and try again.");
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v !== "string") continue;
    const problem =
      textProblem(k, "A field name", { max: 100 }) ?? textProblem(v, fieldLabel(k), { max: MAX_FORM_FIELD, lines: true, cardLike: CARD_LIKE_FIELDS.has(k) });
    if (problem) throw new Problem(problem.code, problem.message, { field: k.slice(0, 100) });
    out[k] = v;
  }
  return out;
}

/** "manager_pin" → "Manager pin": the field as a person would name it, for the sentence. */
function fieldLabel(name: string): string {
  const words = name.replace(/^_+/, "").replace(/_/g, " ").slice(0, 60);
  return words ? `The field "${words}"` : "A field";
}
