// Reports pages (/reports) for every signed-in role: one view at a time with the period before beside it, each table as
// CSV (/reports/export.csv with the same query), and the drill-down store → day → sale. A person limited to some stores
// sees only theirs: the store list, the figures and the drill-down (another store is one head office does not know).
import { type Context, Hono } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { csvTable } from "../../../server/platform/http/csv.ts";
import { render } from "../../../server/platform/http/render.ts";
import { ReportsPage, type ReportsView } from "../../../views/hq/reports.tsx";
import { DaySalesPage, SalePage } from "../../../views/hq/reports-sales.tsx";
import { type HqDeps, type HqEnv, requireRole } from "../people/guard.ts";
import { storeFilterOf, storesIn } from "../people/store-filter.ts";
import { shiftDay } from "../stores/overview.ts";
import { PERIOD_NAMES } from "./period.ts";
import { byCategory, byDay, byHour, byProduct, byStore, byTender, moversByCategory, saleDetail, salesOfDay } from "./queries.ts";
import { dayParam, REPORT_VIEWS, type ReportRequest, reportRequest, storeParam, viewParam } from "./request.ts";
import { categoryTable, csvOf, dayTable, hourTable, productTable, storeTable, tenderTable, VIEW_TITLES } from "./tables.ts";

const PERIOD_LABELS: Record<string, string> = {
  today: "Today",
  yesterday: "Yesterday",
  week: "This week",
  month: "This month",
  last30: "Last 30 days",
  year: "This year",
  custom: "Custom (from–to)",
};
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The address of a report with this request's period and store, another view or store when given. */
function hrefOf(r: ReportRequest, change: Record<string, string | null>, path = "/reports"): string {
  const p = new URLSearchParams();
  if (r.period.name === "custom") {
    p.set("from", r.period.from);
    p.set("to", r.period.to);
  } else p.set("period", r.period.name);
  if (r.scope.store) p.set("store", r.scope.store);
  for (const [k, v] of Object.entries(change)) {
    if (v === null) p.delete(k);
    else p.set(k, v);
  }
  return `${path}?${p}`;
}

