// Returns at the register (/returns): find the sale by its receipt (this store's, or through head office another
// store's), or take goods back without one; choose what comes back, why, how the money goes back (the original tenders,
// cash, store credit, or toward the sale on the register: an exchange). Behind the register's gates, like selling; a
// refusal is said in the dialog, a return's receipt prints on the register's printer.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { currencyDigits, parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { defaultRefunds, type EarlierReturns, type OriginalSale, originalOf, policyBreaches, priceReturn, returnable } from "../../domain/return/return.ts";
import type { Sale } from "../../domain/sale/sale.ts";
import type { ForeignSale } from "../../sync/receipt-lookup.ts";
import { ChooseStoreDialog, FindSaleDialog, FoundSalesDialog, ReturnLinesDialog } from "../../views/returns/dialogs.tsx";
import { PrintStateView } from "../../views/selling/dialogs.tsx";
import type { Shop } from "../compose.ts";
import { readHeadOfficeLink } from "../head-office/link.ts";
import { approvalFields, approversFor } from "../people/approval.ts";
import { requireRole } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { render } from "../platform/http/render.ts";
import { RECEIPT_NUMBER, readDay, readSalesSearch, timeWindow } from "../selling/history.ts";
import { refusedAtTheRegister } from "../selling/refusal.tsx";
import { type RegisterEnv, registerGate } from "../selling/register-gate.ts";
import type { ReturnRequest, SaleElsewhere } from "./actions.ts";
import { both, policyOf } from "./actions.ts";
import { noReceiptRoutes } from "./no-receipt-routes.tsx";
import { readQuantity, refund, returnTaking } from "./taking.tsx";

type C = Context<RegisterEnv>;

const returnForm = z
  .object({
    sale_id: z.string().min(1).max(64),
    origin_store: z.string().max(64).optional(),
    receipt: z.string().max(64).optional(),
    reason: z.string().min(1, "Choose why the goods come back.").max(100),
    refund,
    last4: z
      .string()
      .trim()
      .regex(/^(\d{4})?$/, "The card's last 4 digits are four digits.")
      .optional(),
    auth_code: z.string().trim().max(32).optional(),
    /** The cashier's split: this much back to the card, the rest in cash. */
    to_card: z.string().trim().max(20).optional(),
    ...approvalFields,
  })
  .catchall(z.string());

