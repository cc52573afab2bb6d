// /api/v1: the JSON API for integrations and scripts. Bearer token, JSON bodies of at most 1 MB.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Store } from "../compose.ts";
import { AppError } from "../errors.ts";
import { requireJson, requireToken, type ApiEnv } from "./auth.ts";
import { productRoutes } from "./products.ts";
import { saleRoutes, summaryRoutes } from "./sales.ts";

export const MAX_BODY = 1024 * 1024;

export function apiRoutes(store: Store) {
  return new Hono<ApiEnv>()
    .use(requireToken(store.authenticate))
    .use(requireJson)
    .use(bodyLimit({
      maxSize: MAX_BODY,
      onError: () => {
        throw new AppError(413, "body_too_large", "The request body is larger than 1 MB; send fewer lines per sale.");
      },
    }))
    .route("/sales", saleRoutes(store))
    .route("/products", productRoutes(store))
    .route("/summary", summaryRoutes(store))
    .all("*", (c) => {
      throw new AppError(404, "not_found", `There is no ${c.req.method} ${c.req.path} in the API.`);
    });
}