export function reportRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<HqEnv>();
  app.use(requireRole("viewer"));

  const storeNames = async (c: Context<HqEnv>) =>
    sql<{ value: string; label: string }[]>`
      SELECT store_id::text AS value, name AS label FROM stores WHERE true ${storesIn(sql, storeFilterOf(c), "store_id")} ORDER BY name`;

  /** The view's table, chart data and notes for this request. */
  async function build(c: Context<HqEnv>, r: ReportRequest, view: string): Promise<Partial<ReportsView>> {
    const links = {
      days: (store: string) => hrefOf(r, { view: "days", store }),
      sales: (day: string) => (r.scope.store ? `/reports/sales?store=${r.scope.store}&day=${day}` : undefined),
    };
    switch (view) {
      case "products":
        return { table: productTable(...(await Promise.all([byProduct(sql, r.scope), byProduct(sql, r.previousScope)]))) };
      case "categories":
        return { table: categoryTable(...(await Promise.all([byCategory(sql, r.scope), byCategory(sql, r.previousScope)]))) };
      case "stores": {
        const [now, before] = await Promise.all([byStore(sql, r.scope), byStore(sql, r.previousScope)]);
        return { table: storeTable(now, before, links), note: "Pick a store to see its days, then a day to see its sales." };
      }
      case "days": {
        const [now, before] = await Promise.all([byDay(sql, r.scope), byDay(sql, r.previousScope)]);
        const shift = Math.round((Date.parse(r.period.from) - Date.parse(r.previous.from)) / 86_400_000);
        const note = r.scope.store ? "Pick a day to see its sales." : "Choose a store to open a day's sales.";
        return { table: dayTable(now, before, links, (d) => shiftDay(d, -shift)), note };
      }
      case "hours": {
        const [now, before] = await Promise.all([byHour(sql, r.scope), byHour(sql, r.previousScope)]);
        return { table: hourTable(now, before), heat: now, note: "Baskets by weekday and hour, each store's on its own clock." };
      }
      case "tenders":
        return { table: tenderTable(...(await Promise.all([byTender(sql, r.scope), byTender(sql, r.previousScope)]))) };
      case "movers":
        return { movers: moversByCategory(await byProduct(sql, r.scope)), note: "By quantity sold in the period, in each category of the catalog." };
      default: {
        const other = storeParam(c, c.req.query("other"));
        if (!r.scope.store || !other) {
          return { note: "Choose a store and another to set against it, then Show." };
        }
        const [a, b, names] = await Promise.all([
          byDay(sql, r.scope),
          byDay(sql, { ...r.scope, store: other }),
          sql<{ id: string; name: string }[]>`SELECT store_id::text AS id, name FROM stores WHERE store_id IN (${r.scope.store}::uuid, ${other}::uuid)`,
        ]);
        const name = (id: string) => names.find((n) => n.id === id)?.name ?? id;
        const days = [...new Set([...a, ...b].map((x) => x.business_day))].sort();
        const net = (list: typeof a, d: string) => list.find((x) => x.business_day === d)?.net_minor ?? 0;
        return { compare: { a: name(r.scope.store), b: name(other), rows: days.map((d) => ({ business_day: d, a: net(a, d), b: net(b, d) })) } };
      }
    }
  }

  app.get("/", async (c) => {
    const r = reportRequest(c, deps);
    const v = c.req.query("view") === "compare" ? "compare" : viewParam(c.req.query("view"));
    const [built, stores] = await Promise.all([build(c, r, v), storeNames(c)]);
    const data: ReportsView = {
      view: v,
      title: VIEW_TITLES[v],
      views: [...REPORT_VIEWS, "compare" as const].map((x) => ({ view: x, title: VIEW_TITLES[x], href: hrefOf(r, { view: x }) })),
      period: r.period,
      previous: r.previous,
      periods: [...PERIOD_NAMES, "custom"].map((x) => ({ value: x, label: PERIOD_LABELS[x] ?? x })),
      stores: [...stores],
      store: r.scope.store ?? null,
      other: c.req.query("other") ?? null,
      csvHref: built.table ? hrefOf(r, { view: v }, "/reports/export.csv") : null,
      ...built,
    };
    return render(c, <ReportsPage data={data} />);
  });

  app.get("/export.csv", async (c) => {
    const r = reportRequest(c, deps);
    const v = viewParam(c.req.query("view"));
    if (v === "movers") throw new Problem("invalid_request", "Top and slow movers have no CSV: export the products view instead.", { field: "view" });
    const built = await build(c, r, v);
    const { head, rows } = csvOf(built.table!, deps.currency);
    const name = `hq-report-${v}-${r.period.from}-${r.period.to}.csv`;
    return c.body(csvTable(head, rows), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` });
  });

  const nameOf = async (store: string) => (await sql<{ name: string }[]>`SELECT name FROM stores WHERE store_id = ${store}::uuid`)[0]?.name ?? null;

  app.get("/sales", async (c) => {
    const store = storeParam(c, c.req.query("store"));
    if (!store) throw new Problem("invalid_request", "Choose the store whose sales to show.", { field: "store" });
    const day = dayParam(c.req.query("day"));
    const name = await nameOf(store);
    if (name === null) throw new Problem("store_not_found", "This store is not registered at head office.");
    const sales = (await salesOfDay(sql, store, day)).map((s) => ({ ...s, href: `/reports/sales/${s.sale_id}?store=${store}&day=${day}` }));
    // back to the store's days of that month
    const [y, m] = day.split("-").map(Number) as [number, number];
    const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    const back = `/reports?view=days&store=${store}&from=${day.slice(0, 7)}-01&to=${monthEnd}`;
    return render(c, <DaySalesPage store={name} day={day} back={back} sales={sales} />);
  });

  app.get("/sales/:sale", async (c) => {
    const store = storeParam(c, c.req.query("store"));
    if (!store) throw new Problem("invalid_request", "Choose the store whose sale to show.", { field: "store" });
    const day = dayParam(c.req.query("day"));
    const id = c.req.param("sale");
    const sale = uuid.test(id) ? await saleDetail(sql, store, day, id) : null;
    const name = await nameOf(store);
    if (!sale || name === null) throw new Problem("sale_not_found", "Head office holds no such sale of this store on this day.");
    return render(c, <SalePage store={name} back={`/reports/sales?store=${store}&day=${day}`} sale={sale} />);
  });
  return app;
}
