// The register's shift: the float to open it, cash in and out, the X report, and the count and Z report that close it.
import type { ShiftReport } from "../../domain/shift/shift.ts";
import { type Approver, ManagerApproval } from "../ui/approval.tsx";
import { Card, Csrf, PostButton } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { money, percent } from "../ui/format.ts";

export function OpenShiftPage({ message, register, user, denominations }: { message?: string; register: string; user: string; denominations: number[] }) {
  return (
    <Card title={`Open a shift · ${register}`} message={message}>
      <p>{user}, count the float in the drawer: as a total, or note by note.</p>
      <form method="post" action="/shift/open" class="stack">
        <Csrf />
        <label>
          Opening float (total) <input name="float" inputmode="decimal" placeholder="150.00" data-testid="float-input" />
        </label>
        <DenominationCount denominations={denominations} />
        <button type="submit" class="primary big" data-testid="open-shift">
          Open shift
        </button>
      </form>
      <PostButton action="/logout" label="Sign out" />
    </Card>
  );
}

export function ReportView({ report, title, blind = false, printable = false }: { report: ShiftReport; title: string; blind?: boolean; printable?: boolean }) {
  const { locale } = usePage();
  const row = (label: string, amount: number, testid?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testid}>{money(amount, locale)}</dd>
    </div>
  );
  return (
    <section class="report" data-testid={`report-${report.kind.toLowerCase()}`} aria-label={title}>
      <h2>{title}</h2>
      <dl>
        <div>
          <dt>Sales</dt>
          <dd data-testid="report-sales-count">{report.salesCount}</dd>
        </div>
        {row("Sales total", report.salesTotal, "report-sales-total")}
        {row("Discounts", report.discountTotal)}
        <div>
          <dt>Cancelled sales</dt>
          <dd>{report.cancelledCount}</dd>
        </div>
        {row("Refunds", report.refundTotal)}
        {report.taxes.map((t) => row(`Tax ${t.taxClass} ${percent(t.rateBp)} (net ${money(t.net, locale)})`, t.tax))}
        {report.tenders.map((t) => row(`Takings ${t.method}`, t.amount, `report-tender-${t.method}`))}
        {row("Opening float", report.openingFloat)}
        {row("Cash in", report.cashIn)}
        {row("Cash out", report.cashOut)}
        <div>
          <dt>No-sale drawer opens</dt>
          <dd>{report.noSales}</dd>
        </div>
        {!blind && row("Expected cash in drawer", report.expectedCash, "report-expected")}
        {report.countedCash !== null && row("Counted cash", report.countedCash, "report-counted")}
        {report.overShort !== null && (
          <div class={report.overShort === 0 ? "balanced" : "off"}>
            <dt>{overShortLabel(report.overShort)}</dt>
            <dd data-testid="report-over-short">{money(report.overShort, locale)}</dd>
          </div>
        )}
      </dl>
      {printable && (
        <button type="button" hx-post="/shift/x/print" hx-target="#dialog-body" data-testid="print-x-report">
          Print X report
        </button>
      )}
    </section>
  );
}

export function ShiftDialog({ report, blind, approvers }: { report: ShiftReport; blind: boolean; approvers: Approver[] }) {
  return (
    <div class="dialog-content" data-testid="shift-dialog">
      <header class="dialog-head">
        <h2 id="dialog-title">Shift</h2>
        <button type="button" class="close" data-close-dialog aria-label="Close">
          Esc ✕
        </button>
      </header>
      <p id="shift-message" class="message" role="alert" data-testid="shift-message"></p>
      <form hx-post="/shift/cash" hx-target="#dialog-body" {...{ "hx-status:4xx": "target:#shift-message" }} class="inline-form">
        <Csrf />
        <fieldset>
          <legend>Cash in or out</legend>
          <label>
            <input type="radio" name="kind" value="in" checked /> in
          </label>
          <label>
            <input type="radio" name="kind" value="out" /> out
          </label>
        </fieldset>
        <label>
          Amount <input name="amount" inputmode="decimal" required data-testid="cash-move-amount" />
        </label>
        <label>
          Reason <input name="reason" required data-testid="cash-move-reason" />
        </label>
        <ManagerApproval id="cash-out-pin" approvers={approvers} label="Manager approval (cash out by a cashier)" />
        <button type="submit" data-testid="cash-move-submit">
          Record
        </button>
      </form>
      <div class="dialog-actions">
        <button type="button" hx-get="/shift/x" hx-target="#dialog-body" data-testid="x-report">
          X report
        </button>
        <a class="button" href="/shift/close" data-testid="close-shift">
          Close shift (Z)…
        </a>
      </div>
      {!blind && <ReportView report={report} title="X report — so far" />}
      {blind && <p>Blind count is on: the expected cash shows after the count.</p>}
    </div>
  );
}

export function CloseShiftPage({
  message,
  register,
  denominations,
  report,
  openSales = 0,
  approvers,
}: {
  message?: string;
  register: string;
  denominations: number[];
  report: ShiftReport | null;
  openSales?: number;
  approvers: Approver[];
}) {
  return (
    <Card title={`Close the shift · ${register}`} message={message}>
      {report ? (
        <>
          <ReportView report={report} title="Z report" />
          <p>The Z report was sent to this register's printer.</p>
          <a class="button primary" href="/">
            Back to the register
          </a>
        </>
      ) : (
        <form method="post" action="/shift/close" class="stack">
          <Csrf />
          {openSales > 0 && (
            <p class="message error" role="alert" data-testid="open-sales-warning">
              {openSales} sale{openSales === 1 ? " is" : "s are"} still open or parked on this register: finish or cancel {openSales === 1 ? "it" : "them"}{" "}
              first, or they stay out of this Z report.
            </p>
          )}
          <p>Count the cash in the drawer first; the expected figure is shown after the count.</p>
          <label>
            Counted cash (total) <input name="counted" inputmode="decimal" data-testid="counted-input" />
          </label>
          <DenominationCount denominations={denominations} />
          <ManagerApproval id="close-pin" approvers={approvers} label="Manager approval (when a cashier closes)" />
          <button type="submit" class="primary big" data-testid="close-submit">
            Close shift and print Z
          </button>
        </form>
      )}
    </Card>
  );
}

/** The drawer against what it should hold: a balanced drawer is neither over nor short. */
export function overShortLabel(overShort: number): string {
  return overShort === 0 ? "Balanced" : overShort > 0 ? "Over" : "Short";
}

/** The drawer counted note by note (each field d_<minor units>): an alternative to typing the total. */
function DenominationCount({ denominations }: { denominations: number[] }) {
  const { locale } = usePage();
  return (
    <details>
      <summary>Count by denomination</summary>
      <div class="denoms">
        {denominations.map((d) => (
          <label>
            {money(d, locale)} × <input name={`d_${d}`} inputmode="numeric" placeholder="0" />
          </label>
        ))}
      </div>
    </details>
  );
}
