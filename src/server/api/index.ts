// /api/v1: the JSON API for integrations and scripts. Bearer token, JSON bodies of at most 1 MB (limited in app.ts).

import { Hono } from "hono";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Store } from "../compose.ts";
import { type ApiEnv, gateJsonText, requireJson, requireToken } from "./auth.ts";
import { productRoutes } from "./products.ts";
import { saleRoutes, summaryRoutes } from "./sales.ts";

export function apiRoutes(store: Store) {
  return new Hono<ApiEnv>()
    .use(requireToken(store.authenticate))
    .use(requireJson)
    .use(gateJsonText)
    .route("/sales", saleRoutes(store))
    .route("/products", productRoutes(store))
    .route("/summary", summaryRoutes(store))
    .all("*", (c) => {
      throw new Problem("not_found", `There is no ${c.req.method} ${c.req.path} in the API.`);
    });
}
