// POST/GET /api/v1/returns: take goods back against a sale in one call (the register's own return action, on the
// token's register), read returns back.

import { Hono } from "hono";
import { z } from "zod";
import { businessDate } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type CompletedReturn, type Refund, refundMethods } from "../../domain/return/return.ts";
import type { Actor } from "../audit/audit-log.ts";
import type { Shop } from "../compose.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { valid } from "../platform/http/validate.ts";
import { type ReturnRequest, returnDocument } from "../returns/actions.ts";
import { RECEIPT_NUMBER } from "../selling/history.ts";
import type { ApiEnv } from "./auth.ts";
import { idempotencyKeys } from "./idempotency.ts";
import { decodeCursor, encodeCursor, limitParam, parsePeriod } from "./params.ts";
import { cardSchema, text } from "./sales.ts";
import type { TokenHolder } from "./tokens.ts";

const refundSchema = z.strictObject({
  method: text(32),
  amount: z.number().int("amount is in minor units (cents): a whole number"),
  card: cardSchema.optional(),
});

export const returnRequestSchema = z
  .strictObject({
    sale_id: text(64).optional(),
    receipt_code: text(64).optional(),
    lines: z
      .array(z.strictObject({ line_no: z.number().int().positive(), qty: z.number().finite() }))
      .min(1, "a return needs at least one line")
      .max(500),
    /** Left out: back to the original tenders, as the register does. */
    refunds: z.array(refundSchema).min(1, "leave refunds out to refund the original tenders").max(20).optional(),
    reason: text(64),
    /** Print the return's receipt (and open the drawer for cash) on the token's register: a kiosk's need; default no. */
    print: z.boolean().optional(),
  })
  .refine((b) => (b.sale_id === undefined) !== (b.receipt_code === undefined), "name the sale by sale_id or by receipt_code, one of them");

type ReturnBody = z.infer<typeof returnRequestSchema>;

const listQuery = z.object({ from: z.string().optional(), to: z.string().optional(), limit: limitParam, cursor: z.string().optional() });

/** A return as the API shows it: head office's document, and the store credit it issued (its code) when it did. */
function returnJson(r: CompletedReturn, day: string) {
  const credit = r.refunds.find((f) => f.voucher);
  return { ...returnDocument(r, day), store_credit: credit ? { code: credit.voucher!, amount: credit.amount } : null };
}

