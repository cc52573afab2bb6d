// Returns at the register, in the register's dialog: find the sale (scan its receipt), choose lines and quantities, why,
// how the money goes back; then the return's receipt.
import { EXCHANGE_LABEL } from "../../domain/return/receipt.ts";
import type { ReceiptDocument } from "../../domain/sale/receipt.ts";
import type { PrintState } from "../../hardware/printers/queue.ts";
import { Dialog, PrintStateView } from "../selling/dialogs.tsx";
import { ReceiptView } from "../selling/receipt.tsx";
import { type Approver, ManagerApproval } from "../ui/approval.tsx";
import { usePage } from "../ui/context.ts";
import { money, quantity, time } from "../ui/format.ts";

const toDialog = { "hx-target": "#dialog-body" };

/** The first step: the receipt scanned (its barcode is the receipt number) or typed; or no receipt at all. */
export function FindSaleDialog({ connected }: { connected: boolean }) {
  return (
    <Dialog title="Return" testid="return-find">
      <form hx-get="/returns/sale" {...toDialog} class="inline-form">
        <label for="return-receipt">Scan the receipt, or type its number</label>
        <input id="return-receipt" name="code" data-testid="return-receipt" data-scan-here autocomplete="off" autofocus required placeholder="001-000123" />
        <p class="hint">No receipt number? Type the amount (12.50), the card's last four digits or the time (14:05), and the day if not today.</p>
        <label for="return-day">Day (optional)</label>
        <input id="return-day" name="day" type="date" data-testid="return-day" />
        <button type="submit" class="primary">
          Find <kbd>Enter</kbd>
        </button>
      </form>
      <p class="hint">
        {connected
          ? "A receipt from another of the chain's stores is found through head office."
          : "This store is not connected to head office: a receipt from another store is taken back as a return without a receipt."}
      </p>
      <div class="dialog-actions">
        <button type="button" hx-get="/returns/no-receipt" {...toDialog} data-testid="return-no-receipt">
          No receipt
        </button>
      </div>
    </Dialog>
  );
}

/** Several of this store's sales match what the customer remembers: which one. */
export type FoundSale = { id: string; receiptNumber: string; completedAt: string; total: number; tenders: { method: string; last4: string | null }[] };

export function FoundSalesDialog({ query, sales, more }: { query: string; sales: FoundSale[]; more: boolean }) {
  const { locale } = usePage();
  return (
    <Dialog title={`Sales matching ${query}`} testid="return-found">
      <ul class="plain-list">
        {sales.map((s) => (
          <li>
            <button type="button" hx-get={`/returns/sale?id=${encodeURIComponent(s.id)}`} {...toDialog} data-testid="return-found-sale" class="found-sale">
              <strong>{s.receiptNumber}</strong> · {time(s.completedAt, locale)} · {money(s.total, locale)} ·{" "}
              {s.tenders.map((t) => (t.last4 ? `${t.method} ${t.last4}` : t.method)).join(", ")}
            </button>
          </li>
        ))}
      </ul>
      {more && <p class="hint">More sales match: add the day, or type the amount exactly.</p>}
    </Dialog>
  );
}

