// /api/v1/reports/... for BI tools, behind an API token (a token limited to stores reads only theirs):
//   GET /api/v1/reports/{products|categories|stores|days|hours|tenders}
//   ?period=today|yesterday|week|month|last30|year, or ?from=YYYY-MM-DD&to=YYYY-MM-DD (at most 731 days; this month
//   when neither), &store=<store id> to narrow to one store. Hours are weekday (1 Monday) × hour on each store's own clock.
// Answers { period: {from, to}, previous: {from, to}, rows: [...] }; money in minor units, quantities in thousandths.
// A bad period is a 400 invalid_period with a sentence; a store not seen, 404 store_not_found.
import { type Context, Hono } from "hono";
import type { HqDeps, HqEnv } from "../people/guard.ts";
import { byCategory, byDay, byHour, byProduct, byStore, byTender } from "./queries.ts";
import { reportRequest } from "./request.ts";

export function reportsApi(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<HqEnv>();
  const answer = (read: (r: ReturnType<typeof reportRequest>) => Promise<readonly unknown[]>) => async (c: Context<HqEnv>) => {
    const r = reportRequest(c, deps);
    const rows = await read(r);
    return c.json({ period: { from: r.period.from, to: r.period.to }, previous: r.previous, rows });
  };
  app.get(
    "/products",
    answer((r) => byProduct(sql, r.scope)),
  );
  app.get(
    "/categories",
    answer((r) => byCategory(sql, r.scope)),
  );
  app.get(
    "/stores",
    answer((r) => byStore(sql, r.scope)),
  );
  app.get(
    "/days",
    answer((r) => byDay(sql, r.scope)),
  );
  app.get(
    "/hours",
    answer((r) => byHour(sql, r.scope)),
  );
  app.get(
    "/tenders",
    answer((r) => byTender(sql, r.scope)),
  );
  return app;
}
