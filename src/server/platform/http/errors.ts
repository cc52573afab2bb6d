// The app's last word on errors: every Problem becomes its status (problems.ts) with a JSON body, an htmx fragment or
// a whole page (drawn by the program: the store's and head office's look differ); anything else is logged, never shown.

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { Problem, type ProblemCode } from "../../../domain/kernel/problem.ts";
import { errorBody } from "../errors.ts";
import { type Logger, stderrLog } from "../log/log.ts";
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

/** The error handler of a program, drawing refusals for people with `page` and logging its own failures to `log`. */
export const errorHandler =
  (page: ErrorPage, log: Logger = stderrLog) =>
  (err: Error, c: Context): Promise<Response> => {
    const p = asProblem(err);
    if (p) return answer(c, page, log, p.code, p.message, p.details);
    // the logger masks card numbers, whatever the error held; the client is told nothing of it
    log.error("http.failed", { msg: `${c.req.method} ${c.req.path} failed: ${err.message}`, method: c.req.method, path: c.req.path, err });
    return answer(c, page, log, "internal", "Something went wrong on the server; the request was not carried out. Try again.");
  };

function readOnlyDatabase(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_READONLY");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Programs get JSON; a browser gets the sentence as HTML: a fragment for htmx, the program's page for a navigation. */
async function answer(c: Context, page: ErrorPage, log: Logger, code: ProblemCode, message: string, details?: unknown): Promise<Response> {
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
    log.error("http.error_page_failed", { msg: `the error page for ${code} failed`, code, err: e });
    return c.text(message, status);
  }
  return c.html(html, status);
}