/** A receipt number sold at more than one other store: which one the customer brings. */
export function ChooseStoreDialog({ code, sales }: { code: string; sales: { storeId: string; storeName: string; completedAt: string; total: number }[] }) {
  const { locale } = usePage();
  return (
    <Dialog title={`Receipt ${code} at other stores`} testid="return-choose-store">
      <p class="hint">More than one store of the chain has a receipt with this number; which store is printed at its top?</p>
      <ul class="plain-list">
        {sales.map((s) => (
          <li>
            <button
              type="button"
              hx-get={`/returns/sale?code=${encodeURIComponent(code)}&store=${encodeURIComponent(s.storeId)}`}
              {...toDialog}
              data-testid="return-store"
            >
              {s.storeName} · {time(s.completedAt, locale)} · {money(s.total, locale)}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

/** Why the goods come back, from the shop's list (those not restocked said to be written off). */
const ReasonSelect = ({ id, reasons }: { id: string; reasons: { code: string; label: string; restock: boolean }[] }) => (
  <>
    <label for={id}>Why is it coming back?</label>
    <select id={id} name="reason" data-testid="return-reason" required>
      {reasons.map((r) => (
        <option value={r.code}>
          {r.label}
          {r.restock ? "" : " (written off)"}
        </option>
      ))}
    </select>
  </>
);

/** How the money goes back: the choices a return offers (an exchange when a sale with something to pay is open). */
function RefundChoices({ withReceipt, exchangeDue, cardPaid = false }: { withReceipt: boolean; exchangeDue: number | null; cardPaid?: boolean }) {
  const { locale } = usePage();
  return (
    <fieldset>
      <legend>Refund</legend>
      {withReceipt && (
        <label>
          <input type="radio" name="refund" value="original" checked data-testid="refund-original" /> to how it was paid (card first, the rest in cash)
        </label>
      )}
      <label>
        <input type="radio" name="refund" value="store_credit" checked={!withReceipt} data-testid="refund-store-credit" /> as store credit (a code on the
        return's receipt)
      </label>
      <label>
        <input type="radio" name="refund" value="cash" data-testid="refund-cash" /> all in cash
      </label>
      {cardPaid && (
        <label class="split">
          <input type="radio" name="refund" value="split" data-testid="refund-split" /> split:{" "}
          <input name="to_card" class="qty-input" inputmode="decimal" autocomplete="off" aria-label="Back to the card" data-testid="refund-to-card" /> back to
          the card, the rest in cash
        </label>
      )}
      {exchangeDue !== null && (
        <label>
          <input type="radio" name="refund" value="exchange" data-testid="refund-exchange" /> exchange: toward the sale on the register (
          {money(exchangeDue, locale)} to pay)
        </label>
      )}
    </fieldset>
  );
}

export type ReturnableLine = { lineNo: number; name: string; weighed: boolean; sold: number; left: number; paidEach: number };

export function ReturnLinesDialog(p: {
  saleId: string;
  receiptNumber: string;
  completedAt: string;
  lines: ReturnableLine[];
  reasons: { code: string; label: string; restock: boolean }[];
  tenders: { method: string; amount: number }[];
  approvers: Approver[];
  /** Another store's sale: that store (its receipt found through head office). */
  origin?: { storeId: string; storeName: string } | undefined;
  /** What the sale on the register still needs paid, when an exchange can go toward it. */
  exchangeDue: number | null;
  /** The shop's policy says no (too late, a product not taken back): a manager approves on this screen. */
  breaches: string[];
  /** Another store's receipts can be asked for (this store is connected). */
  elsewhere: boolean;
}) {
  const { locale } = usePage();
  const anyLeft = p.lines.some((l) => l.left > 0);
  return (
    <Dialog title={`Return from receipt ${p.receiptNumber}`} testid="return-lines">
      <p class="hint">
        {p.origin ? <strong data-testid="return-origin">Sold at {p.origin.storeName} </strong> : "Sold "}
        {time(p.completedAt, locale)} · paid {p.tenders.map((t) => `${t.method} ${money(t.amount, locale)}`).join(", ")}
        {!p.origin && p.elsewhere && (
          <>
            {" "}
            ·{" "}
            <button type="button" class="link" hx-get={`/returns/sale?code=${encodeURIComponent(p.receiptNumber)}&elsewhere=1`} {...toDialog}>
              not this sale? look at other stores
            </button>
          </>
        )}
      </p>
      {p.breaches.length > 0 && (
        <p class="message warn" data-testid="return-policy">
          {p.breaches.join(" ")} A manager can approve it below.
        </p>
      )}
      <form hx-post="/returns" hx-target="#dialog-body" class="return-form">
        <input type="hidden" name="sale_id" value={p.saleId} />
        {p.origin && (
          <>
            <input type="hidden" name="origin_store" value={p.origin.storeId} />
            <input type="hidden" name="receipt" value={p.receiptNumber} />
          </>
        )}
        <table class="grid return-lines">
          <thead>
            <tr>
              <th>Item</th>
              <th class="num">Sold</th>
              <th class="num">Can return</th>
              <th class="num">Return</th>
            </tr>
          </thead>
          <tbody>
            {p.lines.map((l) => (
              <tr data-testid="return-line">
                <td>
                  {l.name}
                  <span class="note">{money(l.paidEach, locale)} each, as paid</span>
                </td>
                <td class="num">{quantity(l.sold, l.weighed)}</td>
                <td class="num">{l.left > 0 ? quantity(l.left, l.weighed) : "returned"}</td>
                <td class="num">
                  {l.left > 0 && (
                    <input
                      name={`qty_${l.lineNo}`}
                      aria-label={`How many ${l.name} to return`}
                      data-testid="return-qty"
                      inputmode="decimal"
                      autocomplete="off"
                      placeholder="0"
                      class="qty-input"
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {anyLeft ? (
          <>
            <ReasonSelect id="return-reason" reasons={p.reasons} />
            <RefundChoices withReceipt exchangeDue={p.exchangeDue} cardPaid={p.tenders.some((t) => t.method === "card")} />
            {p.tenders.some((t) => t.method === "card") && (
              <div class="row">
                <div>
                  <label for="refund-last4">Card refund: last 4 digits (optional)</label>
                  <input id="refund-last4" name="last4" inputmode="numeric" maxlength={4} pattern="\d{4}" autocomplete="off" />
                </div>
                <div>
                  <label for="refund-auth">Auth code (optional)</label>
                  <input id="refund-auth" name="auth_code" maxlength={32} autocomplete="off" />
                </div>
              </div>
            )}
            <ManagerApproval id="return-pin" approvers={p.approvers} />
            <button type="submit" class="primary big" data-testid="confirm-return">
              Return and refund <kbd>Enter</kbd>
            </button>
          </>
        ) : (
          <p>Everything on this receipt has been returned already.</p>
        )}
      </form>
    </Dialog>
  );
}

/** An item without a receipt, as the dialog carries it: the product, how many, at today's price. */
export type NoReceiptItem = { productId: number; name: string; weighed: boolean; qtyMilli: number; price: number };

/**
 * Goods without a receipt: each scanned (or its SKU typed), priced from today's catalog; a manager approves on the same
 * screen; store credit unless the cashier chooses otherwise.
 */
export function NoReceiptDialog(p: {
  items: NoReceiptItem[];
  reasons: { code: string; label: string; restock: boolean }[];
  approvers: Approver[];
  exchangeDue: number | null;
  max: number;
}) {
  const { locale } = usePage();
  const total = p.items.reduce((s, i) => s + i.price, 0);
  const carried = p.items.map((i, n) => <input type="hidden" name={`item_${n + 1}`} value={`${i.productId}:${i.qtyMilli}`} />);
  return (
    <Dialog title="Return without a receipt" testid="return-no-receipt-dialog">
      <p class="hint">Priced as the goods sell today; a manager approves; at most {money(p.max, locale)} without a receipt.</p>
      <form hx-post="/returns/no-receipt/item" {...toDialog} class="no-receipt-add">
        {carried}
        <label for="no-receipt-code">Scan the item (or type its SKU)</label>
        <input id="no-receipt-code" name="code" data-testid="no-receipt-code" data-scan-here autocomplete="off" autofocus required />
        <label for="no-receipt-qty">Qty or kg</label>
        <input id="no-receipt-qty" name="qty" data-testid="no-receipt-qty" inputmode="decimal" autocomplete="off" value="1" class="qty-input" />
        <button type="submit">
          Add <kbd>Enter</kbd>
        </button>
      </form>
      {p.items.length > 0 && (
        <form hx-post="/returns/no-receipt" {...toDialog} class="return-form">
          {carried}
          <table class="grid return-lines">
            <thead>
              <tr>
                <th>Item</th>
                <th class="num">Quantity</th>
                <th class="num">Refund</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((i) => (
                <tr data-testid="no-receipt-line">
                  <td>{i.name}</td>
                  <td class="num">{quantity(i.qtyMilli, i.weighed)}</td>
                  <td class="num">{money(i.price, locale)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colspan={2}>Total</td>
                <td class="num" data-testid="no-receipt-total">
                  {money(total, locale)}
                </td>
              </tr>
            </tfoot>
          </table>
          <ReasonSelect id="no-receipt-reason" reasons={p.reasons} />
          <RefundChoices withReceipt={false} exchangeDue={p.exchangeDue} />
          <ManagerApproval id="no-receipt-pin" approvers={p.approvers} label="Manager approval" />
          <button type="submit" class="primary big" data-testid="confirm-return">
            Return and refund <kbd>Enter</kbd>
          </button>
        </form>
      )}
    </Dialog>
  );
}

export function ReturnDoneDialog({
  doc,
  returnId,
  print,
  exchange,
}: {
  doc: ReceiptDocument;
  returnId: string;
  print: PrintState;
  /** An exchange: the credit put toward the sale on the register, what is left to pay, or the sale's receipt when paid. */
  exchange?: { credit: number; due: number; completed: string | null } | null;
}) {
  const { locale } = usePage();
  return (
    <Dialog title={exchange ? "Exchange" : "Return complete"} testid="return-done">
      {exchange && (
        <p class="message info" data-testid="exchange-outcome">
          {money(exchange.credit, locale)} of the return went toward the sale;{" "}
          {exchange.completed
            ? `the sale is paid (receipt ${exchange.completed}).`
            : `the customer pays ${money(exchange.due, locale)} more: close this and take payment.`}
        </p>
      )}
      <p class="change">
        Give back{" "}
        <strong data-testid="refund-due">
          {doc.payments
            .filter((p) => p.method !== EXCHANGE_LABEL)
            .map((p) => `${money(p.amount, locale)} ${p.method.replace(" refund", "").toLowerCase()}`)
            .join(" + ") || "nothing"}
        </strong>
      </p>
      <PrintStateView saleId={returnId} print={print} url={`/returns/${returnId}/print-state`} />
      <ReceiptView doc={doc} />
      <div class="dialog-actions">
        <button type="button" class="primary big" data-close-dialog data-testid="return-close" autofocus>
          Done <kbd>Enter</kbd>
        </button>
      </div>
    </Dialog>
  );
}
