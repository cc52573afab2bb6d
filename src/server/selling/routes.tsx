// The register: one URL per action, answering with HTML fragments (htmx) or, for GET /, the whole page.

import type { Context } from "hono";
import { Hono } from "hono";
import { currencyDigits, minorToDecimal } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type Discount, run, type Sale } from "../../domain/sale/sale.ts";
import { discountOverLimit, discountShareBp } from "../../domain/sale/totals.ts";
import { PastReceiptDialog, ReceiptDialog, StoreCreditDialog, WeighDialog } from "../../views/selling/dialogs.tsx";
import { RegisterPage } from "../../views/selling/page.tsx";
import { type MessageKind, SaleLines, SaleUpdate } from "../../views/selling/sale.tsx";
import type { Shop } from "../compose.ts";
import { type ApprovalFields, approval } from "../people/approval.ts";
import { actorOf, requireRole } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { render } from "../platform/http/render.ts";
import type { Suggestion } from "../reports/together-queries.ts";
import { readCreditCode } from "../store-credit/records.ts";
import { sellingForms } from "./forms.ts";
import { fragmentRoutes } from "./fragments.tsx";
import { RECEIPT_NUMBER } from "./history.ts";
import { refusedAtTheRegister } from "./refusal.tsx";
import { type RegisterEnv, registerGate } from "./register-gate.ts";
import type { TillResult } from "./till.ts";

type Env = RegisterEnv;

/** The page's own id of a scan (X-Scan-Id), so a scan sent twice is added once; none when it sent none or a bad one. */
const scanIdOf = (c: Context<Env>): string | null => {
  const id = c.req.header("X-Scan-Id") ?? "";
  return /^[A-Za-z0-9-]{8,64}$/.test(id) ? id : null;
};

/** The register's page (GET /), behind the same gates as everything under /register. */
export function registerPage(store: Shop) {
  return [
    requireRole("cashier", { device: true }),
    registerGate(store),
    (c: Context<Env>) => {
      // the first favourites page when there is one, else the first category
      const { tabs: cats, active, keys } = store.catalog.quickKeyTabs();
      const sale = store.till.current(c.get("registerId"));
      const h = store.catalogReleases.health();
      const trouble =
        h.problems.length > 0
          ? `${h.problems.length} catalog ${h.problems.length === 1 ? "product" : "products"} without ${h.problems.length === 1 ? "its barcode" : "their barcodes"}`
          : h.lastError
            ? "catalog updates are not coming in"
            : null;
      return render(
        c,
        <RegisterPage
          sale={sale}
          totals={sale ? store.sales.totals(sale) : null}
          storeName={store.settings().storeName}
          registerName={c.get("registerName")}
          catalogVersion={store.settings().catalogVersion}
          catalogTrouble={trouble}
          categories={cats}
          activeCategory={active}
          quickKeys={keys}
          printer={store.printing.printers.forRegister(c.get("registerId"))}
          owner={`${c.get("registerId")}:${c.get("user")!.id}`}
        />,
      );
    },
  ] as const;
}

