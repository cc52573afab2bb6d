// /api/v1/stock (changes need the admin scope): a delivery taken in and a stock adjustment, through the back office's
// own actions — the same ledger movements, moving-average cost and audit rows, the audit naming the token. A delivery's
// lines are read as the delivery page reads its list (a product by SKU or barcode, whole units unless weighed, one cost
// per product), each refused line named with its field; nothing is taken in while any is refused. An adjustment worth
// more than the shop's approval value goes through: an admin token stands for a manager, and its name is in the audit.
import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Product } from "../catalog/queries.ts";
import type { Shop } from "../compose.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { adjustmentReasons, type OfficeActor } from "../inventory/adjustments.ts";
import { addsUpTooMuch, type DeliveryLine, MAX_DELIVERY_LINES, unitCostProblem } from "../inventory/deliveries.ts";
import { valid } from "../platform/http/validate.ts";
import { MAX_STOCK_MILLI } from "../products/rules.ts";
import { type ApiEnv, writesNeed } from "./auth.ts";
import { madeOnce } from "./idempotency.ts";
import type { RowError } from "./products-bulk.ts";
import { text } from "./sales.ts";
import type { TokenHolder } from "./tokens.ts";

/** A product named by one of these, as a sale's line names it. */
const productRef = {
  sku: text(64).optional(),
  barcode: text(64).optional(),
  product_id: z.number().int().positive().optional(),
};

const deliveryLine = z.strictObject({
  ...productRef,
  qty: z.number().finite(),
  unit_cost: z.number().int("unit_cost is in minor units (cents): a whole number").nullable().optional(),
});

const deliveryRequest = z.strictObject({
  supplier: text(100),
  reference: z.string().trim().max(60).optional(),
  lines: z
    .array(z.unknown())
    .min(1, "a delivery needs at least one line")
    .max(MAX_DELIVERY_LINES, `at most ${MAX_DELIVERY_LINES} lines in one delivery; take it in parts`),
});

const adjustmentRequest = z.strictObject({
  ...productRef,
  qty: z.number().finite(),
  reason: text(40),
  note: z.string().trim().max(200).optional(),
});

/** Who the ledger and the audit log say did it: the token, which is no user of the store, at its own register's name. */
function actorOf(holder: TokenHolder): OfficeActor {
  // the columns allow no user (an API token's rows carry its name), as the API's returns do
  return { userId: null as unknown as number, userName: `API token ${holder.name}`, registerName: null };
}

/** A quantity in units as thousandths; null when it has more than three decimals. */
function milliOf(qty: number): number | null {
  const milli = Math.round(qty * 1000);
  return Math.abs(milli - qty * 1000) > 1e-6 || !Number.isSafeInteger(milli) ? null : milli;
}

/** Why a delivery's line cannot be taken in, as the delivery page says it; null when it can. */
function lineProblem(product: Product, qty: number, qtyMilli: number | null, unitCost: number | null): { field: string; message: string } | null {
  if (qtyMilli === null || qtyMilli <= 0 || qtyMilli > 1_000_000_000) {
    return { field: "qty", message: `The quantity ${qty} is not a number more than zero (at most 3 decimals).` };
  }
  if (!product.weighed && qtyMilli % 1000 !== 0) return { field: "qty", message: `${product.name} comes in whole units.` };
  if (unitCost !== null && unitCost < 0) return { field: "unit_cost", message: "The unit cost cannot be below zero." };
  const costly = unitCostProblem(unitCost);
  return costly ? { field: "unit_cost", message: costly } : null;
}

