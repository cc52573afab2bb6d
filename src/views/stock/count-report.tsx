// A count's differences (/stock/counts/:id/report): for each product counted, what the books expected when it was
// counted, what was counted, the variance and its value at cost; the totals; the products of the scope nobody counted;
// then Approve (the uncounted taken as none, or left as they are; a manager above the shop's value) or Cancel.
import { type Approver, ManagerApproval } from "../ui/approval.tsx";
import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { money, quantity, time } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";
import type { CountView } from "./count-sheet.tsx";
import { statusWords } from "./counts.tsx";

export type VarianceView = {
  sku: string;
  name: string;
  weighed: boolean;
  expectedMilli: number;
  /** null: nobody counted it (an approved count took it as none). */
  countedMilli: number | null;
  varianceMilli: number;
  value: number;
  noCost: boolean;
};

export type CountReportProps = {
  count: CountView & { approvedAt: string | null; approvedBy: string | null; cancelledAt: string | null; uncounted: "zero" | "leave" | null };
  lines: VarianceView[];
  /** Lines not shown (the page shows the differences first, up to its limit). */
  more: number;
  totals: { gain: number; loss: number; net: number; value: number; noCost: number };
  /** Products of the scope nobody counted that the books say are there (open counts). */
  uncounted: { rows: { sku: string; name: string; weighed: boolean; onHandMilli: number }[]; products: number; value: number };
  /** The choice offered for them: "zero" for a whole-store count, "leave" for a partial one. */
  rule: "zero" | "leave";
  /** The sheet's changes when this report was drawn: the approval names it. */
  seen: number;
  approvers: Approver[];
  approvalOver: number;
  message?: { text: string; kind: "info" | "error" } | undefined;
};

const signed = (milli: number, weighed: boolean) => (milli > 0 ? `+${quantity(milli, weighed)}` : milli < 0 ? `−${quantity(-milli, weighed)}` : "0");

export function CountReportPage(p: CountReportProps) {
  const { locale } = usePage();
  const c = p.count;
  const open = c.status === "open";
  return (
    <OfficePage title="Stock count differences">
      <h1>Differences: count of {c.scope}</h1>
      <p data-testid="count-status">
        {statusWords[c.status]} · started {time(c.openedAt, locale)}
        {c.openedBy ? ` by ${c.openedBy}` : ""}
        {c.approvedAt ? ` · approved ${time(c.approvedAt, locale)}${c.approvedBy ? ` by ${c.approvedBy}` : ""}` : ""}
        {c.cancelledAt ? ` · cancelled ${time(c.cancelledAt, locale)}` : ""} · <a href={`/stock/counts/${c.id}`}>The count sheet</a>
      </p>
      {p.message && (
        <p class={`message ${p.message.kind}`} role={p.message.kind === "error" ? "alert" : "status"} data-testid="form-message">
          {p.message.text}
        </p>
      )}
      <p class="note">
        Expected is what the books said when each product was last counted: on hand when the count started, with the sales, returns and deliveries since, up to
        that moment. A sale while counting is no difference.
      </p>
      <table class="grid" data-testid="count-report">
        <thead>
          <tr>
            <th>Product</th>
            <th class="num">Expected</th>
            <th class="num">Counted</th>
            <th class="num">Variance</th>
            <th class="num">Value at cost</th>
          </tr>
        </thead>
        <tbody>
          {p.lines.map((l) => (
            <tr data-testid="count-report-line">
              <td>
                {l.name} <span class="note">{l.sku}</span>
              </td>
              <td class="num">{quantity(l.expectedMilli, l.weighed)}</td>
              <td class="num">{l.countedMilli === null ? "not counted" : quantity(l.countedMilli, l.weighed)}</td>
              <td class="num" data-testid="count-variance">
                {signed(l.varianceMilli, l.weighed)}
              </td>
              <td class="num">
                {money(l.value, locale)}
                {l.noCost && l.varianceMilli !== 0 ? <span class="note"> no cost</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colspan={3}>{p.more > 0 ? `Totals of every line (${p.more} more not shown: the largest differences are above)` : "Totals"}</td>
            <td class="num">
              found {money(p.totals.gain, locale)}, missing {money(-p.totals.loss, locale)}
            </td>
            <td class="num" data-testid="count-net">
              {money(p.totals.net, locale)}
            </td>
          </tr>
        </tfoot>
      </table>
      {p.totals.noCost > 0 && (
        <p class="message warn" data-testid="count-no-cost">
          {p.totals.noCost} {p.totals.noCost === 1 ? "product has" : "products have"} a difference but no cost: valued at 0 here.
        </p>
      )}
      {open && p.uncounted.products > 0 && (
        <section aria-label="Not counted" data-testid="count-uncounted">
          <h2>Not counted</h2>
          <p>
            {p.uncounted.products} {p.uncounted.products === 1 ? "product" : "products"} of this count with stock on the books{" "}
            {p.uncounted.products === 1 ? "was" : "were"} not counted, worth {money(p.uncounted.value, locale)} at cost.
          </p>
          <ul>
            {p.uncounted.rows.map((u) => (
              <li data-testid="count-uncounted-row">
                {u.name} <span class="note">{u.sku}</span>: {quantity(u.onHandMilli, u.weighed)} on the books
              </li>
            ))}
            {p.uncounted.products > p.uncounted.rows.length && <li>and {p.uncounted.products - p.uncounted.rows.length} more</li>}
          </ul>
        </section>
      )}
      {open && (
        <form method="post" action={`/stock/counts/${c.id}/approve`} class="stack" data-testid="count-approve-form">
          <Csrf />
          <input type="hidden" name="seen" value={String(p.seen)} />
          <fieldset>
            <legend>Products nobody counted</legend>
            <label>
              <input type="radio" name="uncounted" value="zero" checked={p.rule === "zero"} data-testid="count-uncounted-zero" /> there are none: take them off
              the books
            </label>
            <label>
              <input type="radio" name="uncounted" value="leave" checked={p.rule === "leave"} data-testid="count-uncounted-leave" /> leave them as the books say
            </label>
          </fieldset>
          <ManagerApproval id="count-pin" approvers={p.approvers} label={`Manager approval (differences over ${money(p.approvalOver, locale)})`} />
          <button type="submit" class="primary" data-testid="count-approve">
            Approve: put the counted stock on the books
          </button>
        </form>
      )}
      {open && (
        <form method="post" action={`/stock/counts/${c.id}/cancel`} data-testid="count-cancel-form">
          <Csrf />
          <button type="submit" data-testid="count-cancel">
            Cancel the count (nothing changes on the books)
          </button>
        </form>
      )}
    </OfficePage>
  );
}
