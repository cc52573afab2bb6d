// POST /api/v1/products/bulk: an ERP's catalog in one call, upserted by SKU — a new SKU is added as POST /products adds
// one, a known SKU has the fields sent changed as PATCH does (over its version when the row names one). All rows in one
// transaction, or none: while any row is refused nothing is written, and the answer names every refused row and field,
// as the CSV import names its lines. (Per-row commits would leave an ERP to work out which half of its catalog went in.)
import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Shop } from "../compose.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { valid } from "../platform/http/validate.ts";
import type { ProductsActor } from "../products/actions.ts";
import type { ApiEnv } from "./auth.ts";
import { madeOnce } from "./idempotency.ts";
import { productFields } from "./products-input.ts";
import { type ProductSaver, tokenActor } from "./products-save.ts";

export const MAX_BULK_ROWS = 5000;
/** 5,000 rows of every field fit; index.ts allows this much only to a token with the admin scope. */
export const BULK_BODY_LIMIT = 2 * 1024 * 1024;
/** A request refused for its rows names at most this many of them. */
const MOST_ROW_ERRORS = 500;

const bulkRequest = z.strictObject({
  rows: z.array(z.unknown()).min(1, "send at least one row").max(MAX_BULK_ROWS, `at most ${MAX_BULK_ROWS} rows in one request; send the rest in another`),
});

const bulkRow = z.strictObject({ ...z.object(productFields).partial().shape, sku: productFields.sku, version: z.number().int().positive().optional() });

/** A refused row: its place in `rows` counting from 1, its SKU when it has one, the field (none: the row as a whole). */
export type RowError = { row: number; sku: string | null; field: string | null; message: string };
type RowDone = { row: number; sku: string; id: number; outcome: "created" | "updated" | "unchanged"; version: number };
export type BulkReply = { created: number; updated: number; unchanged: number; rows: RowDone[] };

/** What a refusal of one product says, row by row: each field the Problem names, else the row as a whole. */
function rowErrors(row: number, sku: string | null, e: Problem): RowError[] {
  const fields = (e.details as { fields?: unknown } | undefined)?.fields;
  if (e.code === "product_changed") return [{ row, sku, field: "version", message: e.message }];
  if (Array.isArray(fields) && fields.length > 0) {
    return fields.map((f) =>
      typeof f === "string"
        ? { row, sku, field: f, message: e.message }
        : { row, sku, field: String((f as { field: string }).field), message: (f as { message: string }).message },
    );
  }
  return [{ row, sku, field: null, message: e.message }];
}

export function bulkRoutes(store: Shop, saver: ProductSaver) {
  const once = madeOnce(store.db, store.clock);

  const upsert = inOneTransaction(store.db)((who: ProductsActor, rows: unknown[], remember: (reply: BulkReply) => void): BulkReply => {
    const errors: RowError[] = [];
    const done: RowDone[] = [];
    const skuRow = new Map<string, number>();
    const codeRow = new Map<string, { row: number; sku: string }>();
    rows.forEach((raw, i) => {
      const row = i + 1;
      const parsed = bulkRow.safeParse(raw);
      if (!parsed.success) {
        const sku = raw && typeof raw === "object" && typeof (raw as { sku?: unknown }).sku === "string" ? (raw as { sku: string }).sku.slice(0, 64) : null;
        for (const issue of parsed.error.issues.slice(0, 5)) {
          const keys = (issue as { keys?: string[] }).keys;
          const field = issue.path.length > 0 ? String(issue.path[0]) : (keys?.[0] ?? null);
          errors.push({ row, sku, field, message: keys ? `${keys.map((k) => k.slice(0, 40)).join(", ")}: not a field of a product` : issue.message });
        }
        return;
      }
      const { version, ...input } = parsed.data;
      const sku = input.sku.trim();
      // the same product twice in one request: the second row is refused, whatever the first did
      const first = skuRow.get(sku);
      if (first !== undefined) {
        errors.push({ row, sku, field: "sku", message: `SKU ${sku} is already on row ${first} of this request.` });
        return;
      }
      skuRow.set(sku, row);
      const codes: [string, string][] = [
        ...(input.barcode ? [["barcode", input.barcode] as [string, string]] : []),
        ...(input.barcodes ?? []).map((b): [string, string] => ["barcodes", b]),
      ];
      const clash = codes.map(([field, code]) => ({ field, code: code.replace(/\s+/g, ""), on: codeRow.get(code.replace(/\s+/g, "")) })).find((x) => x.on);
      if (clash?.on && clash.on.sku !== sku) {
        errors.push({
          row,
          sku,
          field: clash.field,
          message: `Barcode ${clash.code} is already on row ${clash.on.row} of this request (SKU ${clash.on.sku}).`,
        });
        return;
      }
      for (const [, code] of codes) codeRow.set(code.replace(/\s+/g, ""), { row, sku });
      try {
        const held = saver.records.skuHolder(sku, null);
        const before = held ? saver.records.byId(held.id) : null;
        if (!before) {
          const p = saver.create(who, input);
          done.push({ row, sku, id: p.id, outcome: "created", version: p.version });
        } else {
          const p = saver.update(who, before, version ?? before.version, input, false);
          done.push({ row, sku, id: p.id, outcome: p.version === before.version ? "unchanged" : "updated", version: p.version });
        }
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        errors.push(...rowErrors(row, sku, e));
      }
    });
    if (errors.length > 0) {
      const bad = new Set(errors.map((e) => e.row)).size;
      const e = errors[0]!;
      throw new Problem(
        "invalid_rows",
        `${bad === 1 ? "One row needs" : `${bad} rows need`} another look; nothing was written. Row ${e.row}${e.field ? `, ${e.field}` : ""}: ${e.message}`,
        { rows: errors.slice(0, MOST_ROW_ERRORS), refused_rows: bad },
      );
    }
    const count = (o: RowDone["outcome"]) => done.filter((d) => d.outcome === o).length;
    const reply = { created: count("created"), updated: count("updated"), unchanged: count("unchanged"), rows: done };
    remember(reply);
    return reply;
  });

  return new Hono<ApiEnv>().post("/", valid("json", bulkRequest), (c) => {
    const body = c.req.valid("json");
    return once(
      c,
      body,
      "products",
      "This Idempotency-Key was used for a different request; use a new key for new rows.",
      (remember) =>
        c.json(upsert(tokenActor(c.get("holder")), body.rows, (reply) => remember({ made: `${reply.rows.length} rows`, reply: JSON.stringify(reply) }))),
      (kept) => c.json(JSON.parse(kept.reply ?? "{}") as BulkReply),
    );
  });
}
