// The register's shift: the float to open it, cash in and out, the X report, and the count and Z report that close it.
import { drawerDifference, type ShiftReport } from "../../domain/shift/shift.ts";
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

/** A report's figures; `blind` leaves out what the drawer should hold. */
export function ReportView({ report, title, blind = false }: { report: ShiftReport; title: string; blind?: boolean }) {
  return (
    <section class="report" data-testid={`report-${report.kind.toLowerCase()}`} aria-label={title}>
      <h2>{title}</h2>
      <ReportFigures report={report} blind={blind} />
    </section>
  );
}

/** The X report in the register's dialog: its own header with a close button, a way back to the shift, and printing. */
export function XReportDialog({ report, title, blind }: { report: ShiftReport; title: string; blind: boolean }) {
  return (
    <section class="report dialog-content" data-testid={`report-${report.kind.toLowerCase()}`} aria-labelledby="dialog-title">
      <header class="dialog-head">
        <h2 id="dialog-title">{title}</h2>
        <button type="button" class="close" data-close-dialog aria-label="Close" data-testid="close-report">
          Esc ✕
        </button>
      </header>
      <ReportFigures report={report} blind={blind} />
      <div class="dialog-actions">
        <button type="button" hx-get="/shift" hx-target="#dialog-body" data-testid="back-to-shift">
          ← Shift
        </button>
        <button type="button" hx-post="/shift/x/print" hx-target="#dialog-body" data-testid="print-x-report">
          Print X report
        </button>
      </div>
    </section>
  );
}

function ReportFigures({ report, blind }: { report: ShiftReport; blind: boolean }) {
  const { locale } = usePage();
  const row = (label: string, amount: number, testid?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testid}>{money(amount, locale)}</dd>
    </div>
  );
  const difference = report.overShort === null ? null : drawerDifference(report.overShort);
  return (
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
      <div>
        <dt>Returns</dt>
        <dd data-testid="report-returns-count">{report.returnsCount}</dd>
      </div>
      {row("Refunds", report.refundTotal, "report-refund-total")}
      {report.refunds.map((r) => row(`Refunds ${r.method === "voucher" ? "store credit" : r.method}`, r.amount, `report-refund-${r.method}`))}
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
      {difference && (
        <div class={difference.label === "Balanced" ? "balanced" : "off"}>
          <dt data-testid="report-over-short-label">{difference.label}</dt>
          <dd data-testid="report-over-short">{money(difference.amount, locale)}</dd>
        </div>
      )}
    </dl>
  );
}

/** What the last cash in or out did, for the shift dialog to confirm. */
export type CashMoved = { kind: "in" | "out"; amount: number; drawerOpened: boolean };

export function ShiftDialog({ report, blind, approvers, moved }: { report: ShiftReport; blind: boolean; approvers: Approver[]; moved?: CashMoved }) {
  const { locale } = usePage();
  return (
    <div class="dialog-content shift-dialog" data-testid="shift-dialog">
      <header class="dialog-head">
        <h2 id="dialog-title">Shift</h2>
        <button type="button" class="close" data-close-dialog aria-label="Close">
          Esc ✕
        </button>
      </header>
      {/* empty (and out of the layout) until a cash move is confirmed or refused: a refusal is swapped in here */}
      <div id="shift-message" aria-live="polite" data-testid="shift-message">
        {moved && (
          <p class="message info" role="status" data-testid="cash-move-done">
            {money(moved.amount, locale)} {moved.kind === "in" ? "paid in" : "paid out"} —{" "}
            {moved.drawerOpened ? "drawer opened, logged." : "logged. No printer opens this register's drawer: open it with its key."}
          </p>
        )}
      </div>
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
        <ManagerApproval id="cash-move-pin" approvers={approvers} label="Manager approval (the drawer opens for cash in or out)" />
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
          <a class="button primary back" href="/">
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
          <a class="button back" href="/" data-testid="back-to-register">
            Back to the register — the shift stays open
          </a>
        </form>
      )}
    </Card>
  );
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