/** The register's actions and dialogs (/register/...). */
export function sellingRoutes(store: Shop) {
  const app = new Hono<Env>();
  app.use(store.saleTraffic.watch); // background counting waits while the register is busy (reports/sale-traffic.ts)
  app.use(requireRole("cashier", { device: true }));
  app.use(registerGate(store));

  // a refused action: the reason where the cashier is looking, a beep, nothing changed
  app.onError(refusedAtTheRegister);

  const saleView = (sale: Sale | null) => ({ sale, totals: sale ? store.sales.totals(sale) : null });
  const update = (c: Context<Env>, sale: Sale | null, message?: string, kind?: MessageKind, suggestion: Suggestion | null = null) =>
    render(c, <SaleUpdate {...saleView(sale)} message={message} kind={kind} suggestion={suggestion} />);
  const current = (c: Context<Env>) => store.till.current(c.get("registerId"));

  const forms = sellingForms(() => currencyDigits(store.settings().currency));

  const approverOf = (ok: { approver: { id: number; name: string } }) => ({ id: ok.approver.id, name: ok.approver.name });

  /** A discount that takes the sale or a line over the shop's limit (with every discount stacked) needs a manager. */
  async function discountApproval(c: Context<Env>, lineId: string | null, d: Discount | null, f: ApprovalFields) {
    const sale = current(c);
    if (!d || !sale) return null;
    let after: Sale;
    try {
      after = run(sale, { type: "ApplyDiscount", at: sale.openedAt, lineId, discount: d }).state as Sale;
    } catch {
      return null; // the action itself says what is wrong with it
    }
    const limit = store.settings().discountLimitBp;
    if (!discountOverLimit(after, limit)) return null;
    return approval(store, c.get("user")!, f, `A discount over ${limit / 100} %`);
  }

  app.route("/", fragmentRoutes(store));

  app.get("/sale", (c) => update(c, current(c)));

  /** A weighed item's own code carries no weight: the weight dialog asks for it instead of adding 1 kg unasked. */
  function askWeight(c: Context<Env>, e: unknown) {
    if (!(e instanceof Problem) || e.code !== "weight_needed") throw e;
    const product = store.catalog.byId((e.details as { product_id: number }).product_id);
    if (!product) throw e;
    c.header("HX-Retarget", "#dialog-body");
    c.header("HX-Reswap", "innerHTML");
    return render(c, <WeighDialog product={product} />);
  }

  /** Beyond what the books say is on the shelf (policy `warn`): the item is on the sale, and the cashier is told. */
  const added = (c: Context<Env>, r: TillResult, suggestion: Suggestion | null = null) =>
    r.warnings.length > 0
      ? update(c, r.sale, r.warnings.map((w) => w.message).join(" "), "warn", suggestion)
      : update(c, r.sale, undefined, undefined, suggestion);

  /** A product often bought with the one just scanned (the sale's last line), unless the basket has it already. */
  const suggestionAfter = (sale: Sale | null): Suggestion | null => {
    const scanned = sale?.lines.at(-1);
    return scanned ? store.together.suggestionFor(scanned.productId, new Set(sale!.lines.map((l) => l.productId))) : null;
  };

  /** The receipt of a past sale in the dialog (its copy printed when asked). */
  function pastReceipt(c: Context<Env>, sale: Sale, printed: boolean) {
    c.header("HX-Retarget", "#dialog-body");
    c.header("HX-Reswap", "innerHTML");
    const print = printed ? store.printing.stateOfSale(sale.saleId) : null;
    return render(c, <PastReceiptDialog doc={store.printing.receiptDocument(sale)} saleId={sale.saleId} print={print} />);
  }

  app.post("/scan", async (c) => {
    const { code } = await validForm(c, forms.scan);
    // the code printed on a receipt opens that sale, for a copy (and, later, a return)
    if (RECEIPT_NUMBER.test(code)) {
      const found = store.history.saleOfReceipt(code);
      if (!found) throw new Problem("sale_not_found", `No sale of this store has the receipt number ${code}.`);
      return pastReceipt(c, store.sales.load(found).state as Sale, false);
    }
    // a store credit slip scanned: it pays, in its dialog (its balance checked when the payment is taken)
    const credit = readCreditCode(code);
    if (credit) {
      const sale = current(c);
      if (!sale || sale.lines.length === 0) throw new Problem("empty_sale", "That is a store credit slip: scan the items first, then the slip pays.");
      c.header("HX-Retarget", "#dialog-body");
      c.header("HX-Reswap", "innerHTML");
      return render(c, <StoreCreditDialog due={store.sales.totals(sale).due} code={credit} />);
    }
    let r: TillResult;
    try {
      r = store.till.scan(c.get("registerId"), code, scanIdOf(c));
    } catch (e) {
      return askWeight(c, e);
    }
    return added(c, r, suggestionAfter(r.sale));
  });

  app.post("/add", async (c) => {
    const f = await validForm(c, forms.add);
    const r = store.till.addProduct(c.get("registerId"), f.product_id, f.qty);
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return added(c, r);
  });

  /**
   * Lowering or removing a line. Once payment has started it needs a manager (or goods would leave unpaid for), and so
   * does a change that lifts a discount's share over the shop's limit (an amount off a line that then shrinks). The
   * change and its audit row are one transaction.
   */
  async function changeLine(c: Context<Env>, lineId: string, qtyMilli: number | null, f: ApprovalFields) {
    const sale = current(c);
    const line = sale?.lines.find((l) => l.lineId === lineId);
    if (!sale || !line) throw new Problem("line_not_found", "That line is not on this sale any more.");
    const removing = qtyMilli === null;
    let after: Sale | null = null;
    try {
      const command = removing
        ? { type: "RemoveItem" as const, at: sale.openedAt, lineId }
        : { type: "ChangeQuantity" as const, at: sale.openedAt, lineId, qtyMilli };
      after = run(sale, command).state as Sale;
    } catch {
      after = null; // the action itself says what is wrong with it
    }
    const limit = store.settings().discountLimitBp;
    const shrinks = removing || qtyMilli < line.qtyMilli;
    let why: string | null = null;
    let action = "";
    if (after && sale.payments.length > 0 && shrinks) {
      why = removing ? "Removing a line after payment started" : "Lowering a quantity after payment started";
      action = removing ? "sale.line_removed_after_payment" : "sale.quantity_lowered_after_payment";
    } else if (after && discountShareBp(after) > Math.max(limit, discountShareBp(sale))) {
      why = `A discount over ${limit / 100} %`;
      action = "sale.discount_over_limit";
    }
    const approver = why ? approverOf(await approval(store, c.get("user")!, f, why)) : null;
    const r = store.selling.changeLine(
      actorOf(c.get("user"), c.get("device")),
      lineId,
      qtyMilli,
      why ? { action, approver, item: line.name, from: line.qtyMilli / 1000 } : null,
    );
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return update(c, r.sale, removing ? `${line.name} removed` : undefined);
  }

  app.post("/lines/:id/qty", async (c) => {
    const f = await validForm(c, forms.lineQty);
    const lineId = c.req.param("id");
    if (!("step" in f)) return changeLine(c, lineId, f.qtyMilli, f);
    const line = current(c)?.lines.find((l) => l.lineId === lineId);
    if (!line) throw new Problem("line_not_found", "That line is not on this sale any more.");
    const qty = line.qtyMilli + f.step;
    return changeLine(c, lineId, qty <= 0 ? null : qty, f);
  });

  app.post("/lines/:id/remove", async (c) => changeLine(c, c.req.param("id"), null, await validForm(c, forms.approval)));

  app.post("/lines/:id/price", async (c) => {
    const f = await validForm(c, forms.price);
    const ok = await approval(store, c.get("user")!, f, "A price override");
    const r = store.selling.overridePrice(actorOf(c.get("user"), c.get("device")), c.req.param("id"), f.price, f.reason, approverOf(ok));
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return update(c, r.sale);
  });

  app.post("/lines/:id/discount", async (c) => {
    const f = await validForm(c, forms.discount);
    const ok = await discountApproval(c, c.req.param("id"), f.discount, f);
    const r = store.selling.discount(actorOf(c.get("user"), c.get("device")), c.req.param("id"), f.discount, ok ? approverOf(ok) : null);
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return update(c, r.sale);
  });

  app.post("/discount", async (c) => {
    const f = await validForm(c, forms.discount);
    const ok = await discountApproval(c, null, f.discount, f);
    const r = store.selling.discount(actorOf(c.get("user"), c.get("device")), null, f.discount, ok ? approverOf(ok) : null);
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return update(c, r.sale);
  });

  app.post("/pay", async (c) => {
    let payment = await validForm(c, forms.pay);
    if (payment.voucher) {
      // store credit: the code read as the slip prints it; as much as it holds, up to what is due, unless less is asked
      const credit = store.credits.require(payment.voucher);
      const sale = current(c);
      const due = sale ? store.sales.totals(sale).due : 0;
      if (credit.balance === 0) throw new Problem("voucher_spent", "This store credit has been spent in full.");
      const amount = payment.amount || Math.min(credit.balance, due);
      if (amount > credit.balance) {
        throw new Problem(
          "voucher_spent",
          `This store credit holds ${minorToDecimal(credit.balance, currencyDigits(store.settings().currency))}; take no more than that.`,
        );
      }
      payment = { ...payment, voucher: credit.code, amount };
    }
    const r = store.till.pay(c.get("registerId"), payment, c.get("user")!.id);
    if (r.completed) {
      const sale = r.completed;
      store.printing.worker.kick(); // the receipt was queued with the sale; print it now
      const doc = store.printing.receiptDocument(sale);
      return render(
        c,
        <>
          <SaleUpdate {...saleView(null)} message={`Sale ${sale.receiptNumber} complete`} />
          <div id="dialog-body" hx-swap-oob="true">
            <ReceiptDialog doc={doc} change={sale.finalTotals?.change ?? 0} saleId={sale.saleId} print={store.printing.stateOfSale(sale.saleId)} />
          </div>
        </>,
      );
    }
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return update(c, r.sale);
  });

  // taking a payment off needs a manager and is logged: otherwise it would undo "a line after payment needs a manager"
  app.post("/payments/:id/remove", async (c) => {
    const payment = current(c)?.payments.find((p) => p.paymentId === c.req.param("id"));
    if (!payment) throw new Problem("payment_not_found", "That payment is not on this sale any more.");
    const f = await validForm(c, forms.removePayment);
    const ok = await approval(store, c.get("user")!, f, "Removing a payment");
    const r = store.selling.removePayment(actorOf(c.get("user"), c.get("device")), payment.paymentId, f.reason, approverOf(ok));
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return update(c, r.sale, "Payment removed — logged.");
  });

  app.post("/park", (c) => {
    store.till.park(c.get("registerId"));
    return update(c, null, "Sale parked. Recall it from any register with F7.");
  });

  app.post("/recall/:id", (c) => {
    const r = store.till.recall(c.get("registerId"), c.req.param("id").slice(0, 64));
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return update(c, r.sale, "Sale recalled");
  });

  app.post("/cancel", async (c) => {
    const f = await validForm(c, forms.cancel);
    const ok = await approval(store, c.get("user")!, f, "Cancelling a sale");
    store.selling.cancel(actorOf(c.get("user"), c.get("device")), f.reason, approverOf(ok));
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return update(c, null, "Sale cancelled");
  });

  app.post("/new", (c) => {
    const sale = current(c);
    if (sale && sale.lines.length > 0) {
      throw new Problem("sale_in_progress", "This sale is still open: take payment, park it (F6) or cancel it first.");
    }
    return update(c, sale);
  });

  // A copy is a person's decision: it prints marked COPY and is written in the journal.
  app.post("/receipt/:id/reprint", (c) => {
    const state = store.selling.reprint(actorOf(c.get("user"), c.get("device")), c.req.param("id").slice(0, 64));
    store.printing.worker.kick();
    const doc = store.printing.receiptDocument(state, true);
    return render(
      c,
      <ReceiptDialog doc={doc} change={state.finalTotals?.change ?? 0} saleId={state.saleId} print={store.printing.stateOfSale(state.saleId)} />,
    );
  });

  app.post("/receipt/:id/copy", (c) => {
    const state = store.selling.reprint(actorOf(c.get("user"), c.get("device")), c.req.param("id").slice(0, 64));
    store.printing.worker.kick();
    return pastReceipt(c, state, true);
  });

  app.post("/no-sale", async (c) => {
    const f = await validForm(c, forms.noSale);
    const ok = await approval(store, c.get("user")!, f, "Opening the drawer without a sale");
    store.shiftActions.noSale(actorOf(c.get("user"), c.get("device")), f.reason, approverOf(ok));
    store.printing.worker.kick();
    c.header("HX-Trigger", JSON.stringify({ "close-dialog": true }));
    return update(c, current(c), "Drawer opened (no sale) — logged.");
  });

  return app;
}

export { SaleLines };
