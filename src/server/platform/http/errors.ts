// The app's last word on errors: every known failure becomes a 4xx JSON body; anything else is logged, never shown.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { maskCardNumbers } from "../../../domain/kernel/card-data.ts";
import { SaleError } from "../../../domain/sale/sale.ts";
import { AppError, errorBody, fromSaleError } from "../errors.ts";

export function onError(err: Error, c: Context): Response {
  const e = err instanceof SaleError ? fromSaleError(err) : err;
  if (e instanceof AppError) return answer(c, e.status, e.code, e.message, e.details);
  if (e instanceof HTTPException) {
    if (e.status === 400 && /json/i.test(e.message)) return answer(c, 400, "malformed_json", "The request body is not valid JSON.");
    if (e.status === 413) return answer(c, 413, "body_too_large", "The request body is larger than 1 MB.");
    if (e.status < 500) return answer(c, e.status as 400, "bad_request", e.message || "The request was not understood.");
  }
  if (readOnlyDatabase(e)) {
    // the database failed its integrity check and now refuses every change (src/server/db/open.ts)
    return answer(
      c,
      503,
      "database_unusable",
      "The store database failed its integrity check, so nothing can be written. Nothing was saved; ask the manager to restore the last backup.",
    );
  }
  // logs never carry a card number, whatever the error held
  console.error(maskCardNumbers(`[${new Date().toISOString()}] ${c.req.method} ${c.req.path} failed: ${err.stack ?? String(err)}`));
  return answer(c, 500, "internal", "Something went wrong on the server; the request was not carried out. Try again.");
}

function readOnlyDatabase(e: Error): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_READONLY");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Programs get JSON; a browser gets the sentence as HTML: a fragment for htmx, a short page for a form. */
function answer(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: unknown): Response {
  const path = c.req.path;
  const wantsHtml = c.req.header("HX-Request") === "true" || (c.req.header("Accept") ?? "").includes("text/html");
  if (path.startsWith("/api/") || path === "/healthz" || path.startsWith("/sync/") || !wantsHtml) return c.json(errorBody(code, message, details), status);
  if (c.req.header("HX-Request") === "true")
    return c.html(`<p class="message error" role="alert" data-code="${escapeHtml(code)}">${escapeHtml(message)}</p>`, status);
  return c.html(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>ShopFlow</title><link rel="stylesheet" href="/static/register.css"></head>` +
      `<body class="people"><main class="card"><h1>That did not work</h1><p class="message error" role="alert" data-code="${escapeHtml(code)}">${escapeHtml(message)}</p>` +
      `<p><a class="button" href="/">Back</a></p></main></body></html>`,
    status,
  );
}
