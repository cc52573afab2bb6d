// A report's table as CSV for spreadsheets: the same rows and figures as the page, each figure beside its value the
// period before; money as plain decimals (12.50), items as quantities, margin % with one decimal.
import { minorToDecimal } from "../../domain/kernel/money.ts";
import type { Figures } from "../../domain/reports/figures.ts";
import { type Column, columnsOf, type ReportData, VIEW_NAMES } from "../../views/reports/page.tsx";
import { csvTable } from "../platform/http/csv.ts";

function cell(c: Column, f: Figures, digits: number): string | number | null {
  const v = c.value(f);
  if (v === null) return null;
  switch (c.kind) {
    case "money":
      return minorToDecimal(v, digits);
    case "count":
      return v;
    case "items":
      return v / 1000;
    case "percent":
      return (v / 100).toFixed(1);
  }
}

export function reportCsv(data: ReportData, digits: number): string {
  const columns = columnsOf(data.view);
  const name = VIEW_NAMES.find(([v]) => v === data.view)?.[1] ?? data.view;
  const row = (label: string, now: Figures, before: Figures) => [label, ...columns.flatMap((c) => [cell(c, now, digits), cell(c, before, digits)])];
  return csvTable(
    [name.toLowerCase(), ...columns.flatMap((c) => [c.csv, `${c.csv}_previous`])],
    [...data.report.lines.map((l) => row(l.label, l.now, l.before)), row("Total", data.report.total.now, data.report.total.before)],
  );
}
