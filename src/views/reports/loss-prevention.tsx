// Loss prevention as a manager reads it: per cashier, each count with its rate per 100 sales, flagged when far above
// the store's usual, each count a link to the rows behind it; and the list of one cashier's voids.
import { type LossMeasure, type LossReport, lossMeasures, MIN_EVENTS_TO_FLAG, SPREAD_FLOOR_PER_100 } from "../../domain/reports/loss-prevention.ts";
import { OUTLIER_Z } from "../../domain/reports/robust.ts";
import { usePage } from "../ui/context.ts";
import { day, time } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";
import { PeriodReportPage, type PeriodView } from "./period-report.tsx";

export const measureLabels: Record<LossMeasure, string> = {
  voids: "Voids",
  removedAfterPayment: "Removed after payment",
  cancelled: "Cancelled sales",
  noSales: "No-sales",
  priceOverrides: "Price overrides",
  discounts: "Discounts",
  refunds: "Refunds",
  noReceiptReturns: "No-receipt returns",
};

const rateText = (r: number | null) => (r === null ? "—" : r.toFixed(1));

export function LossPreventionPage(props: {
  report: LossReport | null;
  period: PeriodView;
  links: (userId: number, name: string, m: LossMeasure) => string;
  message?: string;
}) {
  const { report, period, links, message } = props;
  return (
    <PeriodReportPage title="Loss prevention" action="/reports/loss-prevention" period={period} message={message}>
      {report && (
        <>
          <p data-testid="loss-explainer">
            Voids are lines taken off a sale (removed after payment: once a payment was on it); no-sales are drawer opens without a sale. Each count is shown
            with its rate per 100 completed sales of the same cashier (in brackets), from {day(period.from)} to {day(period.to)} (store time). A figure is
            marked ⚑ when its robust z-score — how far it is from the store's median, in median absolute deviations — is above {OUTLIER_Z}. When most cashiers
            have the same rate the deviation is 0; a spread of {SPREAD_FLOOR_PER_100} per 100 sales stands in, so a difference smaller than{" "}
            {OUTLIER_Z * SPREAD_FLOOR_PER_100} per 100 sales is never marked, nor a count under {MIN_EVENTS_TO_FLAG}. A cashier with no completed sale has
            counts but no rate.
          </p>
          {report.compared < 3 && (
            <p class="message info" data-testid="too-few">
              Only {report.compared} cashier{report.compared === 1 ? "" : "s"} sold in this period: at least 3 are needed to compare, so nothing is marked.
            </p>
          )}
          {report.cashiers.length === 0 ? (
            <p data-testid="loss-empty">Nobody sold or did any of these in this period.</p>
          ) : (
            <div class="report-table">
              <table class="grid" data-testid="loss-table">
                <thead>
                  <tr>
                    <th>Cashier</th>
                    <th>Sales</th>
                    {lossMeasures.map((m) => (
                      <th>{measureLabels[m]}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.cashiers.map((c) => (
                    <tr data-testid="loss-row" data-cashier={c.name} data-flags={String(c.flags)}>
                      <td>{c.name}</td>
                      <td>{c.sales}</td>
                      {lossMeasures.map((m) => {
                        const f = c.figures[m];
                        return (
                          <td class={f.flagged ? "off" : undefined} data-measure={m} data-flagged={f.flagged ? "1" : "0"}>
                            {f.count > 0 ? <a href={links(c.userId, c.name, m)}>{f.count}</a> : "0"} ({rateText(f.rate)})
                            {f.flagged && (
                              <span class="message warn" data-testid="loss-flag" title="Far above the store's usual: worth a look">
                                ⚑ z {f.z!.toFixed(1)}
                              </span>
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                  <tr data-testid="loss-median">
                    <td>Store median</td>
                    <td />
                    {lossMeasures.map((m) => (
                      <td>{rateText(report.medians[m])}</td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </PeriodReportPage>
  );
}

export type VoidView = { at: string; saleId: string; status: string; receiptNumber: string | null; register: string; item: string };

/** The lines one cashier took off sales: each a link to its receipt when the sale completed. */
export function VoidsPage({ name, rows, period }: { name: string; rows: VoidView[]; period: PeriodView }) {
  const { locale } = usePage();
  return (
    <OfficePage title={`Voids · ${name}`}>
      <h1>Lines removed by {name}</h1>
      <p data-testid="voids-summary">
        {rows.length === 0 ? "None" : rows.length === 1000 ? "The latest 1,000" : String(rows.length)} from {day(period.from)} to {day(period.to)} (store time),
        newest first. <a href={`/reports/loss-prevention?from=${period.from}&to=${period.to}`}>Back to loss prevention</a>
      </p>
      <table class="grid" data-testid="voids-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Register</th>
            <th>Item</th>
            <th>Sale</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-testid="void-row">
              <td>{time(r.at, locale)}</td>
              <td>{r.register}</td>
              <td>{r.item}</td>
              <td>{r.status === "completed" && r.receiptNumber ? <a href={`/sales/${r.saleId}`}>{r.receiptNumber}</a> : r.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </OfficePage>
  );
}
