// GET /api/v1/reconciliation?from=&to=[&store=]: each store's day totals against what head office holds, for programs;
// a token limited to some stores gets only theirs (another store is one head office has nothing of).
import { Hono } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { periodOf } from "../api/summary.ts";
import type { HqSql } from "../db/db.ts";
import type { HqEnv } from "../people/guard.ts";
import { onlySeen, storeFilterOf } from "../people/store-filter.ts";
import { MAX_RECONCILE_DAYS, reconcilablePeriod, reconcile } from "./reconciliation.ts";

export function reconciliationApi(sql: HqSql) {
  const app = new Hono<HqEnv>();
  app.get("/", async (c) => {
    const { from, to } = periodOf((n) => c.req.query(n));
    if (from === null || to === null || !reconcilablePeriod(from, to)) {
      throw new Problem("invalid_period", `Give both from and to, as business dates (2026-11-25), at most ${MAX_RECONCILE_DAYS} days apart.`);
    }
    const store = c.req.query("store");
    const days = await reconcile(sql, { from, to, ...(store ? { storeId: store } : {}) });
    return c.json({ from, to, data: onlySeen(storeFilterOf(c), days) });
  });
  return app;
}
