// The register's dialogs: payment, line changes, discounts, recall, cancel, weight, receipt. Each is the content of
// the one <dialog> on the page; the server renders it, the page opens it.

import type { Child } from "hono/jsx";
import type { ReceiptDocument } from "../../domain/sale/receipt.ts";
import type { SaleLine } from "../../domain/sale/sale.ts";
import type { PrintState } from "../../hardware/printers/queue.ts";
import { type Approver, ManagerApproval } from "../ui/approval.tsx";
import { usePage } from "../ui/context.ts";
import { decimal, money, quantity, time } from "../ui/format.ts";
import { ReceiptView } from "./receipt.tsx";
import { ScaleSlot, WeightInput } from "./scale-reading.tsx";

const toLines = { "hx-target": "#lines", "hx-swap": "outerHTML" };

/** One dialog's content: its title, a close button, the slot where a refusal is said, and what it asks. */
export function Dialog({ title, children, testid }: { title: string; children: Child; testid?: string }) {
  return (
    <div class="dialog-content" data-testid={testid}>
      <header class="dialog-head">
        <h2 id="dialog-title">{title}</h2>
        <button type="button" class="close" data-close-dialog aria-label="Close">
          Esc ✕
        </button>
      </header>
      <p class="message error dialog-message" role="alert" data-testid="dialog-message" hidden></p>
      {children}
    </div>
  );
}

export function CashDialog({ due, quick }: { due: number; quick: number[] }) {
  const { locale } = usePage();
  return (
    <Dialog title="Cash">
      <p class="dialog-due">
        To pay <strong>{money(due, locale)}</strong>
      </p>
      <form hx-post="/register/pay" {...toLines} class="pay-form">
        <input type="hidden" name="method" value="cash" />
        <label for="cash-received">Cash received</label>
        <input
          id="cash-received"
          name="amount"
          data-testid="cash-received"
          inputmode="decimal"
          autocomplete="off"
          value={decimal(due, locale)}
          autofocus
          required
        />
        <fieldset class="quick-cash">
          <legend class="sr-only">Quick cash</legend>
          {quick.map((a) => (
            <button type="button" class="quick" hx-post="/register/pay" hx-vals={JSON.stringify({ method: "cash", amount: decimal(a, locale) })} {...toLines}>
              {money(a, locale)}
            </button>
          ))}
        </fieldset>
        <button type="submit" class="primary big" data-testid="complete-sale">
          Take cash <kbd>Enter</kbd>
        </button>
      </form>
    </Dialog>
  );
}

export function CardDialog({ due }: { due: number }) {
  const { locale } = usePage();
  return (
    <Dialog title="Card on the terminal">
      <p class="dialog-due">
        To pay <strong>{money(due, locale)}</strong> — take the card on the terminal, then confirm here.
      </p>
      <form hx-post="/register/pay" {...toLines} class="pay-form">
        <input type="hidden" name="method" value="card" />
        <label for="card-amount">Amount charged</label>
        <input
          id="card-amount"
          name="amount"
          data-testid="card-amount"
          inputmode="decimal"
          autocomplete="off"
          value={decimal(due, locale)}
          autofocus
          required
        />
        <div class="row">
          <div>
            <label for="card-last4">Last 4 digits (optional)</label>
            <input id="card-last4" name="last4" data-testid="card-last4" inputmode="numeric" maxlength={4} pattern="\d{4}" autocomplete="off" />
          </div>
          <div>
            <label for="card-auth">Auth code (optional)</label>
            <input id="card-auth" name="auth_code" data-testid="card-auth" maxlength={32} autocomplete="off" />
          </div>
        </div>
        <button type="submit" class="primary big" data-testid="card-submit">
          Card paid <kbd>Enter</kbd>
        </button>
      </form>
    </Dialog>
  );
}

/** Store credit as a tender: its code scanned from the return's receipt (or typed); as much as it holds, up to what is due. */
export function StoreCreditDialog({ due, code }: { due: number; code?: string }) {
  const { locale } = usePage();
  return (
    <Dialog title="Store credit" testid="store-credit-dialog">
      <p class="dialog-due">
        To pay <strong>{money(due, locale)}</strong> — scan the code on the store credit slip.
      </p>
      <form hx-post="/register/pay" {...toLines} class="pay-form">
        <input type="hidden" name="method" value="voucher" />
        <label for="credit-code">Store credit code</label>
        <input
          id="credit-code"
          name="voucher"
          data-testid="credit-code"
          data-scan-here
          autocomplete="off"
          autofocus
          required
          placeholder="SC 1234 5678 9012"
          value={code}
        />
        <label for="credit-amount">Amount (empty: as much as it holds, up to what is due)</label>
        <input id="credit-amount" name="amount" data-testid="credit-amount" inputmode="decimal" autocomplete="off" />
        <button type="submit" class="primary big" data-testid="credit-submit">
          Pay with store credit <kbd>Enter</kbd>
        </button>
      </form>
    </Dialog>
  );
}

