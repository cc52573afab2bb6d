// Head office's log line for every refused request (4xx), from a store, a program or a person: what was refused (method
// and path, never the query or the body), who asked (the store or the person, when known), the code and the sentence
// they were told. Never a secret: no header, cookie, token or form value is logged, and card numbers are masked in
// whatever a sentence quotes.
import type { Context, MiddlewareHandler } from "hono";
import { maskCardNumbers } from "../../../domain/kernel/card-data.ts";
import { asProblem } from "../../../server/platform/http/errors.ts";
import { type Logger, stderrLog } from "../../../server/platform/log/log.ts";
import { printable } from "../../../server/platform/log-text.ts";

export type Refusal = { status: number; code: string; reason: string };

const MAX_REASON = 500;
// sentences a page shows beside refused fields or as its alert: hono/jsx writes them as plain text inside these tags
const sentence = /<(?:small|p)\b[^>]*\b(?:class="field-error"|role="alert")[^>]*>([^<]{1,600})</g;

const decoded = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The code and sentence of a refusal: the problem thrown, the JSON error a route answered, or a refused form's sentences. */
export async function refusalOf(c: Context): Promise<Refusal> {
  const status = c.res.status;
  const p = c.error ? asProblem(c.error) : null;
  if (p) return { status, code: p.code, reason: p.message };
  const type = c.res.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    const body = (await c.res
      .clone()
      .json()
      .catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null;
    if (typeof body?.error?.code === "string") return { status, code: body.error.code, reason: String(body.error.message ?? "") };
  }
  if (type.includes("html")) {
    const html = await c.res
      .clone()
      .text()
      .catch(() => "");
    const code = /data-code="([a-z_]{1,60})"/.exec(html)?.[1] ?? "form_refused";
    const said = [...html.matchAll(sentence)].map((m) => decoded(m[1]!.trim())).filter(Boolean);
    return { status, code, reason: said.join(" ") || `answered ${status}` };
  }
  return { status, code: `http_${status}`, reason: `answered ${status}` };
}

/**
 * A route that answers a refusal itself (a form shown again with its sentence) says which problem it was, so the log
 * line has its code: kept where the error handler keeps a thrown one.
 */
export function noteRefusal(c: Context, e: unknown): void {
  if (e instanceof Error && asProblem(e)) c.error = e;
}

/** The log line of a refusal: one line, its sentence cut and with card numbers masked. */
export function refusalLine(c: Context, r: Refusal): string {
  const storeId = (c.get("storeId") as string | undefined) ?? null;
  const user = (c.get("user") as { name: string } | null | undefined) ?? null;
  const who = storeId ? ` store ${storeId}` : user ? ` by ${JSON.stringify(user.name)}` : "";
  const reason = r.reason.replace(/\s+/g, " ").slice(0, MAX_REASON);
  return maskCardNumbers(`hq: refused ${c.req.method} ${printable(c.req.path.slice(0, 200))}${who}: ${r.status} ${r.code} — ${printable(reason)}`);
}

/** Refusals logged one by one in a minute; past it they are counted, so a flood cannot rotate the log's history away. */
export const REFUSALS_LOGGED_PER_MINUTE = 300;

/**
 * Log every refused request as it is answered (head office's own failures, 5xx, are logged by the error handler): to
 * head office's logger as event "hq.refused" with its facts, or, where a test asks, its line to `lines`. At most
 * REFUSALS_LOGGED_PER_MINUTE a minute: past them one line says a flood began, and the first refusal after the minute says
 * how many were counted.
 */
export const logRefusals = (log: Logger = stderrLog, lines?: (line: string) => void): MiddlewareHandler => {
  let minuteStarted = performance.now();
  let logged = 0;
  let counted = 0;
  /** Whether this refusal gets its own line. */
  const room = (): boolean => {
    if (performance.now() - minuteStarted >= 60_000) {
      if (counted > 0) log.warn("hq.refusals_counted", { msg: `${counted} more refused requests in a minute were counted, not logged`, count: counted });
      minuteStarted = performance.now();
      logged = 0;
      counted = 0;
    }
    if (logged < REFUSALS_LOGGED_PER_MINUTE) {
      logged++;
      return true;
    }
    if (counted++ === 0)
      log.warn("hq.refusals_flood", { msg: `more than ${REFUSALS_LOGGED_PER_MINUTE} refused requests in a minute: the rest are counted, not logged` });
    return false;
  };
  return async (c, next) => {
    await next();
    if (c.res.status < 400 || c.res.status >= 500) return;
    try {
      const r = await refusalOf(c);
      const line = refusalLine(c, r);
      if (lines) lines(line);
      else if (room())
        log.warn("hq.refused", {
          msg: line,
          method: c.req.method,
          path: c.req.path.slice(0, 200),
          status: r.status,
          code: r.code,
          store: c.get("storeId") ?? null,
        });
    } catch {
      // a log line is never worth failing the answer
    }
  };
};
