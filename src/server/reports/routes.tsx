// The store's reports for managers (/reports): a view over a period of business days, as a page or as CSV
// (/reports/<view>.csv?from=&to=). Reads only.
import { type Context, Hono } from "hono";
import { currencyDigits } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type Period, readPeriod } from "../../domain/reports/period.ts";
import { ReportsPage } from "../../views/reports/page.tsx";
import type { Shop } from "../compose.ts";
import { type PagesEnv, requireRole } from "../people/guard.ts";
import { render } from "../platform/http/render.ts";
import { reportCsv } from "./csv.ts";
import { type ReportView, reportQueries, reportViews } from "./queries.ts";
import { buildReport } from "./report.ts";

const isView = (v: string): v is ReportView => (reportViews as readonly string[]).includes(v);

export function reportRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const queries = reportQueries(shop.db);
  const askOf = (c: Context<PagesEnv>) => ({
    period: c.req.query("period")?.slice(0, 40),
    from: c.req.query("from")?.slice(0, 40),
    to: c.req.query("to")?.slice(0, 40),
  });
  const periodOf = (c: Context<PagesEnv>): Period => readPeriod(askOf(c), shop.clock.now(), shop.settings().timeZone);
  const report = (view: ReportView, period: Period) => {
    const s = shop.settings();
    return buildReport(queries, view, period, s.timeZone, currencyDigits(s.currency));
  };

  const page = (c: Context<PagesEnv>, view: ReportView) => {
    let period: Period;
    try {
      period = periodOf(c);
    } catch (e) {
      // a period that is no period: the picker again with the sentence, nothing looked up
      if (!(e instanceof Problem)) throw e;
      return render(c, <ReportsPage data={null} view={view} ask={askOf(c)} message={e.message} />, 400);
    }
    return render(c, <ReportsPage data={report(view, period)} view={view} ask={askOf(c)} />);
  };

  app.get("/", (c) => page(c, "product"));
  app.get("/:name", (c) => {
    const name = c.req.param("name");
    const csv = name.endsWith(".csv");
    const view = csv ? name.slice(0, -4) : name;
    if (!isView(view)) throw new Problem("not_found", "There is no such report: choose one of the views on the reports page.");
    if (!csv) return page(c, view);
    const s = shop.settings();
    return c.body(reportCsv(report(view, periodOf(c)), currencyDigits(s.currency)), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="report-${view}.csv"`,
    });
  });
  return app;
}
