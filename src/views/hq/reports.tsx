// Head office's reports (/reports): a period picker with the period before beside it, one view at a time (product,
// category, store, day, hour of the week, tender, top and slow movers, store against store), a chart where a picture
// reads faster, and every table as CSV. Server-rendered SVG and classes from hq.css: nothing inline, the strict CSP holds.
import { type Locale, money, quantity, day as shortDay } from "../ui/format.ts";
import { useHqPage } from "./context.ts";
import { HqPage } from "./layout.tsx";
import { change } from "./overview-parts.tsx";

export type ColumnKind = "text" | "money" | "qty" | "count";
export type Column = { label: string; kind: ColumnKind };
export type TableRow = { key: string; cells: (string | number | null)[]; href?: string | undefined; net: number; before: number | null };
export type ReportTable = { columns: Column[]; rows: TableRow[]; totals: (number | null)[] | null };
export type HeatCell = { weekday: number; hour: number; baskets: number; net_minor: number };
export type MoverItem = { sku: string; name: string; qty_milli: number; net_minor: number };
export type Movers = { category: string | null; top: MoverItem[]; slow: MoverItem[] }[];
export type CompareRow = { business_day: string; a: number; b: number };
export type ReportChoice = { value: string; label: string };

export type ReportsView = {
  view: string;
  title: string;
  views: { view: string; title: string; href: string }[];
  period: { from: string; to: string; name: string };
  previous: { from: string; to: string };
  periods: ReportChoice[];
  stores: ReportChoice[];
  store: string | null;
  other?: string | null;
  csvHref: string | null;
  table?: ReportTable;
  heat?: HeatCell[];
  movers?: Movers;
  compare?: { a: string; b: string; rows: CompareRow[] };
  note?: string;
};

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function cell(kind: ColumnKind, v: string | number | null, l: Locale) {
  if (v === null) return "";
  if (kind === "money") return money(Number(v), l);
  if (kind === "qty") return quantity(Number(v), false);
  if (kind === "count") return Number(v).toLocaleString("en-GB");
  return String(v);
}

