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
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}
