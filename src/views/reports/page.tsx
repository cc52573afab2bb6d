// The store's reports as a manager reads them: a period, a view (by product, category, cashier, register, tender, tax
// rate, hour of the week), a chart, the table with the period before beside each figure, and its CSV.
import type { Figures } from "../../domain/reports/figures.ts";
import { WEEKDAYS } from "../../domain/reports/heatmap.ts";
import type { Period } from "../../domain/reports/period.ts";
import type { Report } from "../../domain/reports/report.ts";
import { usePage } from "../ui/context.ts";
import { day, type Locale, money } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

/** A chart as static/reports.js draws it with uPlot: bars per row, or a line per hour; this period and the one before. */
export type ReportChart = { kind: "bars" | "line"; title: string; labels: string[]; now: number[]; before: number[] };
export type HeatCell = { weekday: number; hour: number; net: number; baskets: number; level: number };
export type ReportData = { view: string; period: Period; previous: Period; report: Report; heatmap: HeatCell[] | null; chart: ReportChart };

export const VIEW_NAMES: [view: string, label: string][] = [
  ["product", "Products"],
  ["category", "Categories"],
  ["cashier", "Cashiers"],
  ["register", "Registers"],
  ["tender", "Tenders"],
  ["tax-rate", "Tax rates"],
  ["hour", "Hour of the week"],
];

/** The store's other reports, each a page of its own. */
const MORE_REPORTS: [href: string, label: string][] = [
  ["/reports/loss-prevention", "Loss prevention"],
  ["/reports/stock-movement", "Dead stock and slow movers"],
  ["/reports/bought-together", "Bought together"],
  ["/reports/shifts", "Closed shifts (Z reports)"],
];

const PERIODS: [value: string, label: string][] = [
  ["today", "Today"],
  ["yesterday", "Yesterday"],
  ["week", "This week"],
  ["month", "This month"],
  ["custom", "From – to"],
];

/** A column of the table: its heading, how a figure reads, and the CSV's name for it. */
export type Column = { head: string; csv: string; value: (f: Figures) => number | null; kind: "money" | "count" | "items" | "percent" };

const goodsColumns: Column[] = [
  { head: "Gross", csv: "gross", value: (f) => f.gross, kind: "money" },
  { head: "Discounts", csv: "discounts", value: (f) => f.discounts, kind: "money" },
  { head: "Refunds", csv: "refunds", value: (f) => f.refunds, kind: "money" },
  { head: "Net", csv: "net", value: (f) => f.net, kind: "money" },
  { head: "Tax", csv: "tax", value: (f) => f.tax, kind: "money" },
  { head: "Items", csv: "items", value: (f) => f.itemsMilli, kind: "items" },
  { head: "Baskets", csv: "baskets", value: (f) => f.baskets, kind: "count" },
  { head: "Avg basket", csv: "average_basket", value: (f) => f.averageBasket, kind: "money" },
  { head: "Margin", csv: "margin", value: (f) => f.margin, kind: "money" },
  { head: "Margin %", csv: "margin_percent", value: (f) => f.marginBp, kind: "percent" },
];

/** Money by tender: what each took at the till (change given back in cash taken off), what went back, what stayed. */
const tenderColumns: Column[] = [
  { head: "Taken", csv: "taken", value: (f) => f.gross, kind: "money" },
  { head: "Refunded", csv: "refunded", value: (f) => f.refunds, kind: "money" },
  { head: "Kept", csv: "kept", value: (f) => f.gross - f.refunds, kind: "money" },
  { head: "Baskets", csv: "baskets", value: (f) => f.baskets, kind: "count" },
  { head: "Avg basket", csv: "average_basket", value: (f) => f.averageBasket, kind: "money" },
];

export const columnsOf = (view: string): Column[] => (view === "tender" ? tenderColumns : goodsColumns);

/** A figure as the table shows it; "—" where there is none (no cost known, no basket). */
export function shown(c: Column, v: number | null, l: Locale): string {
  if (v === null) return "—";
  switch (c.kind) {
    case "money":
      return money(v, l);
    case "count":
      return String(v);
    case "items":
      return String(v / 1000);
    case "percent":
      return `${(v / 100).toFixed(1)} %`;
  }
}

/** The rows a page lists, the busiest first; the CSV has every row. */
export const PAGE_ROWS = 100;

const periodText = (p: Period) => (p.from === p.to ? day(p.from) : `${day(p.from)} – ${day(p.to)}`);

function Cell({ c, now, before }: { c: Column; now: Figures; before: Figures }) {
  const { locale } = usePage();
  return (
    <td class="num">
      <span class="now">{shown(c, c.value(now), locale)}</span>
      <span class="before">{shown(c, c.value(before), locale)}</span>
    </td>
  );
}

