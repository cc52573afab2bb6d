// POST/GET /api/v1/sales: complete a sale in one call, read sales back.

import { Hono } from "hono";
import { z } from "zod";
import { businessDate } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Shop } from "../compose.ts";
import { sha256Hex } from "../platform/auth/secrets.ts";
import { valid } from "../platform/http/validate.ts";
import type { ApiEnv } from "./auth.ts";
import { decodeCursor, encodeCursor, limitParam, parsePeriod } from "./params.ts";

const text = (max: number) => z.string().trim().min(1).max(max);

const lineSchema = z.strictObject({
  barcode: text(64).optional(),
  sku: text(64).optional(),
  product_id: z.number().int().positive().optional(),
  qty: z.number().finite().optional(),
});

// Only what a card terminal may tell us; a strict object refuses card numbers and anything else.
const cardSchema = z.strictObject({
  brand: text(32).optional(),
  last4: z
    .string()
    .regex(/^\d{4}$/, "last4 is the last four digits of the card")
    .optional(),
  auth_code: text(32).optional(),
  terminal_ref: text(64).optional(),
});

const paymentSchema = z.strictObject({
  method: text(32),
  amount: z.number().int("amount is in minor units (cents): a whole number"),
  card: cardSchema.optional(),
});

export const saleRequestSchema = z.strictObject({
  lines: z.array(lineSchema).min(1, "a sale needs at least one line").max(500),
  payments: z.array(paymentSchema).min(1, "a sale needs at least one payment").max(20),
});

const idempotencyKey = /^[\x21-\x7e]{1,255}$/;

export function saleRoutes(store: Shop) {
  const findKey = store.db.query<{ request_hash: string; sale_id: string }, [number, string]>(
    "SELECT request_hash, sale_id FROM idempotency_keys WHERE token_id = ? AND key = ?",
  );
  const saveKey = store.db.query("INSERT INTO idempotency_keys(token_id, key, request_hash, sale_id, created_at) VALUES (?, ?, ?, ?, ?)");

  return new Hono<ApiEnv>()
    .post("/", valid("json", saleRequestSchema), (c) => {
      const body = c.req.valid("json");
      const holder = c.get("holder");
      const key = c.req.header("Idempotency-Key");
      if (key !== undefined && !idempotencyKey.test(key)) {
        throw new Problem("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
      }
      const requestHash = sha256Hex(JSON.stringify(body));
      const replay = () => {
        const seen = key === undefined ? null : findKey.get(holder.tokenId, key);
        if (!seen) return null;
        if (seen.request_hash !== requestHash) {
          throw new Problem("idempotency_key_reused", "This Idempotency-Key was used for a different sale; use a new key for a new sale.");
        }
        c.header("Idempotent-Replayed", "true");
        return c.json({ ...store.checkout.document(seen.sale_id), warnings: [] }, 201);
      };
      const earlier = replay();
      if (earlier) return earlier;
      const payments = body.payments.map((p) => ({
        method: p.method as "cash",
        amount: p.amount,
        ...(p.card ? { card: { brand: p.card.brand, last4: p.card.last4, authCode: p.card.auth_code, terminalRef: p.card.terminal_ref } } : {}),
      }));
      try {
        const result = store.checkout.sell(holder.registerId, body.lines, payments, (saleId) => {
          if (key !== undefined) saveKey.run(holder.tokenId, key, requestHash, saleId, store.clock.now().toISOString());
        });
        return c.json({ ...result.sale, warnings: result.warnings }, 201);
      } catch (e) {
        // Two requests with one key at once: the second loses the insert race and answers as a replay.
        if (key !== undefined && e instanceof Error && /UNIQUE constraint failed: idempotency_keys/.test(e.message)) {
          const again = replay();
          if (again) return again;
        }
        throw e;
      }
    })
    .get("/", valid("query", z.object({ from: z.string().optional(), to: z.string().optional(), limit: limitParam, cursor: z.string().optional() })), (c) => {
      const q = c.req.valid("query");
      const period = parsePeriod(q.from, q.to, null);
      const after = decodeCursor(q.cursor, z.object({ at: z.string(), id: z.string() }));
      const rows = store.reports.list(period, q.limit, after);
      const last = rows.at(-1);
      return c.json({
        data: rows.map((r) => store.checkout.document(r.id)),
        next_cursor: rows.length === q.limit && last ? encodeCursor({ at: last.completed_at, id: last.id }) : null,
      });
    })
    .get("/:id", (c) => {
      const id = c.req.param("id");
      const doc = id.length <= 64 ? store.checkout.document(id) : null;
      if (!doc) throw new Problem("sale_not_found", `No sale has the id ${id.slice(0, 64)}.`);
      return c.json(doc);
    });
}

export function summaryRoutes(store: Shop) {
  return new Hono<ApiEnv>().get("/", valid("query", z.object({ from: z.string().optional(), to: z.string().optional() })), (c) => {
    const q = c.req.valid("query");
    const today = businessDate(store.clock.now(), store.settings().timeZone);
    return c.json(store.reports.summary(parsePeriod(q.from, q.to, today)));
  });
}