export function LineDialog({ line, approvers }: { line: SaleLine; approvers: Approver[] }) {
  const { locale } = usePage();
  const base = `/register/lines/${line.lineId}`;
  return (
    <Dialog title={line.name}>
      <form hx-post={`${base}/qty`} {...toLines} class="inline-form">
        <label for="line-qty">{line.weighed ? "Weight (kg)" : "Quantity"}</label>
        <input id="line-qty" name="qty" inputmode="decimal" value={quantity(line.qtyMilli, false)} autofocus required />
        <button type="submit" class="primary">
          Set
        </button>
      </form>
      <form hx-post={`${base}/price`} {...toLines} class="inline-form">
        <label for="line-price">New price{line.weighed ? " per kg" : ""}</label>
        <input id="line-price" name="price" inputmode="decimal" value={decimal(line.unitPrice, locale)} required />
        <label for="line-price-reason">Reason</label>
        <input id="line-price-reason" name="reason" required placeholder="e.g. damaged packaging" />
        <ManagerApproval id="line-price-pin" approvers={approvers} />
        <button type="submit">Change price</button>
      </form>
      <DiscountForm action={`${base}/discount`} hasDiscount={!!line.discount} approvers={approvers} />
      <form hx-post={`${base}/remove`} {...toLines} class="inline-form">
        <ManagerApproval id="remove-line-pin" approvers={approvers} />
        <button type="submit" class="danger" data-testid="remove-line">
          Remove line <kbd>Del</kbd>
        </button>
      </form>
    </Dialog>
  );
}

function DiscountForm({ action, hasDiscount, approvers, first = false }: { action: string; hasDiscount: boolean; approvers: Approver[]; first?: boolean }) {
  return (
    <form hx-post={action} {...toLines} class="inline-form">
      <fieldset>
        <legend>Discount</legend>
        <label>
          <input type="radio" name="kind" value="percent" checked /> %
        </label>
        <label>
          <input type="radio" name="kind" value="amount" /> amount
        </label>
      </fieldset>
      <label for={`${action}-value`}>Value</label>
      <input id={`${action}-value`} name="value" inputmode="decimal" required autofocus={first} data-testid="discount-value" />
      <label for={`${action}-reason`}>Reason</label>
      <input id={`${action}-reason`} name="reason" placeholder="e.g. staff, loyalty" />
      <ManagerApproval id={`${action}-pin`} approvers={approvers} />
      <button type="submit">Apply discount</button>
      {hasDiscount && (
        <button type="button" hx-post={action} hx-vals='{"kind":"none"}' {...toLines}>
          Remove discount
        </button>
      )}
    </form>
  );
}

export function SaleDiscountDialog({ hasDiscount, approvers }: { hasDiscount: boolean; approvers: Approver[] }) {
  return (
    <Dialog title="Discount on the whole sale">
      <DiscountForm action="/register/discount" hasDiscount={hasDiscount} approvers={approvers} first />
    </Dialog>
  );
}

export type ParkedRow = { id: string; register: string; parkedAt: string; items: number; total: number; firstItem: string };

