// The reports' sums read straight from every sale line, payment and return of the period: what the per-day sums the
// reports read (migration 033) must always equal. Slow on a month of a busy shop; the tests' reference.
import type { Database } from "bun:sqlite";
import { noSums, type SumsRow } from "../../src/domain/reports/figures.ts";
import type { ReportView } from "../../src/server/reports/queries.ts";

type Keyed = { key: string | number | null; label: string | null };
type SaleRow = Keyed & {
  sold: number;
  discounts: number;
  sales_tax: number;
  items_milli: number;
  baskets: number;
  costed_net: number | null;
  cost: number | null;
  costed_lines: number;
};
type ReturnRow = Keyed & { refunded: number; refund_tax: number; costed_refund_net: number | null; returned_cost: number | null };
type Days = { $from: string; $to: string };

/** How each view names its rows, on the sale side and on the return side. */
const groups: Record<Exclude<ReportView, "tender">, { sale: string; saleJoin: string; ret: string; retJoin: string }> = {
  product: {
    sale: "l.product_id AS key, coalesce(p.name, max(l.name)) AS label",
    saleJoin: "LEFT JOIN products p ON p.id = l.product_id",
    ret: "rl.product_id AS key, coalesce(p.name, 'Product ' || rl.product_id) AS label",
    retJoin: "LEFT JOIN products p ON p.id = rl.product_id",
  },
  category: {
    sale: "p.category_id AS key, c.name AS label",
    saleJoin: "LEFT JOIN products p ON p.id = l.product_id LEFT JOIN categories c ON c.id = p.category_id",
    ret: "p.category_id AS key, c.name AS label",
    retJoin: "LEFT JOIN products p ON p.id = rl.product_id LEFT JOIN categories c ON c.id = p.category_id",
  },
  cashier: {
    sale: "s.cashier_id AS key, u.name AS label",
    saleJoin: "LEFT JOIN users u ON u.id = s.cashier_id",
    ret: "r.cashier_id AS key, u.name AS label",
    retJoin: "LEFT JOIN users u ON u.id = r.cashier_id",
  },
  register: {
    sale: "s.register_id AS key, g.name AS label",
    saleJoin: "LEFT JOIN registers g ON g.id = s.register_id",
    ret: "r.register_id AS key, g.name AS label",
    retJoin: "LEFT JOIN registers g ON g.id = r.register_id",
  },
  "tax-rate": {
    sale: "l.tax_rate_bp AS key, NULL AS label",
    saleJoin: "",
    // a return keeps each line's rate in its document (also for goods taken back without a receipt)
    ret: `(SELECT json_extract(j.value, '$.rateBp') FROM json_each(r.data, '$.lines') j
           WHERE json_extract(j.value, '$.lineNo') = rl.sale_line_no) AS key, NULL AS label`,
    retJoin: "",
  },
  // the UTC quarter hour an instant falls in; domain/reports/heatmap.ts puts it on the store's clock
  hour: {
    sale: "substr(s.completed_at, 1, 14) || printf('%02d', (CAST(substr(s.completed_at, 15, 2) AS INTEGER) / 15) * 15) || ':00Z' AS key, NULL AS label",
    saleJoin: "",
    ret: "substr(r.at, 1, 14) || printf('%02d', (CAST(substr(r.at, 15, 2) AS INTEGER) / 15) * 15) || ':00Z' AS key, NULL AS label",
    retJoin: "",
  },
};

/** A line's cost when sold, half-up to the minor unit (the same rounding as domain/reports/figures.ts lineCost). */
const COST = "(l.qty_milli * l.unit_cost + 500) / 1000";

function saleSql(g: { sale: string; saleJoin: string }): string {
  return `SELECT ${g.sale},
      sum(l.total + l.discount) AS sold, sum(l.discount) AS discounts, sum(l.tax) AS sales_tax,
      sum(l.qty_milli) AS items_milli, count(DISTINCT s.id) AS baskets,
      sum(CASE WHEN l.unit_cost IS NOT NULL THEN l.total - l.tax END) AS costed_net,
      sum(CASE WHEN l.unit_cost IS NOT NULL THEN ${COST} END) AS cost,
      count(l.unit_cost) AS costed_lines
    FROM sales s JOIN sale_lines l ON l.sale_id = s.id ${g.saleJoin}
    WHERE s.status = 'completed' AND s.business_date BETWEEN $from AND $to
    GROUP BY 1`;
}

