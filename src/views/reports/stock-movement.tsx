// Dead stock and slow movers: what sits on the shelf without selling over the period, with what it cost, and CSV.
import type { DeadItem, SlowItem, StockMovementReport } from "../../domain/reports/stock-movement.ts";
import { usePage } from "../ui/context.ts";
import { day, money, quantity, time } from "../ui/format.ts";
import { PeriodReportPage, type PeriodView } from "./period-report.tsx";

export function StockMovementPage(props: {
  report: StockMovementReport | null;
  period: PeriodView & { days: number };
  lastSold: Record<number, string | null>;
  message?: string;
}) {
  const { report, period, lastSold, message } = props;
  const { locale } = usePage();
  const value = (v: number | null) => (v === null ? "no cost" : money(v, locale));
  const qs = `from=${period.from}&to=${period.to}`;
  return (
    <PeriodReportPage title="Dead stock and slow movers" action="/reports/stock-movement" period={period} message={message}>
      {report && (
        <>
          <h2>Dead stock: on hand, not sold once in {period.days} days</h2>
          <p data-testid="dead-summary">
            {report.dead.length} product{report.dead.length === 1 ? "" : "s"} from {day(period.from)} to {day(period.to)}, worth{" "}
            {money(report.deadValue, locale)} at cost{report.deadWithoutCost > 0 ? ` (${report.deadWithoutCost} with no cost known)` : ""}.{" "}
            <a class="button" href={`/reports/stock-movement/dead.csv?${qs}`} data-testid="dead-csv">
              Export CSV
            </a>
          </p>
          <div class="report-table">
            <table class="grid" data-testid="dead-table">
              <thead>
                <tr>
                  <th>SKU</th>
                  <th>Product</th>
                  <th>Category</th>
                  <th>On hand</th>
                  <th>Value at cost</th>
                  <th>Last sold</th>
                </tr>
              </thead>
              <tbody>
                {report.dead.slice(0, 500).map((i: DeadItem) => (
                  <tr data-testid="dead-row" data-sku={i.sku}>
                    <td>{i.sku}</td>
                    <td>{i.name}</td>
                    <td>{i.category ?? ""}</td>
                    <td>{quantity(i.stockMilli, i.weighed)}</td>
                    <td>{value(i.valueAtCost)}</td>
                    <td>{lastSold[i.productId] ? time(lastSold[i.productId]!, locale) : "never"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.dead.length > 500 && <p>The first 500 are shown; the CSV has them all.</p>}
          <h2>Slow movers: the fewest sold a day, with stock left</h2>
          <p>
            <a class="button" href={`/reports/stock-movement/slow.csv?${qs}`} data-testid="slow-csv">
              Export CSV
            </a>
          </p>
          <div class="report-table">
            <table class="grid" data-testid="slow-table">
              <thead>
                <tr>
                  <th>SKU</th>
                  <th>Product</th>
                  <th>Sold</th>
                  <th>A day</th>
                  <th>On hand</th>
                  <th>Days of stock</th>
                  <th>Value at cost</th>
                </tr>
              </thead>
              <tbody>
                {report.slow.map((i: SlowItem) => (
                  <tr data-testid="slow-row" data-sku={i.sku}>
                    <td>{i.sku}</td>
                    <td>{i.name}</td>
                    <td>{quantity(i.soldMilli, i.weighed)}</td>
                    <td>{i.perDay.toFixed(2)}</td>
                    <td>{quantity(i.stockMilli, i.weighed)}</td>
                    <td>{Math.round(i.daysOfCover)}</td>
                    <td>{value(i.valueAtCost)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </PeriodReportPage>
  );
}
