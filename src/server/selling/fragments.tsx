// What the register reads without changing anything: product search, quick keys, the dialogs that ask before an
// action, how a receipt is printing and how the printer is. Mounted under /register behind the register's gates.
import type { Context } from "hono";
import { Hono } from "hono";
import { Problem } from "../../domain/kernel/problem.ts";
import { computeTotals } from "../../domain/sale/totals.ts";
import { PrinterStatusBadge } from "../../views/devices/page.tsx";
import { QuickKeys, SearchResults } from "../../views/selling/catalog.tsx";
import {
  CancelDialog,
  CardDialog,
  CashDialog,
  LineDialog,
  NoSaleDialog,
  PrintStateView,
  RecallDialog,
  RemovePaymentDialog,
  SaleDiscountDialog,
  StoreCreditDialog,
  WeighDialog,
} from "../../views/selling/dialogs.tsx";
import { SCALE_TRIES, ScaleReadingView } from "../../views/selling/scale-reading.tsx";
import type { Shop } from "../compose.ts";
import { approversFor } from "../people/approval.ts";
import { render } from "../platform/http/render.ts";
import { quickCash } from "./quick-cash.ts";
import type { RegisterEnv as Env } from "./register-gate.ts";

export function fragmentRoutes(store: Shop) {
  const app = new Hono<Env>();
  const current = (c: Context<Env>) => store.till.current(c.get("registerId"));

  app.get("/search", (c) => {
    const q = (c.req.query("q") ?? "").slice(0, 100);
    const products = q.trim() ? store.catalog.searchBest(q, 12) : [];
    return render(c, <SearchResults products={products} query={q.trim()} />);
  });

  // a favourites page (?page=) or a category (?category=); one that is gone, or none asked for: the first tab
  app.get("/quick-keys", (c) => {
    const id = (name: string) => Number(c.req.query(name)) || undefined;
    const { tabs, active, keys } = store.catalog.quickKeyTabs({ page: id("page"), category: id("category") });
    return render(c, <QuickKeys categories={tabs} active={active} products={keys} />);
  });

  // Dialogs
  const dueNow = (c: Context<Env>) => {
    const sale = current(c);
    if (!sale || sale.lines.length === 0) throw new Problem("empty_sale", "Scan an item before taking payment.");
    return computeTotals(sale).due;
  };
  app.get("/dialog/cash", (c) => {
    const due = dueNow(c);
    return render(c, <CashDialog due={due} quick={quickCash(due)} />);
  });
  app.get("/dialog/card", (c) => render(c, <CardDialog due={dueNow(c)} />));
  app.get("/dialog/store-credit", (c) => render(c, <StoreCreditDialog due={dueNow(c)} />));
  app.get("/dialog/line/:id", (c) => {
    const line = current(c)?.lines.find((l) => l.lineId === c.req.param("id"));
    if (!line) throw new Problem("line_not_found", "That line is not on this sale any more.");
    return render(c, <LineDialog line={line} approvers={approversFor(store, c.get("user")!)} />);
  });
  app.get("/dialog/discount", (c) => {
    const sale = current(c);
    if (!sale || sale.lines.length === 0) throw new Problem("empty_sale", "Scan an item before giving a discount.");
    return render(c, <SaleDiscountDialog hasDiscount={sale.saleDiscount !== null} approvers={approversFor(store, c.get("user")!)} />);
  });
  app.get("/dialog/recall", (c) => render(c, <RecallDialog parked={store.till.parked()} />));
  app.get("/dialog/cancel", (c) => {
    if (!current(c)) throw new Problem("no_open_sale", "There is no sale to cancel.");
    return render(c, <CancelDialog approvers={approversFor(store, c.get("user")!)} />);
  });
  app.get("/dialog/weigh/:id", (c) => {
    const p = store.catalog.byId(Number(c.req.param("id")) || 0);
    if (!p) throw new Problem("product_not_found", "That product is no longer in the catalog.");
    return render(c, <WeighDialog product={p} />);
  });

  // the register's scale, read for the weight dialog; a register without one answers 204 and the dialog is unchanged
  app.get("/scale", async (c) => {
    const reading = await store.scales.read(c.get("registerId"));
    if (!reading) return c.body(null, 204);
    const attempt = Math.min(Math.max(Number(c.req.query("attempt")) || 1, 1), SCALE_TRIES);
    return render(c, <ScaleReadingView reading={reading} attempt={attempt} />);
  });

  app.get("/print-state/:id", (c) =>
    render(c, <PrintStateView saleId={c.req.param("id").slice(0, 64)} print={store.printing.stateOfSale(c.req.param("id").slice(0, 64))} />),
  );

  app.get("/printer-status", (c) => render(c, <PrinterStatusBadge printer={store.printing.printers.forRegister(c.get("registerId"))} />));

  app.get("/dialog/payment/:id", (c) => {
    const p = current(c)?.payments.find((x) => x.paymentId === c.req.param("id"));
    if (!p) throw new Problem("payment_not_found", "That payment is not on this sale any more.");
    return render(
      c,
      <RemovePaymentDialog
        payment={{ paymentId: p.paymentId, method: p.voucher ? "store_credit" : p.method, amount: p.amount, last4: p.card?.last4 }}
        approvers={approversFor(store, c.get("user")!)}
      />,
    );
  });

  app.get("/dialog/no-sale", (c) => render(c, <NoSaleDialog approvers={approversFor(store, c.get("user")!)} />));

  return app;
}