export function RecallDialog({ parked }: { parked: ParkedRow[] }) {
  const { locale } = usePage();
  return (
    <Dialog title="Recall a parked sale">
      {parked.length === 0 && <p>No sales are parked.</p>}
      <ul class="parked">
        {parked.map((p) => (
          <li>
            <button type="button" class="parked-sale" data-testid="parked-sale" hx-post={`/register/recall/${p.id}`} {...toLines}>
              <span>
                {time(p.parkedAt, locale)} · {p.register}
              </span>
              <span>
                {p.items} line{p.items === 1 ? "" : "s"} · {p.firstItem}
              </span>
              <strong>{money(p.total, locale)}</strong>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

export function CancelDialog({ approvers }: { approvers: Approver[] }) {
  return (
    <Dialog title="Cancel this sale?">
      <form hx-post="/register/cancel" {...toLines} class="inline-form">
        <label for="cancel-reason">Reason</label>
        <input id="cancel-reason" name="reason" autofocus placeholder="e.g. customer changed their mind" />
        <ManagerApproval id="cancel-pin" approvers={approvers} />
        <button type="submit" class="danger" data-testid="confirm-cancel">
          Cancel sale
        </button>
      </form>
    </Dialog>
  );
}

export function WeighDialog({ product }: { product: { id: number; name: string; price: number } }) {
  const { locale } = usePage();
  return (
    <Dialog title={product.name}>
      <p>{money(product.price, locale)} per kg</p>
      <form hx-post="/register/add" {...toLines} class="inline-form">
        <input type="hidden" name="product_id" value={String(product.id)} />
        <label for="weigh-kg">Weight (kg)</label>
        <WeightInput />
        <button type="submit" class="primary">
          Add
        </button>
      </form>
      <ScaleSlot />
    </Dialog>
  );
}

/** How the receipt is doing; asks again every second while it is on its way. */
export function PrintStateView({ saleId, print, url }: { saleId: string; print: PrintState; url?: string }) {
  const waiting = print.state === "queued" || print.state === "printing";
  return (
    <p
      class={`print-state ${print.state}`}
      data-testid="print-state"
      data-state={print.state}
      role="status"
      {...(waiting ? { "hx-get": url ?? `/register/print-state/${saleId}`, "hx-trigger": "load delay:1s", "hx-swap": "outerHTML" } : {})}
    >
      {print.printer ? `${print.printer}: ` : ""}
      {print.message}
    </p>
  );
}

/** Taking a payment off a sale is a manager's call: it could hide a line removed after payment, or cash kept back. */
export function RemovePaymentDialog({
  payment,
  approvers,
}: {
  payment: { paymentId: string; method: string; amount: number; last4?: string | undefined };
  approvers: Approver[];
}) {
  const { locale } = usePage();
  const what =
    payment.method === "cash"
      ? "Cash"
      : payment.method === "card"
        ? `Card${payment.last4 ? ` •••• ${payment.last4}` : ""}`
        : payment.method === "store_credit"
          ? "Store credit (its balance is given back)"
          : "Voucher";
  return (
    <Dialog title="Remove this payment?">
      <p>
        {what} <strong>{money(payment.amount, locale)}</strong> comes off the sale and is due again. Give back what was taken.
      </p>
      <form hx-post={`/register/payments/${payment.paymentId}/remove`} {...toLines} class="inline-form">
        <label for="remove-payment-reason">Reason (it is logged)</label>
        <input id="remove-payment-reason" name="reason" autofocus required placeholder="e.g. wrong amount typed" />
        <ManagerApproval id="remove-payment-pin" approvers={approvers} />
        <button type="submit" class="danger" data-testid="confirm-remove-payment">
          Remove payment
        </button>
      </form>
    </Dialog>
  );
}

export function NoSaleDialog({ approvers }: { approvers: Approver[] }) {
  return (
    <Dialog title="Open the drawer without a sale">
      <form hx-post="/register/no-sale" {...toLines} class="inline-form">
        <label for="no-sale-reason">Reason (it is logged)</label>
        <input id="no-sale-reason" name="reason" autofocus required placeholder="e.g. change for the float" />
        <ManagerApproval id="no-sale-pin" approvers={approvers} />
        <button type="submit" class="primary" data-testid="confirm-no-sale">
          Open drawer
        </button>
      </form>
    </Dialog>
  );
}

export function ReceiptDialog({ doc, change, saleId, print }: { doc: ReceiptDocument; change: number; saleId: string; print: PrintState }) {
  const { locale } = usePage();
  return (
    <Dialog title="Sale complete" testid="receipt-modal">
      <p class="change">
        Change <strong data-testid="change-due">{money(change, locale)}</strong>
      </p>
      <PrintStateView saleId={saleId} print={print} />
      <ReceiptView doc={doc} />
      <div class="dialog-actions">
        <button type="button" hx-post={`/register/receipt/${saleId}/reprint`} hx-target="#dialog-body" data-testid="reprint">
          Reprint
        </button>
        <button type="button" class="primary big" data-close-dialog data-testid="next-sale" autofocus>
          Next sale <kbd>Enter</kbd>
        </button>
      </div>
    </Dialog>
  );
}

/** A past sale's receipt, opened at the register by scanning the code printed on it. */
export function PastReceiptDialog({ doc, saleId, print }: { doc: ReceiptDocument; saleId: string; print: PrintState | null }) {
  return (
    <Dialog title={`Receipt ${doc.receiptNumber}`} testid="past-receipt">
      {print && <PrintStateView saleId={saleId} print={print} />}
      <ReceiptView doc={doc} />
      <div class="dialog-actions">
        <a class="button" href={`/sales/${saleId}`} data-testid="open-in-history">
          Sales history
        </a>
        <button type="button" hx-get={`/returns/sale?id=${saleId}`} hx-target="#dialog-body" data-testid="start-return">
          Return items
        </button>
        <button type="button" class="primary" hx-post={`/register/receipt/${saleId}/copy`} hx-target="#dialog-body" data-testid="print-copy" autofocus>
          Print a copy
        </button>
      </div>
    </Dialog>
  );
}
