// What the dead-letter pages and API read from a request (a dead letter's number, the list's filter), and a payload
// as a person is shown it: one reading for both.
import type { Context } from "hono";
import { maskCardNumbers } from "../../../domain/kernel/card-data.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import { jsonText } from "../ingest/dead-letter.ts";
import { isDeadLetterStatus, isStoreId } from "./dead-letters.ts";

/** A dead letter's number from the path, or the same refusal as for one that does not exist. */
export function deadLetterId(param: string): number {
  if (!/^[1-9]\d{0,14}$/.test(param)) throw new Problem("dead_letter_not_found", "Head office has no dead letter by that number.");
  return Number(param);
}

/** The filter as the query asks for it: a store's id (or all stores) and a status (open unless asked). */
export function filterOf(c: Context) {
  const store = c.req.query("store") || null;
  if (store !== null && !isStoreId(store)) throw new Problem("invalid_input", "store must be a store's id, as the dead-letter page lists them.");
  const status = c.req.query("status") || "open";
  if (!isDeadLetterStatus(status)) throw new Problem("invalid_input", "status is open, replayed, discarded or all.");
  return { storeId: store?.toLowerCase() ?? null, status };
}

/**
 * The payload as a person reads it: pretty-printed when it is JSON head office can read back (not when it was cut or
 * is nested beyond what JSON.stringify follows), as kept otherwise; card numbers masked again, however it was kept.
 */
export function shownPayload(payload: unknown): string | null {
  if (payload === null || payload === undefined) return null;
  const text = typeof payload === "string" ? payload : jsonText(payload);
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON, cut, or too deep to print: shown as it was kept
  }
  return maskCardNumbers(pretty);
}