export function stockRoutes(store: Shop) {
  const once = madeOnce(store.db, store.clock);
  const tx = inOneTransaction(store.db);

  /** The product a line names, or the field and sentence that say why not. */
  function productOf(ref: {
    sku?: string | undefined;
    barcode?: string | undefined;
    product_id?: number | undefined;
  }): Product | { field: string; message: string } {
    const given = [ref.sku, ref.barcode, ref.product_id].filter((v) => v !== undefined).length;
    if (given !== 1) return { field: "sku", message: "Name the product by sku, barcode or product_id: one of them." };
    if (ref.product_id !== undefined) return store.catalog.byId(ref.product_id) ?? { field: "product_id", message: `No product has the id ${ref.product_id}.` };
    if (ref.barcode !== undefined) {
      const found = store.catalog.scan(ref.barcode, store.settings().embeddedPatterns)?.product;
      return found ?? { field: "barcode", message: `No product has the barcode ${ref.barcode.slice(0, 40)}.` };
    }
    return store.catalog.bySku(ref.sku!) ?? { field: "sku", message: `No product has the SKU ${ref.sku!.slice(0, 40)}.` };
  }

  /** A delivery's lines, read as the delivery page reads them; every refused line is named. */
  function readLines(raw: unknown[]): DeliveryLine[] {
    const errors: RowError[] = [];
    const byProduct = new Map<number, DeliveryLine & { row: number }>();
    raw.forEach((item, i) => {
      const row = i + 1;
      const say = (field: string | null, message: string, sku: string | null = null) => errors.push({ row, sku, field, message });
      const parsed = deliveryLine.safeParse(item);
      if (!parsed.success) {
        for (const issue of parsed.error.issues.slice(0, 5)) say(issue.path.length > 0 ? String(issue.path[0]) : null, issue.message);
        return;
      }
      const l = parsed.data;
      const product = productOf(l);
      if ("field" in product) {
        say(product.field, product.message, l.sku ?? null);
        return;
      }
      const qtyMilli = milliOf(l.qty);
      const unitCost = l.unit_cost ?? null;
      const problem = lineProblem(product, l.qty, qtyMilli, unitCost);
      if (problem || qtyMilli === null) {
        say(problem?.field ?? "qty", problem?.message ?? "", product.sku);
        return;
      }
      const had = byProduct.get(product.id);
      if (!had) byProduct.set(product.id, { product, qtyMilli, unitCost, row });
      else if (unitCost !== null && had.unitCost !== null && unitCost !== had.unitCost) {
        say("unit_cost", `${product.name} is on the delivery twice (row ${had.row}) with two costs; give one.`, product.sku);
      } else if (had.qtyMilli + qtyMilli > MAX_STOCK_MILLI) {
        say("qty", addsUpTooMuch(product), product.sku);
      } else {
        had.qtyMilli += qtyMilli;
        had.unitCost = had.unitCost ?? unitCost;
      }
    });
    if (errors.length > 0) {
      const bad = new Set(errors.map((e) => e.row)).size;
      const e = errors[0]!;
      throw new Problem(
        "invalid_rows",
        `${bad === 1 ? "One line needs" : `${bad} lines need`} another look; nothing was taken in. Line ${e.row}${e.field ? `, ${e.field}` : ""}: ${e.message}`,
        { rows: errors.slice(0, 500), refused_rows: bad },
      );
    }
    return [...byProduct.values()].map(({ product, qtyMilli, unitCost }) => ({ product, qtyMilli, unitCost }));
  }

  const deliveryJson = (id: string) => {
    const d = store.db
      .query<{ at: string; supplier: string; reference: string | null; total_cost: number }, [string]>(
        "SELECT at, supplier, reference, total_cost FROM deliveries WHERE id = ?",
      )
      .get(id)!;
    const lines = store.db
      .query<
        { n: number; product_id: number; sku: string; name: string; qty_milli: number; unit_cost: number | null; cost: number | null; stock_milli: number },
        [string]
      >(
        `SELECT l.n, l.product_id, p.sku, p.name, l.qty_milli, l.unit_cost, p.cost, p.stock_milli
           FROM delivery_lines l JOIN products p ON p.id = l.product_id WHERE l.delivery_id = ? ORDER BY l.n`,
      )
      .all(id);
    return {
      id,
      at: d.at,
      supplier: d.supplier,
      reference: d.reference,
      total_cost: d.total_cost,
      lines: lines.map((l) => ({
        product_id: l.product_id,
        sku: l.sku,
        name: l.name,
        qty: l.qty_milli / 1000,
        unit_cost: l.unit_cost,
        cost_now: l.cost,
        on_hand: l.stock_milli / 1000,
      })),
    };
  };

  return new Hono<ApiEnv>()
    .use(writesNeed("admin", "stock"))
    .post("/deliveries", valid("json", deliveryRequest), (c) => {
      const body = c.req.valid("json");
      const who = actorOf(c.get("holder"));
      return once(
        c,
        body,
        "delivery",
        "This Idempotency-Key was used for a different request; use a new key for a new delivery.",
        (remember) => {
          const id = tx(() => {
            const done = store.deliveries.receive(who, body.supplier, body.reference ?? "", readLines(body.lines));
            remember({ made: done.id, reply: null });
            return done.id;
          })();
          return c.json(deliveryJson(id), 201);
        },
        (kept) => c.json(deliveryJson(kept.made), 201),
      );
    })
    .post("/adjustments", valid("json", adjustmentRequest), (c) => {
      const body = c.req.valid("json");
      const who = actorOf(c.get("holder"));
      const reasons = adjustmentReasons(store.db);
      if (!reasons.some((r) => r.code === body.reason)) {
        const codes = reasons.map((r) => r.code);
        throw new Problem("invalid_input", `reason ${body.reason} is not one of this shop's adjustment reasons: ${codes.join(", ")}.`, {
          field: "reason",
          reasons: codes,
        });
      }
      const product = productOf(body);
      if ("field" in product) throw new Problem("unknown_sku", product.message, { field: product.field });
      const qtyMilli = milliOf(body.qty);
      if (qtyMilli === null) throw new Problem("fractional_quantity", `Quantity ${body.qty} has more than three decimals.`, { field: "qty" });
      const request = { productId: product.id, qtyMilli, reasonCode: body.reason, note: body.note ?? "" };
      return once(
        c,
        body,
        "adjustment",
        "This Idempotency-Key was used for a different request; use a new key for a new adjustment.",
        (remember) => {
          const reply = tx(() => {
            const done = store.adjustments.adjust(who, request, null);
            const r = {
              id: done.id,
              product_id: product.id,
              sku: product.sku,
              qty: qtyMilli / 1000,
              reason: body.reason,
              note: body.note ?? null,
              on_hand: done.onHand / 1000,
            };
            remember({ made: done.id, reply: JSON.stringify(r) });
            return r;
          })();
          return c.json(reply, 201);
        },
        (kept) => c.json(JSON.parse(kept.reply ?? "{}") as unknown, 201),
      );
    });
}
