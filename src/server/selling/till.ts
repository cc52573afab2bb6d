// The register's actions on its open sale. Each action is one immediate transaction: the scan is on disk before the
// row appears, so a reload, a crashed tablet or a restarted server finds the sale as it was.

import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";
import { type Discount, type Payment, type Sale, type SaleCommand, scanCommand } from "../../domain/sale/sale.ts";
import { type Checkout, type CheckoutDeps, type LineRequest, resolveLine, type Warning } from "./checkout.ts";
import type { Loaded } from "./sale-events.ts";

export type TillResult = { sale: Sale | null; completed: Sale | null; warnings: Warning[] };

export type ParkedSale = { id: string; register: string; parkedAt: string; items: number; total: number; firstItem: string };

export function till(deps: CheckoutDeps & { checkout: Checkout; db: Database; onCompleted?: (sale: Sale) => void }) {
  const { db, sales, clock, ids, settings, checkout, stock } = deps;
  const openOf = db.query<{ id: string }, [number]>("SELECT id FROM sales WHERE register_id = ? AND status = 'open' ORDER BY opened_at DESC, id DESC LIMIT 1");
  // which shift and cashier a sale belongs to: the register's open shift when it starts, and again when it ends
  const stamp = db.query(
    "UPDATE sales SET shift_id = (SELECT id FROM shifts WHERE register_id = ? AND closed_at IS NULL), cashier_id = coalesce(?, cashier_id) WHERE id = ?",
  );
  const parkedList = db.query<{ id: string; register: string }, []>(
    "SELECT s.id, r.name AS register FROM sales s JOIN registers r ON r.id = s.register_id WHERE s.status = 'parked' ORDER BY s.opened_at",
  );

  const rememberScan = db.query("INSERT OR IGNORE INTO register_scans(register_id, scan_id, at) VALUES (?, ?, ?)");
  const forgetScans = db.query("DELETE FROM register_scans WHERE register_id = ? AND at < ?");

  function current(registerId: number): { saleId: string; loaded: Loaded } | null {
    const row = openOf.get(registerId);
    return row ? { saleId: row.id, loaded: sales.load(row.id) } : null;
  }

  function requireCurrent(registerId: number) {
    const c = current(registerId);
    if (!c) throw new Problem("no_open_sale", "There is no sale in progress on this register; scan an item to start one.");
    return c;
  }

  /** Run commands on the register's open sale (starting one when `start` and there is none). */
  function act(registerId: number, start: boolean, build: (sale: Sale, at: string) => SaleCommand[]): TillResult {
    const at = clock.now().toISOString();
    let c = current(registerId);
    if (!c) {
      if (!start) throw new Problem("no_open_sale", "There is no sale in progress on this register; scan an item to start one.");
      const saleId = ids.next();
      const loaded = sales.apply(saleId, { state: { status: "none" }, count: 0 }, [{ type: "StartSale", at, saleId, registerId, pricing: settings().pricing }]);
      stamp.run(registerId, null, saleId);
      c = { saleId, loaded };
    }
    const loaded = sales.apply(c.saleId, c.loaded, build(c.loaded.state as Sale, at));
    return { sale: loaded.state.status === "open" ? (loaded.state as Sale) : null, completed: null, warnings: [] };
  }

  /**
   * A scanned or picked item onto the sale. Beyond what the books say is on the shelf, the store's policy decides now,
   * while the customer is still there: `block` refuses the item, `warn` adds it and says so.
   */
  function addLine(registerId: number, req: LineRequest): TillResult {
    let productId = 0;
    const r = act(registerId, true, (sale, at) => {
      const { item, qtyMilli } = resolveLine(deps, req);
      productId = item.productId;
      return [scanCommand(sale, item, qtyMilli, ids.next(), at)];
    });
    const sameProduct = (r.sale?.lines ?? []).filter((l) => l.productId === productId);
    return { ...r, warnings: stock.check(sameProduct, r.sale?.saleId ?? null) };
  }

  const tx = <A extends unknown[]>(f: (...a: A) => TillResult) => {
    const t = db.transaction(f);
    return (...a: A): TillResult => t.immediate(...a);
  };

  return {
    current(registerId: number): Sale | null {
      const c = current(registerId);
      return c ? (c.loaded.state as Sale) : null;
    },
    /**
     * A scan onto the register's sale. `scanId` is the page's own id of this scan: the same id again (an answer lost on
     * the way, a kept scan sent twice) adds nothing and answers with the sale as it is.
     */
    scan: tx((registerId: number, code: string, scanId: string | null = null): TillResult => {
      if (scanId) {
        const at = clock.now();
        if (rememberScan.run(registerId, scanId, at.toISOString()).changes === 0) {
          const c = current(registerId);
          return { sale: c && c.loaded.state.status === "open" ? (c.loaded.state as Sale) : null, completed: null, warnings: [] };
        }
        forgetScans.run(registerId, new Date(at.getTime() - 86_400_000).toISOString());
      }
      return addLine(registerId, { barcode: code });
    }),
    addProduct: tx((registerId: number, productId: number, qtyMilli: number | null) =>
      addLine(registerId, { product_id: productId, ...(qtyMilli === null ? {} : { qty: qtyMilli / 1000 }) }),
    ),
    /** A line's quantity changed; more of it goes by the stock policy as a scan does (`block` refuses it). */
    changeQuantity: tx((registerId: number, lineId: string, qtyMilli: number) => {
      const r = act(registerId, false, (_s, at) => [{ type: "ChangeQuantity", at, lineId, qtyMilli }]);
      const productId = r.sale?.lines.find((l) => l.lineId === lineId)?.productId;
      const sameProduct = (r.sale?.lines ?? []).filter((l) => l.productId === productId);
      return { ...r, warnings: stock.check(sameProduct, r.sale?.saleId ?? null) };
    }),
    removeLine: tx((registerId: number, lineId: string) => act(registerId, false, (_s, at) => [{ type: "RemoveItem", at, lineId }])),
    overridePrice: tx((registerId: number, lineId: string, unitPrice: number, reason: string) =>
      act(registerId, false, (_s, at) => [{ type: "OverridePrice", at, lineId, unitPrice, reason }]),
    ),
    discount: tx((registerId: number, lineId: string | null, discount: Discount | null) =>
      act(registerId, false, (_s, at) => [{ type: "ApplyDiscount", at, lineId, discount }]),
    ),
    /** A payment taken off the sale; store credit it spent is back on the credit. */
    removePayment: tx((registerId: number, paymentId: string) => {
      const payment =
        current(registerId)?.loaded.state.status === "open"
          ? (current(registerId)!.loaded.state as Sale).payments.find((p) => p.paymentId === paymentId)
          : undefined;
      const r = act(registerId, false, (_s, at) => [{ type: "RemovePayment", at, paymentId }]);
      if (payment?.voucher) deps.credits.restore(payment.voucher, payment.amount, clock.now().toISOString(), r.sale!.saleId, paymentId);
      return r;
    }),
    /** Take a payment; when nothing is left to pay the sale completes in the same transaction. */
    pay: tx((registerId: number, payment: Omit<Payment, "paymentId">, cashierId: number | null = null): TillResult => {
      const at = clock.now().toISOString();
      const c = requireCurrent(registerId);
      const paymentId = ids.next();
      const loaded = sales.apply(c.saleId, c.loaded, [{ type: "AddPayment", at, payment: { ...payment, paymentId } }]);
      // store credit: its balance goes down with the payment, or the payment is refused (spent meanwhile)
      if (payment.voucher) deps.credits.spend(payment.voucher, payment.amount, at, c.saleId, paymentId);
      const sale = loaded.state as Sale;
      if (sales.totals(sale).due > 0) return { sale, completed: null, warnings: [] };
      const done = checkout.complete(c.saleId, loaded, at);
      stamp.run(registerId, cashierId, c.saleId);
      const completed = done.loaded.state as Sale;
      deps.onCompleted?.(completed); // e.g. queue the receipt, in this same transaction
      return { sale: null, completed, warnings: done.warnings };
    }),
    park: tx((registerId: number) => {
      const c = requireCurrent(registerId);
      sales.apply(c.saleId, c.loaded, [{ type: "ParkSale", at: clock.now().toISOString() }]);
      return { sale: null, completed: null, warnings: [] };
    }),
    /** Bring a parked sale back on this register; the register must not be in the middle of another one. */
    recall: tx((registerId: number, saleId: string) => {
      const c = current(registerId);
      if (c && (c.loaded.state as Sale).lines.length > 0) {
        throw new Problem("sale_in_progress", "Finish, park or cancel the sale on this register before recalling another.");
      }
      const at = clock.now().toISOString();
      if (c) sales.apply(c.saleId, c.loaded, [{ type: "CancelSale", at, reason: "empty sale replaced by a recalled one" }]);
      const loaded = sales.apply(saleId, sales.load(saleId), [{ type: "ResumeSale", at, registerId }]);
      return { sale: loaded.state as Sale, completed: null, warnings: [] };
    }),
    cancel: tx((registerId: number, reason: string, cashierId: number | null = null) => {
      const c = requireCurrent(registerId);
      stamp.run(registerId, cashierId, c.saleId);
      sales.apply(c.saleId, c.loaded, [{ type: "CancelSale", at: clock.now().toISOString(), reason: reason || "cancelled at the register" }]);
      return { sale: null, completed: null, warnings: [] };
    }),
    parked(): ParkedSale[] {
      return parkedList.all().map((r) => {
        const state = sales.load(r.id).state as Sale;
        const events = state.lines;
        return {
          id: r.id,
          register: r.register,
          parkedAt: state.openedAt,
          items: events.length,
          total: sales.totals(state).total,
          firstItem: events[0]?.name ?? "",
        };
      });
    },
  };
}

export type Till = ReturnType<typeof till>;
