// One report as its page and its CSV show it: the view's rows this period and the period before, named in shop
// words, the heatmap of the hour of the week, and the chart's series.
import { minorToDecimal } from "../../domain/kernel/money.ts";
import { type Figures, noSums, type SumsRow } from "../../domain/reports/figures.ts";
import { hourOfWeek, intensity, WEEKDAYS } from "../../domain/reports/heatmap.ts";
import { type Period, previousPeriod } from "../../domain/reports/period.ts";
import { compareRows, type Report } from "../../domain/reports/report.ts";
import type { ReportChart, ReportData } from "../../views/reports/page.tsx";
import type { ReportQueries, ReportView } from "./queries.ts";

const tenderNames: Record<string, string> = { cash: "Cash", card: "Card", voucher: "Store credit" };

/** What a row is called when the database has no name for it. */
function labelOf(view: ReportView, key: string, label: string): string {
  switch (view) {
    case "product":
      return label || `Product ${key}`;
    case "category":
      return key === "" ? "No category" : label || `Category ${key}`;
    case "cashier":
      return key === "" ? "No cashier (sold through the API)" : label || `User ${key}`;
    case "register":
      return label || `Register ${key}`;
    case "tender":
      return tenderNames[key] ?? key;
    case "tax-rate":
      return key === "" ? "Rate not recorded" : `${Number(key) / 100} %`;
    case "hour": {
      const n = Number(key);
      const h = n % 24;
      return `${WEEKDAYS[Math.floor(n / 24)]} ${String(h).padStart(2, "0")}:00–${String(h + 1).padStart(2, "0")}:00`;
    }
    default: {
      const never: never = view;
      throw new Error(`unknown view ${never}`);
    }
  }
}

/** The hour of the week's 168 cells as rows keyed by weekday × 24 + hour; only the hours with sales or returns. */
function hourRows(slots: SumsRow[], timeZone: string): SumsRow[] {
  return hourOfWeek(
    slots.map((s) => ({ slot: s.key, sums: s.sums })),
    timeZone,
  )
    .filter((c) => c.sums !== noSums)
    .map((c) => ({ key: String(c.weekday * 24 + c.hour), label: "", sums: c.sums }));
}

const CHART_ROWS = 15;

function chartOf(view: ReportView, report: Report, digits: number): ReportChart {
  const major = (m: number) => Number(minorToDecimal(m, digits));
  if (view === "hour") {
    // by hour of the day, every weekday together: a line a shop reads as its day's rhythm
    const byHour = (pick: (f: Figures) => number, which: "now" | "before") => {
      const out = Array.from({ length: 24 }, () => 0);
      for (const l of report.lines) out[Number(l.key) % 24]! += pick(l[which]);
      return out.map(major);
    };
    return {
      kind: "line",
      title: "Net by hour of the day",
      labels: Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`),
      now: byHour((f) => f.net, "now"),
      before: byHour((f) => f.net, "before"),
    };
  }
  const top = report.lines.slice(0, CHART_ROWS);
  return {
    kind: "bars",
    title: top.length < report.lines.length ? `Net, the top ${CHART_ROWS}` : "Net",
    labels: top.map((l) => l.label),
    now: top.map((l) => major(view === "tender" ? l.now.gross - l.now.refunds : l.now.net)),
    before: top.map((l) => major(view === "tender" ? l.before.gross - l.before.refunds : l.before.net)),
  };
}

/** The report of `view` over `period`, beside the period before. */
export function buildReport(q: ReportQueries, view: ReportView, period: Period, timeZone: string, digits: number): ReportData {
  const previous = previousPeriod(period);
  const rowsOf = (p: Period) => {
    const rows = q.rows(view, p.from, p.to);
    return view === "hour" ? hourRows(rows, timeZone) : rows;
  };
  const named = (rows: SumsRow[]) => rows.map((r) => ({ ...r, label: labelOf(view, r.key, r.label) }));
  const report = compareRows(
    named(rowsOf(period)),
    named(rowsOf(previous)),
    { now: q.baskets(period.from, period.to), before: q.baskets(previous.from, previous.to) },
    view === "hour" || view === "tax-rate" ? "key-number" : "net",
  );
  let heatmap: ReportData["heatmap"] = null;
  if (view === "hour") {
    const net = new Map(report.lines.map((l) => [Number(l.key), l.now]));
    const max = Math.max(0, ...report.lines.map((l) => l.now.net));
    heatmap = Array.from({ length: 168 }, (_, i) => {
      const f = net.get(i);
      return { weekday: Math.floor(i / 24), hour: i % 24, net: f?.net ?? 0, baskets: f?.baskets ?? 0, level: intensity(f?.net ?? 0, max) };
    });
  }
  return { view, period, previous, report, heatmap, chart: chartOf(view, report, digits) };
}