export function returnRoutes(store: Shop) {
  const app = new Hono<RegisterEnv>();
  app.use(requireRole("cashier", { device: true }));
  app.use(registerGate(store));

  // a refused action: the reason where the cashier is looking, a beep, nothing changed
  app.onError(refusedAtTheRegister);
  const { exchangeDue, approvals, done } = returnTaking(store);
  app.route("/no-receipt", noReceiptRoutes(store));

  const completedSale = (id: string): Sale => {
    const { state } = store.sales.load(id.slice(0, 64));
    if (state.status !== "completed") throw new Problem("sale_not_found", "There is no completed sale with that receipt.");
    return state as Sale;
  };

  const connected = () => readHeadOfficeLink(store.db) !== null;

  /** Another store's sales with this receipt number, through head office; a refusal the cashier can act on when not. */
  async function elsewhere(code: string): Promise<ForeignSale[]> {
    const found = await store.receiptsElsewhere(code);
    if (found.status === "found") return found.sales;
    if (found.status === "not_found") throw new Problem("sale_not_found", `No store of the chain has a sale with the receipt number ${code}.`);
    throw new Problem(
      "receipt_elsewhere_unreachable",
      `Receipt ${code} is not from this store, and head office cannot be reached to find it now: take the goods back as a return without a receipt.`,
    );
  }

  function linesDialog(c: C, original: OriginalSale, earlier: ReturnType<typeof store.returnRecords.earlier>) {
    const left = returnable(original, earlier);
    const now = store.clock.now().toISOString();
    const breaches = policyBreaches(
      policyOf(
        store.settings(),
        store.db,
        original.lines.map((l) => l.sku),
      ),
      now,
      original.completedAt,
      original.lines,
    );
    return render(
      c,
      <ReturnLinesDialog
        saleId={original.saleId}
        receiptNumber={original.receiptNumber}
        completedAt={original.completedAt}
        origin={original.origin}
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
        exchangeDue={exchangeDue(c)}
        breaches={breaches}
        elsewhere={connected()}
      />,
    );
  }

  /** Another store's sale, as this store's returns see it: head office's figures and this store's own returns of it. */
  const asElsewhere = (f: ForeignSale): SaleElsewhere => ({ storeId: f.storeId, storeName: f.storeName, original: f.original, earlier: f.earlier });

  /** This store's sale: its own returns, and what other stores of the chain took back of it (when head office says). */
  async function ownSale(c: C, sale: Sale) {
    // (asked only of a connected store: the register's lookup waits on nothing it need not)
    const elsewhere = connected() ? await store.returnedElsewhere(sale.saleId) : null;
    const here = store.returnRecords.earlier(sale.saleId);
    return linesDialog(c, originalOf(sale), elsewhere ? both(here, elsewhere) : here);
  }

  app.get("/dialog", (c) => render(c, <FindSaleDialog connected={connected()} />));

  app.get("/sale", async (c) => {
    const code = (c.req.query("code") ?? "").trim().slice(0, 64);
    const id = c.req.query("id");
    if (id) return ownSale(c, completedSale(id));
    if (!code) throw new Problem("invalid_input", "Scan the receipt or type its number (like 001-000123).");
    if (!RECEIPT_NUMBER.test(code)) {
      // no receipt number: the customer remembers the day, the amount, the card or the time
      const bad = textProblem(code, "The search", { max: 40 });
      if (bad) throw new Problem(bad.code, bad.message);
      const day = readDay(c.req.query("day") || undefined);
      const search = readSalesSearch(code, currencyDigits(store.settings().currency));
      const found = store.history.find(search, { day, limit: 10, around: timeWindow(search, day, store.settings().timeZone, store.clock.now()) });
      if (found.sales.length === 0) {
        throw new Problem(
          "sale_not_found",
          `No sale of this store matches ${code}${day ? ` on ${day}` : ""}; try the receipt number, the amount or another day.`,
        );
      }
      if (found.sales.length === 1) return ownSale(c, completedSale(found.sales[0]!.id));
      return render(c, <FoundSalesDialog query={code} sales={found.sales} more={found.next !== null} />);
    }
    const here = c.req.query("elsewhere") || c.req.query("store") ? null : store.history.saleOfReceipt(code);
    if (here) return ownSale(c, completedSale(here));
    if (!connected()) {
      throw new Problem(
        "sale_not_found",
        `No sale of this store has the receipt number ${code}; a receipt from another store is taken back as a return without a receipt (this store is not connected to head office).`,
      );
    }
    const wanted = c.req.query("store");
    const sales = (await elsewhere(code)).filter((s) => !wanted || s.storeId === wanted);
    if (sales.length === 0) throw new Problem("sale_not_found", `No store of the chain has a sale with the receipt number ${code}.`);
    if (sales.length > 1) {
      return render(
        c,
        <ChooseStoreDialog
          code={code}
          sales={sales.map((s) => ({
            storeId: s.storeId,
            storeName: s.storeName,
            completedAt: s.original.completedAt,
            total: s.original.lines.reduce((t, l) => t + l.paid, 0),
          }))}
        />,
      );
    }
    const e = store.returns.elsewhereAsSeenHere(asElsewhere(sales[0]!));
    return linesDialog(c, e.original, e.earlier);
  });

  app.post("/", async (c) => {
    const f = await validForm(c, returnForm);
    let found: { original: OriginalSale; elsewhere?: SaleElsewhere; returnedElsewhere?: EarlierReturns | null };
    if (f.origin_store) {
      // another store's sale: asked of head office again now, so that what is returnable is as head office knows it
      const code = (f.receipt ?? "").trim();
      if (!RECEIPT_NUMBER.test(code)) throw new Problem("invalid_input", "The receipt number is missing; scan the receipt again.");
      const sale = (await elsewhere(code)).find((s) => s.storeId === f.origin_store && s.original.saleId === f.sale_id);
      if (!sale) throw new Problem("sale_not_found", `Head office no longer has receipt ${code} of that store; scan it again.`);
      found = { original: sale.original, elsewhere: asElsewhere(sale) };
    } else {
      const sale = completedSale(f.sale_id);
      found = { original: originalOf(sale), returnedElsewhere: connected() ? await store.returnedElsewhere(sale.saleId) : null };
    }
    const { original } = found;
    const lines: { lineNo: number; qtyMilli: number }[] = [];
    for (const l of original.lines) {
      const typed = (f[`qty_${l.lineNo}`] ?? "").trim();
      if (!typed || typed === "0") continue;
      lines.push({ lineNo: l.lineNo, qtyMilli: readQuantity(typed, l.name) });
    }
    if (lines.length === 0) throw new Problem("nothing_to_return", "Type how many of which item come back.");
    const card = f.last4 || f.auth_code ? { ...(f.last4 ? { last4: f.last4 } : {}), ...(f.auth_code ? { authCode: f.auth_code } : {}) } : undefined;
    const now = store.clock.now().toISOString();
    const chosen = original.lines.filter((l) => lines.some((x) => x.lineNo === l.lineNo));
    const breaches = policyBreaches(
      policyOf(
        store.settings(),
        store.db,
        chosen.map((l) => l.sku),
      ),
      now,
      original.completedAt,
      chosen,
    );
    const needs = [...breaches];
    // cash for what a card paid is a manager's call: it turns a card purchase into cash in hand
    if (f.refund === "cash" && original.tenders.some((t) => t.method !== "cash")) needs.push("A cash refund for a card or store credit payment");
    let toCard: number | null = null;
    if (f.refund === "split") {
      toCard = parseDecimalToMinor(f.to_card ?? "", currencyDigits(store.settings().currency));
      if (toCard === null || toCard < 0) throw new Problem("invalid_amount", "Type how much goes back to the card, like 12.50; the rest is given in cash.");
      // more in cash than the tenders' own cash share is a card (or store credit) purchase turned into cash: a manager's call
      const earlier = found.elsewhere ? found.elsewhere.earlier : store.returnRecords.earlier(original.saleId);
      const total = priceReturn(original, earlier, lines, true).reduce((s, l) => s + l.refund, 0);
      const cashShare = defaultRefunds(original, earlier, total).find((r) => r.method === "cash")?.amount ?? 0;
      if (total - toCard > cashShare) needs.push("Giving back in cash what a card or store credit paid");
    }
    const approver = await approvals(c, f, needs.length > 0 && breaches.length > 0 ? [...breaches, "Taking it back anyway"] : needs);
    const request: ReturnRequest = {
      ...(found.elsewhere ? { elsewhere: found.elsewhere } : { saleId: original.saleId, returnedElsewhere: found.returnedElsewhere ?? null }),
      lines,
      reasonCode: f.reason,
      refunds: f.refund === "exchange" ? "original" : f.refund === "split" ? { toCard: toCard! } : f.refund,
      // and checked again inside the transaction: cash beyond the tenders' own only with the manager approved here
      cashForOtherTenders: approver !== null,
      card,
      pastPolicy: breaches.length > 0,
    };
    return done(c, request, f.refund === "exchange", approver);
  });

  app.get("/:id/print-state", (c) => {
    const id = c.req.param("id").slice(0, 64);
    if (!store.returnRecords.byId(id)) throw new Problem("not_found", "There is no such return.");
    return render(c, <PrintStateView saleId={id} print={store.printing.stateOfReturn(id)} url={`/returns/${id}/print-state`} />);
  });

  return app;
}
