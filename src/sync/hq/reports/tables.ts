// Each report as one table: its columns, its rows with the period before beside them, and where each row leads. The
// page shows it and the CSV export writes it, from the same columns, so the file is what the table shows.
import { currencyDigits, minorToDecimal } from "../../../domain/kernel/money.ts";
import type { CsvCell } from "../../../server/platform/http/csv.ts";
import type { Column, ColumnKind, ReportTable, TableRow } from "../../../views/hq/reports.tsx";
import type { CategoryRow, DayRow, HourCell, ProductRow, StoreRow, TenderRow } from "./queries.ts";
import type { ReportView } from "./request.ts";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const weekdayName = (n: number) => WEEKDAYS[n - 1] ?? String(n);

const sales: Column[] = [
  { label: "Quantity", kind: "qty" },
  { label: "Gross", kind: "money" },
  { label: "Discounts", kind: "money" },
  { label: "Sales", kind: "money" },
  { label: "Tax", kind: "money" },
  { label: "Refunds", kind: "money" },
  { label: "Net", kind: "money" },
];
const salesCells = (r: ProductRow | CategoryRow) => [r.qty_milli, r.gross_minor, r.discount_minor, r.sales_minor, r.tax_minor, r.refund_minor, r.net_minor];

const baskets: Column[] = [
  { label: "Baskets", kind: "count" },
  { label: "Items", kind: "qty" },
  { label: "Average basket", kind: "money" },
  { label: "Gross", kind: "money" },
  { label: "Discounts", kind: "money" },
  { label: "Sales", kind: "money" },
  { label: "Tax", kind: "money" },
  { label: "Returns", kind: "count" },
  { label: "Refunds", kind: "money" },
  { label: "Net", kind: "money" },
];
const basketCells = (r: StoreRow | DayRow) => [
  r.baskets,
  r.items_milli,
  r.avg_basket_minor,
  r.gross_minor,
  r.discount_minor,
  r.sales_minor,
  r.tax_minor,
  r.returns,
  r.refund_minor,
  r.net_minor,
];

/** Sums of the number columns (null under text and averages). */
function totalsOf(columns: Column[], rows: TableRow[]): (number | null)[] {
  return columns.map((c, i) => (c.kind === "text" || c.label === "Average basket" ? null : rows.reduce((s, r) => s + Number(r.cells[i] ?? 0), 0)));
}

function table<R>(
  columns: Column[],
  now: readonly R[],
  before: readonly R[],
  key: (r: R) => string,
  cells: (r: R) => (string | number | null)[],
  net: (r: R) => number,
  href?: (r: R) => string,
) {
  const prior = new Map(before.map((r) => [key(r), net(r)]));
  const rows: TableRow[] = now.map((r) => ({ key: key(r), cells: cells(r), href: href?.(r), net: net(r), before: prior.get(key(r)) ?? 0 }));
  return { columns, rows, totals: totalsOf(columns, rows) };
}

export type Links = { days: (store: string) => string; sales: (day: string) => string | undefined };

export function productTable(now: readonly ProductRow[], before: readonly ProductRow[]): ReportTable {
  const cols: Column[] = [{ label: "SKU", kind: "text" }, { label: "Product", kind: "text" }, { label: "Category", kind: "text" }, ...sales];
  return table(
    cols,
    now,
    before,
    (r) => r.sku,
    (r) => [r.sku, r.name, r.category ?? "", ...salesCells(r)],
    (r) => r.net_minor,
  );
}

export function categoryTable(now: readonly CategoryRow[], before: readonly CategoryRow[]): ReportTable {
  const cols: Column[] = [{ label: "Category", kind: "text" }, { label: "Products", kind: "count" }, ...sales];
  const name = (r: CategoryRow) => r.category ?? "No category";
  return table(
    cols,
    now,
    before,
    name,
    (r) => [name(r), r.products, ...salesCells(r)],
    (r) => r.net_minor,
  );
}

export function storeTable(now: readonly StoreRow[], before: readonly StoreRow[], links: Links): ReportTable {
  const cols: Column[] = [{ label: "Store", kind: "text" }, ...baskets];
  return table(
    cols,
    now,
    before,
    (r) => r.store_id,
    (r) => [r.name, ...basketCells(r)],
    (r) => r.net_minor,
    (r) => links.days(r.store_id),
  );
}

export function dayTable(now: readonly DayRow[], before: readonly DayRow[], links: Links, shift: (day: string) => string): ReportTable {
  const cols: Column[] = [{ label: "Business day", kind: "text" }, ...baskets];
  // the day before is the same place in the period before: its first day beside this period's first day
  const prior = new Map(before.map((r) => [r.business_day, r]));
  const rows = now.map((r) => ({
    key: r.business_day,
    cells: [r.business_day, ...basketCells(r)],
    href: links.sales(r.business_day),
    net: r.net_minor,
    before: prior.get(shift(r.business_day))?.net_minor ?? 0,
  }));
  return { columns: cols, rows, totals: totalsOf(cols, rows) };
}

export function hourTable(now: readonly HourCell[], before: readonly HourCell[]): ReportTable {
  const cols: Column[] = [
    { label: "Weekday", kind: "text" },
    { label: "Hour", kind: "text" },
    { label: "Baskets", kind: "count" },
    { label: "Sales", kind: "money" },
    { label: "Net", kind: "money" },
  ];
  const key = (r: HourCell) => `${r.weekday}-${r.hour}`;
  const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;
  return table(
    cols,
    now,
    before,
    key,
    (r) => [weekdayName(r.weekday), hh(r.hour), r.baskets, r.sales_minor, r.net_minor],
    (r) => r.net_minor,
  );
}

export function tenderTable(now: readonly TenderRow[], before: readonly TenderRow[]): ReportTable {
  const cols: Column[] = [
    { label: "Tender", kind: "text" },
    { label: "Payments", kind: "count" },
    { label: "Tendered", kind: "money" },
    { label: "Change given", kind: "money" },
    { label: "Refunds", kind: "count" },
    { label: "Refunded", kind: "money" },
    { label: "Net", kind: "money" },
  ];
  return table(
    cols,
    now,
    before,
    (r) => r.method,
    (r) => [r.method, r.payments, r.paid_minor, r.change_minor, r.refunds, r.refunded_minor, r.net_minor],
    (r) => r.net_minor,
  );
}

/** A cell as the CSV writes it: money as a decimal in the currency's digits, quantities in units. */
export function csvCell(kind: ColumnKind, v: string | number | null, currency: string): CsvCell {
  if (v === null) return null;
  if (kind === "money") return minorToDecimal(Number(v), currencyDigits(currency));
  if (kind === "qty") return Number(v) / 1000;
  return v;
}

export function csvOf(t: ReportTable, currency: string): { head: string[]; rows: CsvCell[][] } {
  const head = [...t.columns.map((c) => c.label), "Net, period before"];
  const rows = t.rows.map((r) => [...r.cells.map((v, i) => csvCell(t.columns[i]!.kind, v, currency)), csvCell("money", r.before, currency)]);
  return { head, rows };
}

export const VIEW_TITLES: Record<ReportView | "compare", string> = {
  products: "By product",
  categories: "By category",
  stores: "By store",
  days: "By day",
  hours: "Hour of the week",
  tenders: "By tender",
  movers: "Top and slow movers",
  compare: "Store against store",
};
