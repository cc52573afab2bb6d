// Returns at the register, in the register's dialog: find the sale (scan its receipt), choose lines and quantities, why,
// how the money goes back; then the return's receipt.
import type { ReceiptDocument } from "../../domain/sale/receipt.ts";
import type { PrintState } from "../../hardware/printers/queue.ts";
import { Dialog, PrintStateView } from "../selling/dialogs.tsx";
import { ReceiptView } from "../selling/receipt.tsx";
import { type Approver, ManagerApproval } from "../ui/approval.tsx";
import { usePage } from "../ui/context.ts";
import { money, quantity, time } from "../ui/format.ts";

const toDialog = { "hx-target": "#dialog-body" };

/** The first step: the receipt scanned (its barcode is the receipt number) or typed. */
export function FindSaleDialog() {
  return (
    <Dialog title="Return" testid="return-find">
      <form hx-get="/returns/sale" {...toDialog} class="inline-form">
        <label for="return-receipt">Scan the receipt, or type its number</label>
        <input id="return-receipt" name="code" data-testid="return-receipt" autocomplete="off" autofocus required placeholder="001-000123" />
        <button type="submit" class="primary">
          Find <kbd>Enter</kbd>
        </button>
      </form>
    </Dialog>
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
}) {
  const { locale } = usePage();
  const anyLeft = p.lines.some((l) => l.left > 0);
  return (
    <Dialog title={`Return from receipt ${p.receiptNumber}`} testid="return-lines">
      <p class="hint">
        Sold {time(p.completedAt, locale)} · paid {p.tenders.map((t) => `${t.method} ${money(t.amount, locale)}`).join(", ")}
      </p>
      <form hx-post="/returns" hx-target="#dialog-body" class="return-form">
        <input type="hidden" name="sale_id" value={p.saleId} />
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
            <label for="return-reason">Why is it coming back?</label>
            <select id="return-reason" name="reason" data-testid="return-reason" required>
              {p.reasons.map((r) => (
                <option value={r.code}>
                  {r.label}
                  {r.restock ? "" : " (written off)"}
                </option>
              ))}
            </select>
            <fieldset>
              <legend>Refund</legend>
              <label>
                <input type="radio" name="refund" value="original" checked data-testid="refund-original" /> to how it was paid (card first, the rest in cash)
              </label>
              <label>
                <input type="radio" name="refund" value="cash" data-testid="refund-cash" /> all in cash
              </label>
            </fieldset>
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

export function ReturnDoneDialog({ doc, returnId, print }: { doc: ReceiptDocument; returnId: string; print: PrintState }) {
  const { locale } = usePage();
  return (
    <Dialog title="Return complete" testid="return-done">
      <p class="change">
        Give back{" "}
        <strong data-testid="refund-due">
          {doc.payments.map((p) => `${money(p.amount, locale)} ${p.method.replace(" refund", "").toLowerCase()}`).join(" + ")}
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
