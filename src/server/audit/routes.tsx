// The audit log for managers (/audit): filter by user, action and days, and export what is shown as CSV.
import { type Context, Hono } from "hono";
import { isCalendarDate, nextDay } from "../../domain/kernel/calendar.ts";
import { AuditPage } from "../../views/audit/page.tsx";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { render } from "../platform/http/render.ts";
import { toCsv } from "./audit-log.ts";

export function auditRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const filterOf = (c: Context<PagesEnv>) => {
    const q = (k: string) => c.req.query(k)?.slice(0, 60) || undefined;
    const day = (k: string) => (q(k) && isCalendarDate(q(k)!) ? q(k) : undefined);
    const to = day("to");
    return { user: q("user"), action: q("action"), from: day("from"), to: to ? nextDay(to) : undefined, toShown: to };
  };
  app.get("/", (c) => {
    const f = filterOf(c);
    return render(c, <AuditPage rows={shop.audit.find({ ...f, limit: 500 })} filter={{ user: f.user, action: f.action, from: f.from, to: f.toShown }} />);
  });
  app.get("/export.csv", (c) => {
    const rows = shop.audit.find({ ...filterOf(c), limit: 10_000 });
    return c.body(toCsv(rows), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="audit-log.csv"' });
  });
  return app;
}
