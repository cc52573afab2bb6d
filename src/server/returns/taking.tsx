// Taking a return at the register, shared by the receipt's routes and the no-receipt ones: the managers' approvals it
// needs, what the sale on the register still needs paid (an exchange goes toward it), and the return done — its
// receipt in the dialog and, for an exchange, the sale on the register as it is now.
import type { Context } from "hono";
import { z } from "zod";
import { parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { ReturnDoneDialog } from "../../views/returns/dialogs.tsx";
import { SaleUpdate } from "../../views/selling/sale.tsx";
import type { Shop } from "../compose.ts";
import { type ApprovalFields, approval } from "../people/approval.ts";
import { actorOf } from "../people/guard.ts";
import { render } from "../platform/http/render.ts";
import type { RegisterEnv } from "../selling/register-gate.ts";
import type { TillResult } from "../selling/till.ts";
import type { ReturnRequest } from "./actions.ts";

type C = Context<RegisterEnv>;

/** How the money goes back, as the return dialogs offer it. */
export const refund = z.enum(["original", "cash", "store_credit", "exchange", "split"], "Choose how the money goes back.");

export function returnTaking(store: Shop) {
  /** What the sale on the register still needs paid: an exchange can go toward it (null: nothing to pay). */
  const exchangeDue = (c: C): number | null => {
    const sale = store.till.current(c.get("registerId"));
    const due = sale && sale.lines.length > 0 ? store.sales.totals(sale).due : 0;
    return due > 0 ? due : null;
  };

  /** The approvals a return needs before it is taken: past the policy, cash for a card payment, no receipt. */
  async function approvals(c: C, f: ApprovalFields, needs: string[]) {
    if (needs.length === 0) return null;
    const ok = await approval(store, c.get("user")!, f, needs.join(" "));
    return { id: ok.approver.id, name: ok.approver.name };
  }

  /** The return done: its receipt in the dialog; for an exchange, the sale on the register as it is now, too. */
  function done(c: C, request: ReturnRequest, exchange: boolean, approver: { id: number; name: string } | null) {
    const who = actorOf(c.get("user"), c.get("device"));
    let ret: ReturnType<typeof store.returns.complete>;
    let sale: TillResult | null = null;
    if (exchange) {
      const r = store.returns.exchange(who, request, approver);
      ret = r.done;
      sale = r.till;
    } else {
      ret = store.returns.complete(who, request, approver);
    }
    store.printing.worker.kick();
    const doc = store.printing.returnReceiptDocument(ret, who.userName, store.returnRecords.exchangeOf(ret.returnId));
    const credit = ret.refunds.find((f) => f.voucher);
    return render(
      c,
      <>
        <ReturnDoneDialog
          doc={doc}
          returnId={ret.returnId}
          print={store.printing.stateOfReturn(ret.returnId)}
          exchange={sale && credit ? exchangeOf(sale, credit.voucher!) : null}
        />
        {sale && (
          <SaleUpdate
            sale={sale.sale}
            totals={sale.sale ? store.sales.totals(sale.sale) : null}
            message={sale.completed ? `Sale ${sale.completed.receiptNumber} complete (exchange)` : "Exchange: the return's credit is on the sale"}
            oob
          />
        )}
      </>,
    );
  }

  /** What an exchange did to the sale on the register: the credit put toward it, what is left to pay, or its receipt. */
  function exchangeOf(r: TillResult, code: string) {
    const sale = r.completed ?? r.sale;
    return {
      credit: sale?.payments.find((p) => p.voucher === code)?.amount ?? 0,
      due: r.sale ? store.sales.totals(r.sale).due : 0,
      completed: r.completed?.receiptNumber ?? null,
    };
  }

  return { exchangeDue, approvals, done };
}

/** A quantity as a cashier types it (2, 0.5, 1,25): thousandths, or a refusal naming the item. */
export function readQuantity(typed: string, name: string): number {
  const milli = parseDecimalToMinor(typed, 3);
  if (milli === null || milli <= 0) throw new Problem("invalid_quantity", `Type how many ${name} come back, like 1 or 0.5.`);
  if (milli > 1_000_000) throw new Problem("invalid_quantity", `${name}: at most 1000 come back in one return.`);
  return milli;
}
