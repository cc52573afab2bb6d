// /api/v1/products: search, barcode lookup and paging through the catalog; one product with all its details (and its
// version, for changing it), its stock on hand with its latest movements, and every product with its stock as CSV.
// Changes need the admin scope (products-write.ts).

import { Hono } from "hono";
import { z } from "zod";
import type { Product } from "../catalog/queries.ts";
import type { Shop } from "../compose.ts";
import { valid } from "../platform/http/validate.ts";
import { productsCsvResponse } from "../products/export.ts";
import { type ApiEnv, writesNeed } from "./auth.ts";
import { decodeCursor, encodeCursor, limitParam } from "./params.ts";
import { productSaver } from "./products-save.ts";
import { productWriteRoutes } from "./products-write.ts";

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

const stockQuery = z.object({ limit: limitParam, cursor: z.string().max(200).optional() });

export function productRoutes(store: Shop) {
  const saver = productSaver(store);
  return new Hono<ApiEnv>()
    .use(writesNeed("admin", "products"))
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
    .get("/export.csv", () => productsCsvResponse(store.db, store.settings().currency))
    .get("/:id", (c) => c.json(saver.json(saver.found(c.req.param("id")))))
    .get("/:id/stock", valid("query", stockQuery), (c) => {
      const p = saver.found(c.req.param("id"));
      const q = c.req.valid("query");
      const before = decodeCursor(q.cursor, z.number().int().positive()) ?? Number.MAX_SAFE_INTEGER;
      const moves = store.ledger.history(p.id, q.limit, before);
      const units = (m: number | null) => (m === null ? null : m / 1000);
      return c.json({
        product_id: p.id,
        sku: p.values.sku,
        name: p.values.name,
        weighed: p.values.weighed,
        on_hand: p.stockMilli / 1000,
        reorder_point: units(p.values.reorder_point),
        reorder_level: units(p.values.reorder_level),
        location: p.values.location,
        cost: p.values.cost,
        movements: moves.map((m) => ({
          id: m.id,
          at: m.at,
          qty: m.qtyMilli / 1000,
          reason: m.reason,
          note: m.note,
          user: m.user,
          document: m.document,
          sale_id: m.saleId,
          return_id: m.returnId,
        })),
        next_cursor: moves.length === q.limit ? encodeCursor(moves.at(-1)!.id) : null,
      });
    })
    .route("/", productWriteRoutes(store, saver));
}
