// /api/v1: the JSON API for integrations and scripts (products, stock, sales, returns, summaries). Bearer token, JSON
// bodies of at most 1 MB (2 MB for an admin token's bulk upsert of products).

import { Hono } from "hono";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Shop } from "../compose.ts";
import { limitBodies } from "../platform/http/body-limit.ts";
import { type ApiEnv, gateJsonText, requireJson, requireToken } from "./auth.ts";
import { productRoutes } from "./products.ts";
import { BULK_BODY_LIMIT } from "./products-bulk.ts";
import { returnRoutes } from "./returns.ts";
import { saleRoutes, summaryRoutes } from "./sales.ts";
import { stockRoutes } from "./stock.ts";
import type { TokenHolder } from "./tokens.ts";

/** A sale of many lines fits; a stranger's body is refused before the token is even looked at past its header. */
export const API_BODY_LIMIT = 1024 * 1024;

export function apiRoutes(store: Shop) {
  const saleExists = store.db.query<{ one: number }, [string]>("SELECT 1 AS one FROM sales WHERE id = ?");
  return new Hono<ApiEnv>()
    .use(requireToken(store.authenticate))
    .use(
      limitBodies({
        rules: [
          {
            prefix: "/api/v1/products/bulk",
            maxBytes: BULK_BODY_LIMIT,
            when: (c) => (c.get("holder") as TokenHolder).scopes.includes("admin"),
            message: "The request body is larger than 2 MB; send fewer rows per request.",
          },
        ],
        otherwise: API_BODY_LIMIT,
        message: "The request body is larger than 1 MB; send fewer lines per sale.",
      }),
    )
    .use(requireJson)
    .use(gateJsonText((key, value) => key === "sale_id" && saleExists.get(value) !== null))
    .route("/sales", saleRoutes(store))
    .route("/returns", returnRoutes(store))
    .route("/products", productRoutes(store))
    .route("/stock", stockRoutes(store))
    .route("/summary", summaryRoutes(store))
    .all("*", (c) => {
      throw new Problem("not_found", `There is no ${c.req.method} ${c.req.path} in the API.`);
    });
}
