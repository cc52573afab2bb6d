// POST/GET /api/v1/sales: complete a sale in one call, read sales back.

import { Hono } from "hono";
import { z } from "zod";
import { businessDate } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Sale } from "../../domain/sale/sale.ts";
import type { Shop } from "../compose.ts";
import { valid } from "../platform/http/validate.ts";
import type { Warning } from "../selling/checkout.ts";
import type { SaleDocument } from "../selling/sale-document.ts";
import { readCreditCode } from "../store-credit/records.ts";
import type { ApiEnv } from "./auth.ts";
import { idempotencyKeys } from "./idempotency.ts";
import { decodeCursor, encodeCursor, limitParam, parsePeriod } from "./params.ts";

export const text = (max: number) => z.string().trim().min(1).max(max);

const lineSchema = z.strictObject({
  barcode: text(64).optional(),
  sku: text(64).optional(),
  product_id: z.number().int().positive().optional(),
  qty: z.number().finite().optional(),
});

// Only what a card terminal may tell us; a strict object refuses card numbers and anything else.
export const cardSchema = z.strictObject({
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
  /** A store credit's code (method "voucher"): its balance pays, as at the register. */
  store_credit: text(40).optional(),
});

export const saleRequestSchema = z.strictObject({
  lines: z.array(lineSchema).min(1, "a sale needs at least one line").max(500),
  payments: z.array(paymentSchema).min(1, "a sale needs at least one payment").max(20),
  /** Print the receipt on the printer of the token's register (a kiosk); by default nothing prints. */
  print: z.boolean().optional(),
});

/**
 * A sale as the API shows it: the sale's document, with what came back of each line and the sale's returns (none yet
 * for a sale just made, which is not looked up).
 */
export function saleJson(store: Shop, doc: SaleDocument, justMade = false) {
  const returned = justMade ? {} : store.returnRecords.earlier(doc.id).qtyByLine;
  const returns = justMade ? [] : store.returnRecords.ofSale(doc.id);
  return {
    ...doc,
    lines: doc.lines.map((l) => ({ ...l, returned_qty: (returned[l.line_no] ?? 0) / 1000 })),
    returns: returns.map((r) => ({ id: r.id, return_number: r.returnNumber, at: r.at, total: r.total })),
  };
}

/** A store credit's code as a payment names it: only on a voucher payment, and spelled as the slip prints it. */
function storeCreditOf(method: string, typed: string): string {
  if (method !== "voucher") throw new Problem("invalid_input", 'store_credit goes with method "voucher": the store credit pays, nothing else.');
  // a voucher is a store credit of this shop: which one, so its balance pays (never a payment nobody can trace)
  if (typed === "") throw new Problem("invalid_input", 'A "voucher" payment names its store credit: "store_credit":"SC123456789012".');
  const code = readCreditCode(typed);
  if (!code) throw new Problem("invalid_input", "store_credit is SC and twelve digits, as printed under the credit's barcode.");
  return code;
}

export function saleRoutes(store: Shop) {
  const once = idempotencyKeys(store.db, store.clock);
  const saleOf = (id: string) => {
    const doc = store.checkout.document(id);
    if (!doc) throw new Problem("sale_not_found", `No sale has the id ${id.slice(0, 64)}.`);
    return saleJson(store, doc);
  };

  return new Hono<ApiEnv>()
    .use(store.saleTraffic.watch) // background counting waits while sales come in (reports/sale-traffic.ts)
    .post("/", valid("json", saleRequestSchema), (c) => {
      const body = c.req.valid("json");
      const holder = c.get("holder");
      const payments = body.payments.map((p) => ({
        method: p.method as "cash",
        amount: p.amount,
        ...(p.card ? { card: { brand: p.card.brand, last4: p.card.last4, authCode: p.card.auth_code, terminalRef: p.card.terminal_ref } } : {}),
        ...(p.store_credit !== undefined || p.method === "voucher" ? { voucher: storeCreditOf(p.method, p.store_credit ?? "") } : {}),
      }));
      return once(
        c,
        body,
        "sale",
        "This Idempotency-Key was used for a different sale; use a new key for a new sale.",
        (remember) => {
          const result = store.checkout.sell(holder.registerId, body.lines, payments, (saleId) => {
            remember({ saleId, returnId: null });
            // a kiosk's receipt, queued with the sale in its transaction: printed once, on the token's register's printer
            if (body.print) store.printing.queueReceipt(store.sales.load(saleId).state as Sale);
          });
          const warnings: Warning[] = [...result.warnings];
          if (body.print) {
            store.printing.worker.kick();
            if (!store.printing.printers.forRegister(holder.registerId)) {
              warnings.push({
                code: "no_printer",
                message: `No printer is set up for the register ${holder.name}, so no receipt was printed. Add one under Devices.`,
              });
            }
          }
          return c.json({ ...saleJson(store, result.sale, true), warnings }, 201);
        },
        (made) => c.json({ ...saleOf(made.saleId), warnings: [] }, 201),
      );
    })
    .get("/", valid("query", z.object({ from: z.string().optional(), to: z.string().optional(), limit: limitParam, cursor: z.string().optional() })), (c) => {
      const q = c.req.valid("query");
      const period = parsePeriod(q.from, q.to, null);
      const after = decodeCursor(q.cursor, z.object({ at: z.string(), id: z.string() }));
      const rows = store.reports.list(period, q.limit, after);
      const last = rows.at(-1);
      return c.json({
        data: rows.map((r) => saleOf(r.id)),
        next_cursor: rows.length === q.limit && last ? encodeCursor({ at: last.completed_at, id: last.id }) : null,
      });
    })
    .get("/:id", (c) => {
      const id = c.req.param("id");
      if (id.length > 64) throw new Problem("sale_not_found", `No sale has the id ${id.slice(0, 64)}.`);
      return c.json(saleOf(id));
    });
}

export function summaryRoutes(store: Shop) {
  return new Hono<ApiEnv>().get("/", valid("query", z.object({ from: z.string().optional(), to: z.string().optional() })), (c) => {
    const q = c.req.valid("query");
    const today = businessDate(store.clock.now(), store.settings().timeZone);
    return c.json(store.reports.summary(parsePeriod(q.from, q.to, today)));
  });
}
