// Bearer-token authentication for the JSON API.

import type { MiddlewareHandler } from "hono";
import { Problem } from "../../domain/kernel/problem.ts";
import { findTextProblem, textProblem } from "../../domain/kernel/text.ts";
import { bearerSecret } from "../platform/auth/bearer.ts";

import type { TokenHolder, TokenScope } from "./tokens.ts";

export type ApiEnv = { Variables: { holder: TokenHolder } };

export const requireToken =
  (authenticate: (secret: string) => TokenHolder | null): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const secret = bearerSecret(c.req.header("Authorization"));
    if (!secret) {
      throw new Problem("token_required", "Send an API token as 'Authorization: Bearer <token>'. Create one with 'shopflow token create --name NAME'.");
    }
    const holder = authenticate(secret);
    if (!holder) throw new Problem("token_invalid", "This API token is unknown or revoked. Create a new one with 'shopflow token create'.");
    // reading needs "read"; anything that changes the store needs "sell" (sales) — "admin" covers both, and what a
    // part of the API changes beyond selling (products, stock) needs "admin" there (writesNeed)
    const needed = c.req.method === "GET" || c.req.method === "HEAD" ? "read" : "sell";
    if (!holder.scopes.includes(needed) && !holder.scopes.includes("admin")) {
      throw new Problem(
        "scope_missing",
        needed === "read"
          ? `This token may not read: it has the scopes ${holder.scopes.join(", ")}. Create one with --scopes read.`
          : `This token may only read: it has the scopes ${holder.scopes.join(", ")}. Create one with --scopes sell to sell, or admin to change products and stock.`,
      );
    }
    c.set("holder", holder);
    await next();
  };

/** The changes of one part of the API (products, stock) need `scope`: a selling token still reads there. */
export const writesNeed =
  (scope: TokenScope, what: string): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const holder = c.get("holder");
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && !holder.scopes.includes(scope)) {
      throw new Problem(
        "scope_missing",
        `This token may not change ${what}: it has the scopes ${holder.scopes.join(", ")}. Create one with --scopes ${scope}.`,
        { needed: scope },
      );
    }
    await next();
  };

/** POSTs must say they send JSON; anything else is refused before it is read. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "POST" || c.req.method === "PUT" || c.req.method === "PATCH") {
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      throw new Problem("unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'.");
    }
  }
  await next();
};

/** JSON keys whose values are product codes, which may pass a card number's check digit by chance. */
const codeKeys: ReadonlySet<string> = new Set(["barcode", "sku"]);
/** JSON keys whose values are lists of barcodes (a product's other barcodes): each a code as above. */
const codeListKeys: ReadonlySet<string> = new Set(["barcodes"]);

/**
 * The text gate for programs: every string of a JSON body (keys too) and the Idempotency-Key are checked before any
 * route reads them: no control or broken characters, and nothing that looks like a card number, barcodes and SKUs aside.
 * `ownId` passes a top-level id this store gave out (a sale's UUID can pass a card number's check by chance).
 */
export const gateJsonText =
  (ownId: (key: string, value: string) => boolean = () => false): MiddlewareHandler =>
  async (c, next) => {
    const key = c.req.header("Idempotency-Key");
    const keyProblem = key === undefined ? null : textProblem(key, "Idempotency-Key", { max: 255 });
    if (keyProblem) throw new Problem(keyProblem.code, keyProblem.message, { header: "Idempotency-Key" });
    if (c.req.method === "POST" || c.req.method === "PUT" || c.req.method === "PATCH") {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return next(); // the validator says what is wrong with it
      }
      const found = findTextProblem(withoutCodeLists(withoutOwnIds(body, ownId)), codeKeys);
      if (found) {
        const { code, message } = found.problem;
        const sentence =
          code === "card_data_refused"
            ? `${found.path} looks like a card number. ShopFlow keeps no card data: send only brand, last4, auth_code and terminal_ref.`
            : message;
        throw new Problem(code, sentence, { path: found.path });
      }
    }
    await next();
  };

/**
 * The body with the digits-only entries of its barcode lists left out: what the gate would check in them is the card
 * number look alone, which a barcode is spared under "barcode". Anything else in such a list is gated as text. Only
 * where a product sits in a request: the body itself, or each object of a list at its top (a bulk upsert's rows).
 */
function withoutCodeLists(body: unknown): unknown {
  const spare = (o: unknown): unknown => {
    if (!o || typeof o !== "object" || Array.isArray(o)) return o;
    const lists = Object.keys(o).filter((k) => codeListKeys.has(k) && Array.isArray((o as Record<string, unknown>)[k]));
    if (lists.length === 0) return o;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      const value = lists.includes(k) ? (v as unknown[]).filter((x) => !(typeof x === "string" && /^[0-9]{1,20}$/.test(x))) : v;
      // defineProperty, so that a key such as "__proto__" stays a key to gate
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  const top = spare(body);
  if (!top || typeof top !== "object" || Array.isArray(top)) return top;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(top)) {
    Object.defineProperty(out, k, { value: Array.isArray(v) ? v.map(spare) : v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function withoutOwnIds(body: unknown, ownId: (key: string, value: string) => boolean): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const kept = Object.entries(body).filter(([k, v]) => !(typeof v === "string" && v.length <= 64 && ownId(k, v)));
  return kept.length === Object.keys(body).length ? body : Object.fromEntries(kept);
}
