// The audit log for managers (/audit): filter by user, action and days, and export what is shown as CSV.
import { type Context, Hono } from "hono";
import { Problem } from "../../domain/kernel/problem.ts";
import { AuditPage } from "../../views/audit/page.tsx";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { render } from "../platform/http/render.ts";
import { toCsv } from "./audit-log.ts";
import { auditQuery } from "./filter.ts";
import { saleRefs } from "./sale-refs.ts";

const PAGE_ROWS = 500;

export function auditRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const refsOf = saleRefs(shop.db, shop.sales);
  const queryOf = (c: Context<PagesEnv>) => auditQuery((k) => c.req.query(k), shop.settings().timeZone);

  app.get("/", (c) => {
    let q: ReturnType<typeof queryOf>;
    try {
      q = queryOf(c);
    } catch (e) {
      // a day that is no day: the form again with the sentence, nothing looked up
      if (!(e instanceof Problem)) throw e;
      const shown = { user: c.req.query("user")?.slice(0, 60), action: c.req.query("action")?.slice(0, 60) };
      return render(c, <AuditPage rows={[]} refs={{ sales: {} }} filter={shown} message={e.message} />, 400);
    }
    const found = shop.audit.find({ ...q.find, limit: PAGE_ROWS + 1 });
    const rows = found.slice(0, PAGE_ROWS);
    return render(c, <AuditPage rows={rows} more={found.length > PAGE_ROWS} refs={refsOf(rows)} filter={q.shown} />);
  });

  app.get("/export.csv", (c) => {
    const rows = shop.audit.find({ ...queryOf(c).find, limit: 10_000 });
    return c.body(toCsv(rows), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="audit-log.csv"' });
  });
  return app;
}
