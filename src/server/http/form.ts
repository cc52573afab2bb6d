// HTML form bodies, read once (Hono caches the parse, so the CSRF check and the route share it): text fields only.
import type { Context } from "hono";
import { AppError } from "../errors.ts";

export async function readForm(c: Context): Promise<Record<string, string>> {
  const type = (c.req.header("Content-Type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return {};
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw new AppError(400, "bad_form", "The form could not be read; reload the page and try again.");
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v !== "string") continue;
    // databases refuse these (PostgreSQL any NUL, both any lone surrogate): a clear refusal here, never a failure later
    if (!storableText(k) || !storableText(v)) {
      throw new AppError(400, "unstorable_text", "A field holds a character that cannot be kept (a NUL or a broken character); type it again.");
    }
    out[k] = v;
  }
  return out;
}

/** Text SQLite and PostgreSQL keep as it is: no NUL character, no unpaired surrogate. */
export function storableText(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}
