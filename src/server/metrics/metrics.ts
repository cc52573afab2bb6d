// /metrics for the shop's monitoring, in Prometheus' text format (prom-client): sales, how long a sale takes, what waits
// for head office and since when, the print queue and each printer's state, and how old the last backup is.
// Read only with an API token that has the admin scope: the figures say how busy the shop is and which printers are
// down, which is nobody's business on the LAN but the owner's monitoring (a token is what a scraper can send; a
// person's session is not).
import type { Database } from "bun:sqlite";
import type { MiddlewareHandler } from "hono";
import type { Registry } from "prom-client";
import { Problem } from "../../domain/kernel/problem.ts";
import { saleLatency } from "./sale-latency.ts";

type Deps = { db: Database; outboxPending: () => number; authenticate: (secret: string) => { scopes: string[] } | null };

export function storeMetrics(deps: Deps) {
  const latency = saleLatency();
  // prom-client and the figures are loaded on the first scrape, not at start (registry.ts)
  let registry: Promise<Registry> | null = null;
  const loadRegistry = () => {
    registry ??= import("./registry.ts").then(
      (m) => m.storeRegistry(deps, latency),
      (e: unknown) => {
        registry = null;
        throw e;
      },
    );
    return registry;
  };

  /** Times sale requests (POST to a sales path): put in front of the routes that sell. */
  const timeSales: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== "POST" || !/\/sales(\/|$)/.test(c.req.path)) return next();
    const t0 = performance.now();
    try {
      await next();
    } finally {
      latency.observe((performance.now() - t0) / 1000);
    }
  };

  /** GET /metrics: only with an admin API token. */
  const route = async (c: Parameters<MiddlewareHandler>[0]) => {
    const secret = /^Bearer (.+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
    if (!secret)
      throw new Problem(
        "api_token_required",
        "Metrics need an API token with the admin scope: make one with 'shopflow token create --name monitoring --scopes admin'.",
      );
    const holder = deps.authenticate(secret);
    if (!holder)
      throw new Problem("api_token_invalid", "This token is not known or was revoked: make one with 'shopflow token create --name monitoring --scopes admin'.");
    if (!holder.scopes.includes("admin")) throw new Problem("forbidden", "This token cannot read metrics: it needs the admin scope.");
    const figures = await loadRegistry();
    return c.body(await figures.metrics(), 200, { "Content-Type": figures.contentType });
  };
  return { timeSales, route };
}
