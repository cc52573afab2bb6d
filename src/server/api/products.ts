// GET /api/v1/products: search, barcode lookup and paging through the catalog.

import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Product } from "../catalog/queries.ts";
import type { Shop } from "../compose.ts";
import { valid } from "../platform/http/validate.ts";
import type { ApiEnv } from "./auth.ts";
import { decodeCursor, encodeCursor, limitParam } from "./params.ts";

export function productJson(p: Product) {
  return {
    id: p.id,
    sku: p.sku,
    barcode: p.barcode,
    name: p.name,
    price: p.price,
    tax_class: p.taxClass,
    tax_rate_bp: p.rateBp,
    category: p.category,
    stock: p.stockMilli / 1000,
    weighed: p.weighed,
    active: p.active,
  };
}

const query = z.object({
  q: z.string().max(200).optional(),
  barcode: z.string().max(64).optional(),
  limit: limitParam,
  cursor: z.string().max(200).optional(),
});

export function productRoutes(store: Shop) {
  return new Hono<ApiEnv>()
    .get("/", valid("query", query), (c) => {
      const { q, barcode, limit, cursor } = c.req.valid("query");
      if (barcode !== undefined) {
        const scan = store.catalog.scan(barcode.trim(), store.settings().embeddedPatterns);
        return c.json({ data: scan ? [productJson(scan.product)] : [], next_cursor: null });
      }
      const after = decodeCursor(cursor, z.number().int().nonnegative()) ?? 0;
      const rows = q?.trim() ? store.catalog.search(q, after, limit) : store.catalog.list(after, limit);
      const last = rows.at(-1);
      return c.json({ data: rows.map(productJson), next_cursor: rows.length === limit && last ? encodeCursor(last.id) : null });
    })
    .get("/:id", (c) => {
      const raw = c.req.param("id");
      const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
      const p = Number.isSafeInteger(id) ? store.catalog.byId(id) : null;
      if (!p) throw new Problem("product_not_found", `No product has the id ${raw.slice(0, 32)}.`);
      return c.json(productJson(p));
    });
}