function returnSql(g: { ret: string; retJoin: string }): string {
  return `SELECT ${g.ret},
      sum(rl.refund) AS refunded, sum(rl.tax) AS refund_tax,
      sum(CASE WHEN l.unit_cost IS NOT NULL THEN rl.refund - rl.tax END) AS costed_refund_net,
      sum(CASE WHEN l.unit_cost IS NOT NULL THEN (rl.qty_milli * l.unit_cost + 500) / 1000 END) AS returned_cost
    FROM returns r JOIN return_lines rl ON rl.return_id = r.id
      LEFT JOIN sale_lines l ON r.sale_id IS NOT NULL AND l.sale_id = r.sale_id AND l.line_no = rl.sale_line_no ${g.retJoin}
    WHERE r.business_date BETWEEN $from AND $to
    GROUP BY 1`;
}

const keyOf = (k: string | number | null) => (k === null ? "" : String(k));

export function rawReportQueries(db: Database) {
  const prepared = Object.fromEntries(
    Object.entries(groups).map(([view, g]) => [view, { sales: db.query<SaleRow, Days>(saleSql(g)), returns: db.query<ReturnRow, Days>(returnSql(g)) }]),
  ) as Record<Exclude<ReportView, "tender">, { sales: ReturnType<typeof db.query<SaleRow, Days>>; returns: ReturnType<typeof db.query<ReturnRow, Days>> }>;
  const tenders = {
    taken: db.query<{ key: string; taken: number; baskets: number }, Days>(
      `SELECT p.method AS key, sum(p.amount) AS taken, count(DISTINCT p.sale_id) AS baskets
       FROM sales s JOIN sale_payments p ON p.sale_id = s.id
       WHERE s.status = 'completed' AND s.business_date BETWEEN $from AND $to GROUP BY 1`,
    ),
    // change is given in cash, whatever paid
    change: db.query<{ change: number | null }, Days>(
      "SELECT sum(change_due) AS change FROM sales WHERE status = 'completed' AND business_date BETWEEN $from AND $to AND change_due > 0",
    ),
    refunded: db.query<{ key: string; refunded: number }, Days>(
      `SELECT f.method AS key, sum(f.amount) AS refunded FROM returns r JOIN return_refunds f ON f.return_id = r.id
       WHERE r.business_date BETWEEN $from AND $to GROUP BY 1`,
    ),
  };
  const baskets = db.query<{ n: number }, Days>("SELECT count(*) AS n FROM sales WHERE status = 'completed' AND business_date BETWEEN $from AND $to");

  function byTender(days: Days): SumsRow[] {
    const rows = new Map<string, SumsRow>();
    const row = (key: string) => {
      const r = rows.get(key) ?? { key, label: key, sums: { ...noSums } };
      rows.set(key, r);
      return r;
    };
    for (const t of tenders.taken.all(days)) {
      const r = row(t.key);
      r.sums.sold += t.taken;
      r.sums.baskets += t.baskets;
    }
    const change = tenders.change.get(days)?.change ?? 0;
    if (change) row("cash").sums.sold -= change;
    for (const f of tenders.refunded.all(days)) row(f.key).sums.refunded += f.refunded;
    return [...rows.values()];
  }

  return {
    /** The view's rows over the business days from–to (both included), unsorted; for "hour", one row per UTC quarter hour. */
    rows(view: ReportView, from: string, to: string): SumsRow[] {
      const days = { $from: from, $to: to };
      if (view === "tender") return byTender(days);
      const q = prepared[view];
      const rows = new Map<string, SumsRow>();
      for (const s of q.sales.all(days)) {
        rows.set(keyOf(s.key), {
          key: keyOf(s.key),
          label: s.label ?? "",
          sums: {
            ...noSums,
            sold: s.sold,
            discounts: s.discounts,
            salesTax: s.sales_tax,
            itemsMilli: s.items_milli,
            baskets: s.baskets,
            costedNet: s.costed_net ?? 0,
            cost: s.cost ?? 0,
            costedLines: s.costed_lines,
          },
        });
      }
      for (const r of q.returns.all(days)) {
        const key = keyOf(r.key);
        const row = rows.get(key) ?? { key, label: r.label ?? "", sums: { ...noSums } };
        rows.set(key, row);
        row.sums.refunded += r.refunded;
        row.sums.refundTax += r.refund_tax;
        row.sums.costedNet -= r.costed_refund_net ?? 0;
        row.sums.cost -= r.returned_cost ?? 0;
      }
      return [...rows.values()];
    },
    /** How many sales were completed over the days: a sale is one basket whatever it held. */
    baskets: (from: string, to: string): number => baskets.get({ $from: from, $to: to })?.n ?? 0,
  };
}
