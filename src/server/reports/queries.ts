// The store's report sums over a period of business days, read from the per-day sums the database keeps as sales and
// returns are written (migration 033): a month of a busy shop is a few thousand rows, not every line sold.
import type { Database } from "bun:sqlite";
import { noSums, type SumsRow } from "../../domain/reports/figures.ts";
import { inWeeks } from "../../domain/reports/period.ts";

export const reportViews = ["product", "category", "cashier", "register", "tender", "tax-rate", "hour"] as const;
export type ReportView = (typeof reportViews)[number];

type Row = {
  key: string | number;
  label: string | null;
  sold: number;
  discounts: number;
  sales_tax: number;
  items_milli: number;
  baskets: number;
  costed_net: number;
  cost: number;
  costed_lines: number;
  refunded: number;
  refund_tax: number;
  costed_refund_net: number;
  returned_cost: number;
};
type Days = { $from: string; $to: string };

const SUMS = `sum(d.sold) AS sold, sum(d.discounts) AS discounts, sum(d.sales_tax) AS sales_tax, sum(d.items_milli) AS items_milli,
  sum(d.baskets) AS baskets, sum(d.costed_net) AS costed_net, sum(d.cost) AS cost, sum(d.costed_lines) AS costed_lines,
  sum(d.refunded) AS refunded, sum(d.refund_tax) AS refund_tax, sum(d.costed_refund_net) AS costed_refund_net, sum(d.returned_cost) AS returned_cost`;

/** Each view: which per-day table, what a row is (its key and label), and the names it needs. */
const sql: Record<Exclude<ReportView, "tender">, string> = {
  product: `SELECT d.product_id AS key, p.name AS label, ${SUMS} FROM report_product_days d LEFT JOIN products p ON p.id = d.product_id
    WHERE d.business_date BETWEEN $from AND $to GROUP BY d.product_id`,
  category: `SELECT d.category_id AS key, c.name AS label, ${SUMS} FROM report_category_days d LEFT JOIN categories c ON c.id = d.category_id
    WHERE d.business_date BETWEEN $from AND $to GROUP BY d.category_id`,
  "tax-rate": `SELECT d.rate_bp AS key, NULL AS label, ${SUMS} FROM report_rate_days d WHERE d.business_date BETWEEN $from AND $to GROUP BY d.rate_bp`,
  cashier: `SELECT d.cashier_id AS key, u.name AS label, ${SUMS} FROM report_cashier_days d LEFT JOIN users u ON u.id = d.cashier_id
    WHERE d.business_date BETWEEN $from AND $to GROUP BY d.cashier_id`,
  register: `SELECT d.register_id AS key, g.name AS label, ${SUMS} FROM report_register_days d LEFT JOIN registers g ON g.id = d.register_id
    WHERE d.business_date BETWEEN $from AND $to GROUP BY d.register_id`,
  // the UTC quarter hours; domain/reports/heatmap.ts puts them on the store's clock
  hour: `SELECT d.slot AS key, NULL AS label, ${SUMS} FROM report_slot_days d WHERE d.business_date BETWEEN $from AND $to GROUP BY d.slot`,
};

/** The keys the per-day tables write for "none": no category, no cashier (an API sale), no rate on record. */
const none: Partial<Record<ReportView, string>> = { category: "0", cashier: "0", "tax-rate": "-1" };

export function reportQueries(db: Database) {
  const views = Object.fromEntries(Object.entries(sql).map(([view, text]) => [view, db.query<Row, Days>(text)])) as Record<
    Exclude<ReportView, "tender">,
    ReturnType<typeof db.query<Row, Days>>
  >;
  // products: whole weeks from their own table, the days either side from the days' (domain/reports/period.ts inWeeks)
  const productWeeks = db.query<Row, { $first: string; $last: string; $from1: string; $to1: string; $from2: string; $to2: string }>(
    `SELECT d.product_id AS key, p.name AS label, ${SUMS} FROM (
       SELECT * FROM report_product_weeks WHERE week BETWEEN $first AND $last
       UNION ALL SELECT * FROM report_product_days WHERE business_date BETWEEN $from1 AND $to1
       UNION ALL SELECT * FROM report_product_days WHERE business_date BETWEEN $from2 AND $to2
     ) d LEFT JOIN products p ON p.id = d.product_id GROUP BY d.product_id`,
  );
  const tenders = db.query<{ key: string; taken: number; baskets: number; refunded: number }, Days>(
    `SELECT method AS key, sum(taken) AS taken, sum(baskets) AS baskets, sum(refunded) AS refunded FROM report_tender_days
     WHERE business_date BETWEEN $from AND $to GROUP BY method`,
  );
  const baskets = db.query<{ n: number }, Days>("SELECT count(*) AS n FROM sales WHERE status = 'completed' AND business_date BETWEEN $from AND $to");

  return {
    /** The view's rows over the business days from–to (both included), unsorted; for "hour", one row per UTC quarter hour. */
    rows(view: ReportView, from: string, to: string): SumsRow[] {
      const days = { $from: from, $to: to };
      if (view === "tender") {
        return tenders.all(days).map((t) => ({ key: t.key, label: t.key, sums: { ...noSums, sold: t.taken, baskets: t.baskets, refunded: t.refunded } }));
      }
      let found: Row[];
      const split = view === "product" ? inWeeks(from, to) : null;
      if (split?.weeks) {
        // an empty range ("1" to "0") where there are no days on that side
        const [a, b] = [split.days.find((d) => d.to < split.weeks!.first), split.days.find((d) => d.from > split.weeks!.first)];
        found = productWeeks.all({
          $first: split.weeks.first,
          $last: split.weeks.last,
          $from1: a?.from ?? "1",
          $to1: a?.to ?? "0",
          $from2: b?.from ?? "1",
          $to2: b?.to ?? "0",
        });
      } else found = views[view].all(days);
      return found.map((r) => ({
        key: String(r.key) === none[view] ? "" : String(r.key),
        label: r.label ?? "",
        sums: {
          sold: r.sold,
          discounts: r.discounts,
          salesTax: r.sales_tax,
          refunded: r.refunded,
          refundTax: r.refund_tax,
          itemsMilli: r.items_milli,
          baskets: r.baskets,
          costedNet: r.costed_net - r.costed_refund_net,
          cost: r.cost - r.returned_cost,
          costedLines: r.costed_lines,
        },
      }));
    },
    /** How many sales were completed over the days: a sale is one basket whatever it held. */
    baskets: (from: string, to: string): number => baskets.get({ $from: from, $to: to })?.n ?? 0,
  };
}

export type ReportQueries = ReturnType<typeof reportQueries>;