function Picker(p: { data: ReportsView }) {
  const d = p.data;
  return (
    <form method="get" action="/reports" class="search filters" data-testid="period-picker">
      <input type="hidden" name="view" value={d.view} />
      <label>
        Period
        <select name="period" data-testid="period">
          {d.periods.map((c) => (
            <option value={c.value} selected={c.value === d.period.name}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        From <input type="date" name="from" value={d.period.name === "custom" ? d.period.from : ""} data-testid="from" />
      </label>
      <label>
        To <input type="date" name="to" value={d.period.name === "custom" ? d.period.to : ""} data-testid="to" />
      </label>
      <label>
        Store
        <select name="store" data-testid="store">
          <option value="">Every store</option>
          {d.stores.map((s) => (
            <option value={s.value} selected={s.value === d.store}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {d.view === "compare" && (
        <label>
          Against
          <select name="other" data-testid="other">
            {d.stores.map((s) => (
              <option value={s.value} selected={s.value === d.other}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit">Show</button>
      <small class="figure-before">
        For a chosen period, set Period to Custom. {shortDay(d.period.from)} to {shortDay(d.period.to)}, beside {shortDay(d.previous.from)} to{" "}
        {shortDay(d.previous.to)}.
      </small>
    </form>
  );
}

const W = 640;
const BAR = 16;

/** The first rows' net as bars, the period before as a thin bar under each. */
function BarChart(p: { table: ReportTable; label: number; l: Locale }) {
  const rows = p.table.rows.slice(0, 12);
  if (rows.length === 0) return null;
  const top = Math.max(1, ...rows.map((r) => Math.max(Math.abs(r.net), Math.abs(r.before ?? 0))));
  const H = rows.length * (BAR + 10) + 4;
  const x0 = 200;
  const wide = (v: number) => Math.max(1, (Math.abs(v) / top) * (W - x0 - 110));
  return (
    <figure class="net-chart" data-testid="report-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Net by row, the period before beneath" class="chart">
        {rows.map((r, i) => {
          const y = i * (BAR + 10) + 2;
          const name = String(r.cells[p.label] ?? r.key).slice(0, 28);
          return (
            <g data-key={r.key} data-net={r.net}>
              <title>
                {name}: net {money(r.net, p.l)}, before {money(r.before ?? 0, p.l)}
              </title>
              <text x={x0 - 6} y={y + BAR - 4} class="chart-label bar-label">
                {name}
              </text>
              <rect x={x0} y={y} width={wide(r.net)} height={BAR - 5} class={`chart-bar${r.net < 0 ? " negative" : ""}`} />
              <rect x={x0} y={y + BAR - 4} width={wide(r.before ?? 0)} height={4} class="chart-bar before" />
              <text x={x0 + wide(r.net) + 6} y={y + BAR - 6} class="chart-label bar-value">
                {money(r.net, p.l)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>Net (sales less refunds) of the first {rows.length} rows; the thin bar is the period before.</figcaption>
    </figure>
  );
}

function Table(p: { table: ReportTable; l: Locale }) {
  const { table, l } = p;
  if (table.rows.length === 0)
    return (
      <p class="empty" data-testid="report-empty">
        Nothing was sold or returned in this period.
      </p>
    );
  return (
    <table class="grid" data-testid="report-table">
      <thead>
        <tr>
          {table.columns.map((c) => (
            <th class={c.kind === "text" ? undefined : "num"}>{c.label}</th>
          ))}
          <th class="num">Net, period before</th>
          <th class="num">Change</th>
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r) => {
          const c = change(r.net, r.before ?? 0);
          return (
            <tr data-testid="report-row" data-key={r.key}>
              {r.cells.map((v, i) => {
                const col = table.columns[i]!;
                const text = cell(col.kind, v, l);
                return <td class={col.kind === "text" ? undefined : "num"}>{i === 0 && r.href ? <a href={r.href}>{text}</a> : text}</td>;
              })}
              <td class="num">{money(r.before ?? 0, l)}</td>
              <td class="num">
                <span class={`change ${c.kind}`}>{c.text}</span>
              </td>
            </tr>
          );
        })}
      </tbody>
      {table.totals && (
        <tfoot>
          <tr data-testid="report-totals">
            {table.totals.map((v, i) => (
              <th class={i === 0 ? undefined : "num"}>{i === 0 ? "Total" : cell(table.columns[i]!.kind, v, l)}</th>
            ))}
            <th class="num">
              {money(
                table.rows.reduce((s, r) => s + (r.before ?? 0), 0),
                l,
              )}
            </th>
            <th />
          </tr>
        </tfoot>
      )}
    </table>
  );
}

/** Weekday by hour: the deeper the colour, the more baskets. */
function Heatmap(p: { cells: HeatCell[]; l: Locale }) {
  const at = new Map(p.cells.map((c) => [`${c.weekday}-${c.hour}`, c]));
  const most = Math.max(1, ...p.cells.map((c) => c.baskets));
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return (
    <table class="heatmap" data-testid="heatmap" aria-label="Baskets by weekday and hour">
      <thead>
        <tr>
          <th />
          {hours.map((h) => (
            <th>{String(h).padStart(2, "0")}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {WEEKDAYS.map((name, i) => (
          <tr>
            <th>{name}</th>
            {hours.map((h) => {
              const c = at.get(`${i + 1}-${h}`);
              const level = c ? Math.min(9, Math.ceil((c.baskets / most) * 9)) : 0;
              return (
                <td
                  class={`heat-${level}`}
                  data-cell={`${i + 1}-${h}`}
                  data-baskets={c?.baskets ?? 0}
                  title={c ? `${name} ${h}:00 — ${c.baskets} baskets, net ${money(c.net_minor, p.l)}` : ""}
                >
                  {c ? c.baskets : ""}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MoverList(p: { items: MoverItem[]; l: Locale }) {
  return (
    <ol>
      {p.items.map((m) => (
        <li>
          <code>{m.sku}</code> {m.name}: {quantity(m.qty_milli, false)} sold, net {money(m.net_minor, p.l)}
        </li>
      ))}
    </ol>
  );
}

function MoversView(p: { movers: Movers; l: Locale }) {
  if (p.movers.length === 0) return <p class="empty">Nothing was sold in this period.</p>;
  return (
    <div class="movers" data-testid="movers">
      {p.movers.map((m) => (
        <section data-testid="movers-category">
          <h2>{m.category ?? "No category"}</h2>
          <div class="movers-pair">
            <div>
              <h3>Top movers</h3>
              <MoverList items={m.top} l={p.l} />
            </div>
            <div>
              <h3>Slow movers</h3>
              {m.slow.length === 0 ? <p class="empty">Every product of it is among the top ones.</p> : <MoverList items={m.slow} l={p.l} />}
            </div>
          </div>
        </section>
      ))}
    </div>
  );
}

function CompareView(p: { compare: NonNullable<ReportsView["compare"]>; l: Locale }) {
  const { a, b, rows } = p.compare;
  const sum = (k: "a" | "b") => rows.reduce((s, r) => s + r[k], 0);
  return (
    <table class="grid" data-testid="compare-table">
      <thead>
        <tr>
          <th>Business day</th>
          <th class="num">Net, {a}</th>
          <th class="num">Net, {b}</th>
          <th class="num">Difference</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr data-testid="compare-row" data-key={r.business_day}>
            <td>{r.business_day}</td>
            <td class="num">{money(r.a, p.l)}</td>
            <td class="num">{money(r.b, p.l)}</td>
            <td class="num">{money(r.a - r.b, p.l)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th>Total</th>
          <th class="num">{money(sum("a"), p.l)}</th>
          <th class="num">{money(sum("b"), p.l)}</th>
          <th class="num">{money(sum("a") - sum("b"), p.l)}</th>
        </tr>
      </tfoot>
    </table>
  );
}

export function ReportsPage(p: { data: ReportsView }) {
  const d = p.data;
  const { currency, timeZone } = useHqPage();
  const l: Locale = { currency, timeZone };
  return (
    <HqPage title={`Reports: ${d.title}`} active="reports">
      <h1>Reports</h1>
      <nav class="tabs" aria-label="Reports" data-testid="report-views">
        {d.views.map((v) => (
          <a href={v.href} aria-current={v.view === d.view ? "page" : undefined}>
            {v.title}
          </a>
        ))}
      </nav>
      <Picker data={d} />
      <h2>{d.title}</h2>
      {d.note && <p class="figure-before">{d.note}</p>}
      {d.table && d.view !== "hours" && <BarChart table={d.table} label={d.view === "products" ? 1 : 0} l={l} />}
      {d.heat && <Heatmap cells={d.heat} l={l} />}
      {d.movers && <MoversView movers={d.movers} l={l} />}
      {d.compare && <CompareView compare={d.compare} l={l} />}
      {d.csvHref && (
        <p class="actions">
          <a class="button" href={d.csvHref} data-testid="report-csv">
            Download CSV
          </a>
        </p>
      )}
      {d.table && <Table table={d.table} l={l} />}
    </HqPage>
  );
}
