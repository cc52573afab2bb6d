// The sales history: find a past sale by its receipt (number or scan), amount, card or day; open it, print a copy.
import type { ReceiptDocument } from "../../domain/sale/receipt.ts";
import type { PrintState } from "../../hardware/printers/queue.ts";
import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { day as dayText, money, time } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";
import { ReceiptView } from "./receipt.tsx";

export type SaleSummaryView = {
  id: string;
  receiptNumber: string;
  completedAt: string;
  register: string;
  cashier: string | null;
  items: number;
  total: number;
  tenders: { method: string; last4: string | null; amount: number }[];
};

const tenderName = (t: { method: string; last4: string | null }) =>
  t.method === "cash" ? "Cash" : t.method === "card" ? `Card${t.last4 ? ` •••• ${t.last4}` : ""}` : "Voucher";

export function SalesHistoryPage(p: {
  sales: SaleSummaryView[];
  query: string;
  day: string | null;
  /** The link to the next page, when there is one. */
  next: string | null;
  message?: string | undefined;
}) {
  const { locale } = usePage();
  return (
    <OfficePage title="Sales history">
      <h1>Sales history</h1>
      <form method="get" action="/sales" class="filters history-search">
        <label>
          Receipt, amount, time or card
          <input
            name="q"
            value={p.query}
            data-testid="history-search"
            autofocus
            autocomplete="off"
            inputmode="search"
            maxlength={40}
            placeholder="scan the receipt, or 003-000123, 12.50, 14:05, 4242"
          />
        </label>
        <label>
          Day
          <input type="date" name="day" value={p.day ?? ""} data-testid="history-day" />
        </label>
        <button type="submit" class="primary">
          Find
        </button>
        {(p.query || p.day) && (
          <a href="/sales" class="button">
            Show all
          </a>
        )}
      </form>
      {p.message && (
        <p class="message error" role="alert" data-testid="form-message">
          {p.message}
        </p>
      )}
      {!p.message && (
        <p class="summary" data-testid="history-summary">
          {p.sales.length === 0
            ? "No sale matches."
            : `${p.sales.length}${p.next ? "+" : ""} sale${p.sales.length === 1 ? "" : "s"}${p.day ? ` on ${dayText(p.day)}` : ""}, newest first.`}
        </p>
      )}
      {p.sales.length > 0 && (
        <table class="grid history">
          <thead>
            <tr>
              <th>Receipt</th>
              <th>When</th>
              <th>Register</th>
              <th>Cashier</th>
              <th class="num">Items</th>
              <th>Paid by</th>
              <th class="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {p.sales.map((s) => (
              <tr data-testid="history-row">
                <td>
                  <a href={`/sales/${s.id}`} data-testid="history-open">
                    {s.receiptNumber}
                  </a>
                </td>
                <td>{time(s.completedAt, locale)}</td>
                <td>{s.register}</td>
                <td>{s.cashier ?? "—"}</td>
                <td class="num">{s.items}</td>
                <td>{s.tenders.map(tenderName).join(", ")}</td>
                <td class="num">{money(s.total, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.next && (
        <p>
          <a href={p.next} class="button" data-testid="history-more">
            Older sales →
          </a>
        </p>
      )}
    </OfficePage>
  );
}

export function SaleReceiptPage(p: {
  saleId: string;
  doc: ReceiptDocument;
  print: PrintState | null;
  back: string;
  message?: string | undefined;
  /** Where "Print a copy" posts; a sale's own by default (a return's receipt has its own). */
  reprintUrl?: string;
  /** The returns taken against this sale, each with its own receipt. */
  returns?: { id: string; returnNumber: string; at: string; total: number }[];
}) {
  const { locale } = usePage();
  const what = p.doc.returnOf ? "Return" : "Receipt";
  return (
    <OfficePage title={`${what} ${p.doc.receiptNumber}`}>
      <p>
        <a href={p.back} data-testid="history-back">
          ← Sales history
        </a>
      </p>
      <h1>
        {what} {p.doc.receiptNumber}
      </h1>
      {p.returns && p.returns.length > 0 && (
        <section aria-label="Returns of this sale" data-testid="sale-returns">
          <h2>Returned</h2>
          <ul>
            {p.returns.map((r) => (
              <li>
                <a href={`/sales/returns/${r.id}?back=${encodeURIComponent(p.back)}`} data-testid="sale-return">
                  Return {r.returnNumber}
                </a>{" "}
                · {time(r.at, locale)} · {money(r.total, locale)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {p.message && (
        <p class="message info" role="status" data-testid="form-message">
          {p.message}
        </p>
      )}
      {p.print && (
        <p class={`print-state ${p.print.state}`} data-testid="print-state" role="status">
          {p.print.printer ? `${p.print.printer}: ` : ""}
          {p.print.message}
        </p>
      )}
      <div class="history-receipt">
        <ReceiptView doc={p.doc} />
        <form method="post" action={p.reprintUrl ?? `/sales/${p.saleId}/reprint`}>
          <Csrf />
          <input type="hidden" name="back" value={p.back} />
          <button type="submit" class="primary" data-testid="reprint">
            Print a copy
          </button>
          <p class="hint">The copy is marked COPY and written in the journal and the audit log.</p>
        </form>
      </div>
    </OfficePage>
  );
}