export function returnRoutes(store: Shop) {
  const once = idempotencyKeys(store.db, store.clock);
  const registerName = store.db.query<{ name: string }, [number]>("SELECT name FROM registers WHERE id = ?");
  const byId = store.db.query<{ data: string; business_date: string }, [string]>("SELECT data, business_date FROM returns WHERE id = ?");
  const tx = inOneTransaction(store.db);

  const returnOf = (id: string) => {
    const row = id.length <= 64 ? byId.get(id) : null;
    if (!row) throw new Problem("not_found", `No return has the id ${id.slice(0, 64)}.`);
    return returnJson(JSON.parse(row.data) as CompletedReturn, row.business_date);
  };

  /** The sale a request names: by its id, or by the receipt number its receipt shows (and its barcode reads). */
  function saleIdOf(body: ReturnBody): string {
    if (body.sale_id !== undefined) return body.sale_id;
    const code = body.receipt_code!;
    if (!RECEIPT_NUMBER.test(code)) throw new Problem("invalid_input", `receipt_code ${code} is not a receipt number: it looks like 001-000123.`);
    const found = store.history.saleOfReceipt(code);
    if (!found) throw new Problem("sale_not_found", `No sale of this store has the receipt number ${code}.`, { receipt_code: code });
    return found;
  }

  function requestOf(body: ReturnBody): ReturnRequest {
    const reasons = store.returnRecords.reasons();
    if (!reasons.some((r) => r.code === body.reason)) {
      const codes = reasons.map((r) => r.code);
      throw new Problem("invalid_input", `reason ${body.reason} is not one of this shop's return reasons: ${codes.join(", ")}.`, {
        reason: body.reason,
        reasons: codes,
      });
    }
    const lines = body.lines.map((l) => {
      const qtyMilli = Math.round(l.qty * 1000);
      if (Math.abs(qtyMilli - l.qty * 1000) > 1e-6)
        throw new Problem("fractional_quantity", `Quantity ${l.qty} has more than three decimals.`, { line: l.line_no });
      return { lineNo: l.line_no, qtyMilli };
    });
    return {
      saleId: saleIdOf(body),
      lines,
      reasonCode: body.reason,
      refunds: body.refunds ? body.refunds.map(refundOf) : "original",
      print: body.print === true,
    };
  }

  /** The token's register, named after it; the audit log and the return receipt name the token. */
  function actorOf(holder: TokenHolder): Actor {
    return {
      // an API token is no user of the store: its rows leave the user empty (the columns allow it) and carry its name
      userId: null as unknown as number,
      userName: `API token ${holder.name}`,
      registerId: holder.registerId,
      registerName: registerName.get(holder.registerId)?.name ?? holder.name,
    };
  }

  const completeReturn = tx((holder: TokenHolder, request: ReturnRequest, remember: (r: CompletedReturn) => void): CompletedReturn => {
    // the shop's policy and cash for a card are an admin token's to pass, as a manager's at the register
    const admin = holder.scopes.includes("admin");
    const done = store.returns.complete(actorOf(holder), { ...request, cashForOtherTenders: admin, pastPolicy: admin }, null);
    remember(done);
    return done;
  });

  return new Hono<ApiEnv>()
    .post("/", valid("json", returnRequestSchema), async (c) => {
      const body = c.req.valid("json");
      const holder = c.get("holder");
      // what other stores of the chain took back of the sale, when head office can say (a bad request says why below)
      let returnedElsewhere: ReturnRequest["returnedElsewhere"] = null;
      try {
        returnedElsewhere = await store.returnedElsewhere(saleIdOf(body));
      } catch {}
      return once(
        c,
        body,
        "return",
        "This Idempotency-Key was used for a different request; use a new key for a new return.",
        (remember) => {
          const done = completeReturn(holder, { ...requestOf(body), returnedElsewhere }, (r) => remember({ saleId: r.saleId!, returnId: r.returnId }));
          store.printing.worker.kick();
          return c.json(returnJson(done, businessDate(new Date(done.at), store.settings().timeZone)), 201);
        },
        (made) => c.json(returnOf(made.returnId!), 201),
      );
    })
    .get("/", valid("query", listQuery), (c) => {
      const q = c.req.valid("query");
      const period = parsePeriod(q.from, q.to, null);
      const after = decodeCursor(q.cursor, z.object({ at: z.string(), id: z.string() }));
      const col = period.kind === "date" ? "business_date" : "at";
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (period.from !== null) {
        where.push(`${col} >= ?`);
        args.push(period.from);
      }
      if (period.to !== null) {
        where.push(period.kind === "date" ? `${col} <= ?` : `${col} < ?`);
        args.push(period.to);
      }
      if (after) {
        where.push("(at, id) > (?, ?)");
        args.push(after.at, after.id);
      }
      args.push(q.limit);
      const rows = store.db
        .query<{ id: string; at: string; business_date: string; data: string }, (string | number)[]>(
          `SELECT id, at, business_date, data FROM returns ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY at, id LIMIT ?`,
        )
        .all(...args);
      const last = rows.at(-1);
      return c.json({
        data: rows.map((r) => returnJson(JSON.parse(r.data) as CompletedReturn, r.business_date)),
        next_cursor: rows.length === q.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
      });
    })
    .get("/:id", (c) => c.json(returnOf(c.req.param("id"))));
}

/** A refund as the API sends it: a known tender, card details only with a card. */
function refundOf(r: ReturnBody["refunds"] extends (infer R)[] | undefined ? R : never): Refund {
  const method = refundMethods.find((m) => m === r.method);
  if (!method) throw new Problem("unknown_payment_method", `${r.method} is not a way to refund: use ${refundMethods.join(", ")}.`, { method: r.method });
  // the return itself passes over refunds of nothing; a program that sends one has made a mistake worth hearing of
  if (r.amount <= 0) throw new Problem("invalid_amount", "Each refund is an amount more than zero.", { method, amount: r.amount });
  if (r.card && method !== "card") throw new Problem("invalid_input", `card details go with a card refund only, not with ${method}.`, { method });
  const card = r.card
    ? {
        ...(r.card.brand ? { brand: r.card.brand } : {}),
        ...(r.card.last4 ? { last4: r.card.last4 } : {}),
        ...(r.card.auth_code ? { authCode: r.card.auth_code } : {}),
        ...(r.card.terminal_ref ? { terminalRef: r.card.terminal_ref } : {}),
      }
    : null;
  return { method, amount: r.amount, ...(card ? { card } : {}) };
}
