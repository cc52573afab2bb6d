// Frequently bought together: the store's strongest rules ("customers who buy this also buy that"), with how often,
// support, confidence and lift, and the CSV of them.
import { usePage } from "../ui/context.ts";
import { OfficePage } from "../ui/office.tsx";

export type TogetherRuleView = {
  fromSku: string;
  fromName: string;
  toSku: string;
  toName: string;
  together: number;
  support: number;
  confidence: number;
  lift: number;
};

export type TogetherPageProps = {
  rows: readonly TogetherRuleView[];
  /** More rules than shown: the CSV has them. */
  more: boolean;
  baskets: number;
  skipped: number;
  minBaskets: number;
  maxBasketProducts: number;
};

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

export function TogetherPage(p: TogetherPageProps) {
  usePage();
  return (
    <OfficePage title="Frequently bought together">
      <h1>Frequently bought together</h1>
      <p data-testid="together-summary">
        From {p.baskets} {p.baskets === 1 ? "sale" : "sales"} counted so far
        {p.skipped > 0 ? ` (and ${p.skipped} with more than ${p.maxBasketProducts} different products, left out)` : ""}. A pair is listed, and suggested at the
        register after a scan, once the two were bought together in at least {p.minBaskets} sales and the second is likelier with the first than without (lift
        above 1). Change the minimum with <code>shopflow settings set together_min_baskets N</code>.
      </p>
      <p>
        <a class="button" href="/reports/bought-together/export.csv" data-testid="together-csv">
          Export CSV
        </a>
      </p>
      {p.rows.length === 0 ? (
        <p class="empty" data-testid="together-empty">
          No pair has been bought together often enough yet. Rules appear as sales come in.
        </p>
      ) : (
        <table class="grid" data-testid="together-table">
          <caption class="sr-only">Customers who buy the first product also buy the second</caption>
          <thead>
            <tr>
              <th scope="col">Who buys</th>
              <th scope="col">also buys</th>
              <th scope="col" class="num">
                Sales together
              </th>
              <th scope="col" class="num" title="sales with both, out of all sales">
                Support
              </th>
              <th scope="col" class="num" title="sales with both, out of sales with the first">
                Confidence
              </th>
              <th scope="col" class="num" title="how much likelier the second is with the first than without">
                Lift
              </th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr data-testid="together-row" data-from={r.fromSku} data-to={r.toSku}>
                <td>
                  {r.fromName} <span class="note">{r.fromSku}</span>
                </td>
                <td>
                  {r.toName} <span class="note">{r.toSku}</span>
                </td>
                <td class="num">{r.together}</td>
                <td class="num">{pct(r.support)}</td>
                <td class="num" data-testid="together-confidence">
                  {pct(r.confidence)}
                </td>
                <td class="num" data-testid="together-lift">
                  {r.lift.toFixed(2)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.more && <p>The strongest {p.rows.length} are shown; the CSV has more.</p>}
    </OfficePage>
  );
}
