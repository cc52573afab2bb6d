// The app's last word on errors: every Problem becomes its status (problems.ts) with a JSON body, an htmx fragment or
// a whole page (drawn by the program: the store's and head office's look differ); anything else is logged, never shown.

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { maskCardNumbers } from "../../../domain/kernel/card-data.ts";
import { Problem, type ProblemCode } from "../../../domain/kernel/problem.ts";
import { errorBody } from "../errors.ts";
import { printable } from "../log-text.ts";
import { statusOf } from "./problems.ts";

/** What went wrong, as the Problem a person or program is told about; null when it is a fault of ours. */
export function asProblem(err: unknown): Problem | null {
  if (err instanceof Problem) return err;
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) return new Problem("malformed_json", "The request body is not valid JSON.");
    if (err.status === 413) return new Problem("body_too_large", "The request body is too large.");
    if (err.status < 500) return new Problem("bad_request", err.message || "The request was not understood.");
  }
  if (readOnlyDatabase(err)) {
    // the database failed its integrity check and now refuses every change (src/server/db/open.ts)
    return new Problem(
      "database_unusable",
      "The store database failed its integrity check, so nothing can be written. Nothing was saved; ask the manager to restore the last backup.",
    );
  }
  return null;
}

/** A whole page for a browser that navigated and was refused (or found nothing): its HTML, in the program's look. */
export type ErrorPage = (c: Context, refusal: { code: ProblemCode; message: string }) => string | Promise<string>;

/** The error handler of a program, drawing refusals for people with `page`. */
export const errorHandler =
  (page: ErrorPage) =>
  (err: Error, c: Context): Promise<Response> => {
    const p = asProblem(err);
    if (p) return answer(c, page, p.code, p.message, p.details);
    // logs never carry a card number, whatever the error held
    console.error(maskCardNumbers(`[${new Date().toISOString()}] ${c.req.method} ${printable(c.req.path)} failed: ${err.stack ?? String(err)}`));
    return answer(c, page, "internal", "Something went wrong on the server; the request was not carried out. Try again.");
  };

function readOnlyDatabase(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_READONLY");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Programs get JSON; a browser gets the sentence as HTML: a fragment for htmx, the program's page for a navigation. */
async function answer(c: Context, page: ErrorPage, code: ProblemCode, message: string, details?: unknown): Promise<Response> {
  const status = statusOf[code];
  const path = c.req.path;
  const wantsHtml = c.req.header("HX-Request") === "true" || (c.req.header("Accept") ?? "").includes("text/html");
  if (path.startsWith("/api/") || path === "/healthz" || path.startsWith("/sync/") || !wantsHtml) return c.json(errorBody(code, message, details), status);
  if (c.req.header("HX-Request") === "true")
    return c.html(`<p class="message error" role="alert" data-code="${escapeHtml(code)}">${escapeHtml(message)}</p>`, status);
  let html: string;
  try {
    html = await page(c, { code, message });
  } catch (e) {
    // the page itself failed: the sentence still reaches the person, plainly
    console.error(`[${new Date().toISOString()}] the error page for ${code} failed: ${(e as Error).stack ?? String(e)}`);
    return c.text(message, status);
  }
  return c.html(html, status);
}
