// The loss-prevention reports for managers, mounted under /reports: loss prevention per cashier
// (/reports/loss-prevention), dead stock and slow movers (/reports/stock-movement) and closed shifts' Z reports
// (/reports/shifts). Each sub-app carries its own role gate, so nothing here gates /reports' other pages.
import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import { Problem } from "../../domain/kernel/problem.ts";
import { type LossMeasure, lossReport } from "../../domain/reports/loss-prevention.ts";
import { stockMovement } from "../../domain/reports/stock-movement.ts";
import { LossPreventionPage, VoidsPage } from "../../views/reports/loss-prevention.tsx";
import { StockMovementPage } from "../../views/reports/stock-movement.tsx";
import type { Shop } from "../compose.ts";
import { type PagesEnv, requireRole } from "../people/guard.ts";
import { csvTable } from "../platform/http/csv.ts";
import { render } from "../platform/http/render.ts";
import { closedShiftRoutes } from "../shifts/closed-routes.tsx";
import { DEFAULT_DAYS, type ReportPeriod, readPeriod } from "./loss-period.ts";
import { lossPreventionQueries, measureSources } from "./loss-prevention.ts";
import { stockMovementQueries } from "./stock-movement.ts";

type C = Context<PagesEnv>;

export function lossRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.route("/loss-prevention", lossPreventionRoutes(shop));
  app.route("/stock-movement", stockMovementRoutes(shop));
  app.route("/shifts", closedShiftRoutes(shop));
  return app;
}

const periodOf = (shop: Shop, c: C) => readPeriod((k) => c.req.query(k), shop.clock.now(), shop.settings().timeZone);
/** What the form shows back after a refused period: the days typed when they were days, else the default. */
const fallbackPeriod = (shop: Shop) => {
  const p = readPeriod(() => undefined, shop.clock.now(), shop.settings().timeZone);
  return { from: p.from, to: p.to, days: DEFAULT_DAYS };
};

/**
 * A period report's page: `page` over the period asked for; when that period is refused, `refused` (the report's page
 * with no report, the form showing the default period and the sentence) with 400.
 */
function periodPage(
  shop: Shop,
  c: C,
  page: (p: ReportPeriod) => Response | Promise<Response>,
  refused: (period: ReturnType<typeof fallbackPeriod>, message: string) => Child,
) {
  let p: ReportPeriod;
  try {
    p = periodOf(shop, c);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    return render(c, refused(fallbackPeriod(shop), e.message), 400);
  }
  return page(p);
}

function lossPreventionRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const q = lossPreventionQueries(shop.db);

  /** The rows behind a count: the audit page filtered to that person, action and period, or the list of their voids. */
  const linkTo = (p: ReportPeriod) => (userId: number, name: string, m: LossMeasure) => {
    const source = measureSources[m];
    if ("voids" in source) return `/reports/loss-prevention/voids?${new URLSearchParams({ user: String(userId), from: p.from, to: p.to })}`;
    return `/audit?${new URLSearchParams({ user: name, action: source.audit, from: p.from, to: p.to })}`;
  };

  app.get("/", (c) =>
    periodPage(
      shop,
      c,
      (p) => render(c, <LossPreventionPage report={lossReport(q.counts(p.start, p.end))} period={p} links={linkTo(p)} />),
      (period, message) => <LossPreventionPage report={null} period={period} links={() => ""} message={message} />,
    ),
  );

  app.get("/voids", (c) => {
    const raw = c.req.query("user") ?? "";
    const userId = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null;
    const name = userId === null ? null : q.userName(userId);
    if (name === null) throw new Problem("not_found", "There is no such cashier: open their voids from the loss-prevention report.");
    const p = periodOf(shop, c);
    return render(c, <VoidsPage name={name} rows={q.voids(userId!, p.start, p.end)} period={p} />);
  });
  return app;
}

function stockMovementRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const q = stockMovementQueries(shop.db);
  const reportOf = (p: ReportPeriod) => stockMovement(q.onHand(p.start, p.end), p.days);

  app.get("/", (c) =>
    periodPage(
      shop,
      c,
      (p) => {
        const report = reportOf(p);
        const lastSold = Object.fromEntries(report.dead.slice(0, 500).map((i) => [i.productId, q.lastSold(i.productId)]));
        return render(c, <StockMovementPage report={report} period={p} lastSold={lastSold} />);
      },
      (period, message) => <StockMovementPage report={null} period={period} lastSold={{}} message={message} />,
    ),
  );

  const csv = (c: C, name: string, body: string) =>
    c.body(body, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store" });
  const qty = (milli: number) => (milli / 1000).toFixed(3);

  app.get("/dead.csv", (c) => {
    const p = periodOf(shop, c);
    const rows = reportOf(p).dead.map((i) => [i.sku, i.name, i.category, qty(i.stockMilli), i.cost, i.valueAtCost, q.lastSold(i.productId)]);
    return csv(
      c,
      `dead-stock-${p.from}-${p.to}.csv`,
      csvTable(["sku", "name", "category", "on_hand", "unit_cost_minor", "value_at_cost_minor", "last_sold"], rows),
    );
  });

  app.get("/slow.csv", (c) => {
    const p = periodOf(shop, c);
    const rows = reportOf(p).slow.map((i) => [
      i.sku,
      i.name,
      i.category,
      qty(i.soldMilli),
      i.perDay.toFixed(3),
      qty(i.stockMilli),
      Math.round(i.daysOfCover),
      i.valueAtCost,
    ]);
    return csv(
      c,
      `slow-movers-${p.from}-${p.to}.csv`,
      csvTable(["sku", "name", "category", "sold", "per_day", "on_hand", "days_of_stock", "value_at_cost_minor"], rows),
    );
  });
  return app;
}