function Heatmap({ cells }: { cells: HeatCell[] }) {
  const { locale } = usePage();
  return (
    <table class="heatmap" data-testid="report-heatmap" aria-label="Net by weekday and hour">
      <thead>
        <tr>
          <th></th>
          {Array.from({ length: 24 }, (_, h) => (
            <th scope="col">{String(h).padStart(2, "0")}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {WEEKDAYS.map((name, w) => (
          <tr>
            <th scope="row">{name.slice(0, 3)}</th>
            {cells
              .filter((c) => c.weekday === w)
              .map((c) => (
                <td
                  class={`heat-${c.level}`}
                  title={`${name} ${String(c.hour).padStart(2, "0")}:00 · ${money(c.net, locale)} net · ${c.baskets} baskets`}
                  data-level={c.level}
                ></td>
              ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReportsPage(props: { data: ReportData | null; view: string; ask: { period?: string; from?: string; to?: string }; message?: string }) {
  const { data, view, ask, message } = props;
  const qs = data
    ? new URLSearchParams({ period: data.period.choice, ...(data.period.choice === "custom" ? { from: data.period.from, to: data.period.to } : {}) })
    : null;
  const chosen = data?.period.choice ?? ask.period ?? "today";
  const columns = columnsOf(view);
  // the hours and the rates are listed whole, in their order; other views the busiest first, the rest in the CSV
  const cut = view === "hour" || view === "tax-rate" ? Number.POSITIVE_INFINITY : PAGE_ROWS;
  return (
    <OfficePage title="Reports">
      <link rel="stylesheet" href="/static/uplot.css" />
      <link rel="stylesheet" href="/static/reports.css" />
      <h1>Reports</h1>
      <nav class="report-views" aria-label="Report views">
        {VIEW_NAMES.map(([v, label]) => (
          <a href={`/reports/${v}${qs ? `?${qs}` : ""}`} aria-current={v === view ? "page" : undefined} data-testid={`view-${v}`}>
            {label}
          </a>
        ))}
      </nav>
      <nav class="report-views more" aria-label="More reports">
        {MORE_REPORTS.map(([href, label]) => (
          <a href={href} data-testid={`more-${href.split("/").pop()}`}>
            {label}
          </a>
        ))}
      </nav>
      <form method="get" action={`/reports/${view}`} class="filters" data-testid="report-period">
        <label>
          Period
          <select name="period" data-testid="report-period-choice">
            {PERIODS.map(([v, label]) => (
              <option value={v} selected={v === chosen}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input name="from" type="date" value={data?.period.from ?? ask.from ?? ""} data-testid="report-from" />
        </label>
        <label>
          To <input name="to" type="date" value={data?.period.to ?? ask.to ?? ""} data-testid="report-to" />
        </label>
        <button type="submit">Show</button>
        {data && (
          <a class="button" href={`/reports/${view}.csv?${new URLSearchParams({ from: data.period.from, to: data.period.to })}`} data-testid="report-csv">
            Download CSV
          </a>
        )}
      </form>
      {message || !data ? (
        <p class="message error" role="alert" data-testid="report-message">
          {message}
        </p>
      ) : (
        <>
          <p data-testid="report-summary">
            {periodText(data.period)} ({data.period.days} {data.period.days === 1 ? "day" : "days"}), beside {periodText(data.previous)} in grey. Gross is
            before discounts with tax; net is after discounts and refunds, without tax.
          </p>
          <figure class="report-chart" data-testid="report-chart" data-chart={JSON.stringify(data.chart)}>
            <figcaption>{data.chart.title}</figcaption>
          </figure>
          {data.heatmap && <Heatmap cells={data.heatmap} />}
          <div class="report-table">
            <table class="grid" data-testid="report-table">
              <thead>
                <tr>
                  <th>{VIEW_NAMES.find(([v]) => v === view)?.[1]}</th>
                  {columns.map((c) => (
                    <th class="num">{c.head}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.report.lines.slice(0, cut).map((l) => (
                  <tr data-testid="report-row" data-key={l.key}>
                    <th scope="row">{l.label}</th>
                    {columns.map((c) => (
                      <Cell c={c} now={l.now} before={l.before} />
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="report-total">
                  <th scope="row">Total</th>
                  {columns.map((c) => (
                    <Cell c={c} now={data.report.total.now} before={data.report.total.before} />
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
          {data.report.lines.length === 0 && <p data-testid="report-empty">Nothing sold or returned in either period.</p>}
          {data.report.lines.length > cut && (
            <p data-testid="report-more">
              The busiest {PAGE_ROWS} of {data.report.lines.length} rows; the CSV has them all.
            </p>
          )}
        </>
      )}
      <script src="/static/uplot.js"></script>
      <script src="/static/reports.js"></script>
    </OfficePage>
  );
}
