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
import {
  defaultRefunds,
  type EarlierReturns,
  type OriginalSale,
  originalOf,
  policyBreaches,
  priceReturn,
  priceWithoutReceipt,
  returnable,
} from "../../domain/return/return.ts";
import type { Sale } from "../../domain/sale/sale.ts";
import type { ForeignSale } from "../../sync/receipt-lookup.ts";
import {
  ChooseStoreDialog,
  FindSaleDialog,
  FoundSalesDialog,
  NoReceiptDialog,
  type NoReceiptItem,
  ReturnDoneDialog,
  ReturnLinesDialog,
} from "../../views/returns/dialogs.tsx";
import { PrintStateView } from "../../views/selling/dialogs.tsx";
import { SaleUpdate } from "../../views/selling/sale.tsx";
import { lineItemOf } from "../catalog/queries.ts";
import type { Shop } from "../compose.ts";
import { readHeadOfficeLink } from "../head-office/link.ts";
import { type ApprovalFields, approval, approvalFields, approversFor } from "../people/approval.ts";
import { actorOf, requireRole } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { render } from "../platform/http/render.ts";
import { RECEIPT_NUMBER, readDay, readSalesSearch, timeWindow } from "../selling/history.ts";
import { refusedAtTheRegister } from "../selling/refusal.tsx";
import { type RegisterEnv, registerGate } from "../selling/register-gate.ts";
import type { TillResult } from "../selling/till.ts";
import type { ReturnRequest, SaleElsewhere } from "./actions.ts";
import { both, policyOf } from "./actions.ts";

type C = Context<RegisterEnv>;

const refund = z.enum(["original", "cash", "store_credit", "exchange", "split"], "Choose how the money goes back.");

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

/** The items a no-receipt dialog carries (item_1 = "productId:thousandths", …), and what it adds or completes. */
const noReceiptItems = z.object({ code: z.string().trim().max(64).optional(), qty: z.string().trim().max(20).optional() }).catchall(z.string().max(40));
const noReceiptForm = z
  .object({ reason: z.string().min(1, "Choose why the goods come back.").max(100), refund: refund.exclude(["original", "split"]), ...approvalFields })
  .catchall(z.string().max(40));

const MAX_NO_RECEIPT_ITEMS = 50;

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

  /** What the sale on the register still needs paid: an exchange can go toward it (null: nothing to pay). */
  const exchangeDue = (c: C): number | null => {
    const sale = store.till.current(c.get("registerId"));
    const due = sale && sale.lines.length > 0 ? store.sales.totals(sale).due : 0;
    return due > 0 ? due : null;
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

  /** The items a no-receipt dialog carries, read back (a few at most; each a product of the catalog). */
  function carried(form: Record<string, string | undefined>): NoReceiptItem[] {
    const out: NoReceiptItem[] = [];
    for (let n = 1; n <= MAX_NO_RECEIPT_ITEMS; n++) {
      const v = form[`item_${n}`];
      if (v === undefined) break;
      const m = /^(\d{1,12}):(\d{1,9})$/.exec(v);
      const product = m ? store.catalog.byId(Number(m[1])) : null;
      if (!m || !product) throw new Problem("invalid_input", "An item on the return is not one the catalog knows; start the return again.");
      // as if typed again: a quantity in range, whole units for unit items, something worth refunding
      const qty = Number(m[2]);
      if (qty <= 0 || qty > 1_000_000 || (!product.weighed && qty % 1000 !== 0)) {
        throw new Problem("invalid_quantity", `The quantity of ${product.name} on the return is not one a person could have typed; start the return again.`);
      }
      const item = priced(product, qty);
      if (item.price <= 0) throw new Problem("invalid_input", `${product.name} has no price in the catalog: it is not taken back without a receipt.`);
      out.push(item);
    }
    return out;
  }

  /** An item at today's price, as the return will price it. */
  function priced(p: NonNullable<ReturnType<typeof store.catalog.byId>>, qtyMilli: number): NoReceiptItem {
    const [line] = priceWithoutReceipt([{ item: lineItemOf(p), qtyMilli }], store.settings().pricing.mode, true);
    return { productId: p.id, name: p.name, weighed: p.weighed, qtyMilli, price: line!.refund };
  }

  function noReceiptDialog(c: C, items: NoReceiptItem[]) {
    return render(
      c,
      <NoReceiptDialog
        items={items}
        reasons={store.returnRecords.reasons()}
        approvers={approversFor(store, c.get("user")!)}
        exchangeDue={exchangeDue(c)}
        max={store.settings().returns.maxWithoutReceipt}
      />,
    );
  }

  app.get("/no-receipt", (c) => noReceiptDialog(c, []));

  // one more item on the dialog: nothing is written until the return is taken
  app.post("/no-receipt/item", async (c) => {
    const f = await validForm(c, noReceiptItems);
    const items = carried(f);
    const code = f.code ?? "";
    if (!code) throw new Problem("invalid_input", "Scan the item, or type its barcode or SKU.");
    if (items.length >= MAX_NO_RECEIPT_ITEMS)
      throw new Problem("invalid_input", `At most ${MAX_NO_RECEIPT_ITEMS} items in one return; take the rest in another.`);
    const product = store.catalog.scan(code, store.settings().embeddedPatterns)?.product ?? store.catalog.bySku(code);
    if (!product) throw new Problem("unknown_barcode", `No product has the barcode or SKU ${code}.`, { barcode: code });
    const qty = readQuantity(f.qty || "1", product.name);
    if (!product.weighed && qty % 1000 !== 0) throw new Problem("invalid_quantity", `${product.name} is returned in whole units.`);
    const item = priced(product, qty);
    if (item.price <= 0) throw new Problem("invalid_input", `${product.name} has no price in the catalog: it is not taken back without a receipt.`);
    return noReceiptDialog(c, [...items, item]);
  });

  app.post("/no-receipt", async (c) => {
    const f = await validForm(c, noReceiptForm);
    const items = carried(f);
    if (items.length === 0) throw new Problem("nothing_to_return", "Scan or choose at least one item that comes back.");
    const goods = items.map((i) => ({ sku: store.catalog.byId(i.productId)!.sku, name: i.name }));
    const breaches = policyBreaches(
      policyOf(
        store.settings(),
        store.db,
        goods.map((g) => g.sku),
      ),
      store.clock.now().toISOString(),
      null,
      goods,
    );
    const approver = await approvals(c, f, [...breaches, "A return without a receipt"]);
    const request: ReturnRequest = {
      items: items.map((i) => ({ productId: i.productId, qtyMilli: i.qtyMilli })),
      reasonCode: f.reason,
      refunds: f.refund === "exchange" ? "store_credit" : f.refund,
      pastPolicy: true,
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

/** A quantity as a cashier types it (2, 0.5, 1,25): thousandths, or a refusal naming the item. */
function readQuantity(typed: string, name: string): number {
  const milli = parseDecimalToMinor(typed, 3);
  if (milli === null || milli <= 0) throw new Problem("invalid_quantity", `Type how many ${name} come back, like 1 or 0.5.`);
  if (milli > 1_000_000) throw new Problem("invalid_quantity", `${name}: at most 1000 come back in one return.`);
  return milli;
}
