// Returns at the register (/returns): find the sale by its receipt, choose what comes back, refund it. Behind the
// register's gates, like selling; a refusal is said in the dialog, a return's receipt prints on the register's printer.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { originalOf, returnable } from "../../domain/return/return.ts";
import type { Sale } from "../../domain/sale/sale.ts";
import { FindSaleDialog, ReturnDoneDialog, ReturnLinesDialog } from "../../views/returns/dialogs.tsx";
import { PrintStateView } from "../../views/selling/dialogs.tsx";
import type { Shop } from "../compose.ts";
import { approval, approvalFields, approversFor } from "../people/approval.ts";
import { actorOf, requireRole } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { render } from "../platform/http/render.ts";
import { RECEIPT_NUMBER } from "../selling/history.ts";
import { refusedAtTheRegister } from "../selling/refusal.tsx";
import { type RegisterEnv, registerGate } from "../selling/register-gate.ts";

type C = Context<RegisterEnv>;

const returnForm = z
  .object({
    sale_id: z.string().min(1).max(64),
    reason: z.string().min(1, "Choose why the goods come back.").max(100),
    refund: z.enum(["original", "cash"], "Choose how the money goes back."),
    last4: z
      .string()
      .trim()
      .regex(/^(\d{4})?$/, "The card's last 4 digits are four digits.")
      .optional(),
    auth_code: z.string().trim().max(32).optional(),
    ...approvalFields,
  })
  .catchall(z.string());

export function returnRoutes(store: Shop) {
  const app = new Hono<RegisterEnv>();
  app.use(requireRole("cashier", { device: true }));
  app.use(registerGate(store));

  // a refused action: the reason where the cashier is looking, a beep, nothing changed
  app.onError(refusedAtTheRegister);

  const completedSale = (id: string): Sale => {
    const { state } = store.sales.load(id.slice(0, 64));
    if (state.status !== "completed") throw new Problem("sale_not_found", "There is no completed sale with that receipt.");
    return state as Sale;
  };

  /** The sale a receipt names: its number (as typed, or as its barcode reads) or, from the sales history, its id. */
  function saleOf(c: C): Sale {
    const code = (c.req.query("code") ?? "").trim().slice(0, 64);
    const id = c.req.query("id");
    if (id) return completedSale(id);
    if (!code) throw new Problem("invalid_input", "Scan the receipt or type its number (like 001-000123).");
    if (!RECEIPT_NUMBER.test(code)) throw new Problem("invalid_input", `${code} is not a receipt number: it looks like 001-000123.`);
    const found = store.history.saleOfReceipt(code);
    if (!found) throw new Problem("sale_not_found", `No sale of this store has the receipt number ${code}.`);
    return completedSale(found);
  }

  app.get("/dialog", (c) => render(c, <FindSaleDialog />));

  app.get("/sale", (c) => {
    const sale = saleOf(c);
    const original = originalOf(sale);
    const left = returnable(original, store.returnRecords.earlier(sale.saleId));
    return render(
      c,
      <ReturnLinesDialog
        saleId={sale.saleId}
        receiptNumber={original.receiptNumber}
        completedAt={original.completedAt}
        lines={original.lines.map((l) => ({
          lineNo: l.lineNo,
          name: l.name,
          weighed: l.weighed,
          sold: l.qtyMilli,
          left: left.get(l.lineNo) ?? 0,
          paidEach: Math.round((l.paid * 1000) / l.qtyMilli),
        }))}
        reasons={store.returnRecords.reasons()}
        tenders={original.tenders}
        approvers={approversFor(store, c.get("user")!)}
      />,
    );
  });

  app.post("/", async (c) => {
    const f = await validForm(c, returnForm);
    const sale = completedSale(f.sale_id);
    const original = originalOf(sale);
    const lines: { lineNo: number; qtyMilli: number }[] = [];
    for (const l of original.lines) {
      const typed = (f[`qty_${l.lineNo}`] ?? "").trim();
      if (!typed || typed === "0") continue;
      lines.push({ lineNo: l.lineNo, qtyMilli: readQuantity(typed, l.name) });
    }
    if (lines.length === 0) throw new Problem("nothing_to_return", "Type how many of which item come back.");
    const card = f.last4 || f.auth_code ? { ...(f.last4 ? { last4: f.last4 } : {}), ...(f.auth_code ? { authCode: f.auth_code } : {}) } : undefined;
    let approver = null;
    // cash for what a card paid is a manager's call: it turns a card purchase into cash in hand
    if (f.refund === "cash" && original.tenders.some((t) => t.method !== "cash")) {
      const ok = await approval(store, c.get("user")!, f, "A cash refund for a card payment");
      approver = { id: ok.approver.id, name: ok.approver.name };
    }
    const who = actorOf(c.get("user"), c.get("device"));
    const done = store.returns.complete(who, { saleId: sale.saleId, lines, reasonCode: f.reason, refunds: f.refund, card }, approver);
    store.printing.worker.kick();
    const doc = store.printing.returnReceiptDocument(done, who.userName);
    return render(c, <ReturnDoneDialog doc={doc} returnId={done.returnId} print={store.printing.stateOfReturn(done.returnId)} />);
  });

  app.get("/:id/print-state", (c) => {
    const id = c.req.param("id").slice(0, 64);
    if (!store.returnRecords.byId(id)) throw new Problem("not_found", "There is no such return.");
    return render(c, <PrintStateView saleId={id} print={store.printing.stateOfReturn(id)} url={`/returns/${id}/print-state`} />);
  });

  return app;
}

/** A quantity as a cashier types it (2, 0.5, 1,25): thousandths, or a refusal naming the item. */
function readQuantity(typed: string, name: string): number {
  const milli = parseDecimalToMinor(typed, 3);
  if (milli === null || milli <= 0) throw new Problem("invalid_quantity", `Type how many ${name} come back, like 1 or 0.5.`);
  return milli;
}
