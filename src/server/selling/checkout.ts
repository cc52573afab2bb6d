// Selling: turn what a till or an integration asks for into sale commands, each request one immediate transaction.

import type { Database } from "bun:sqlite";
import { expandUpcE, isValidGtin } from "../../domain/kernel/barcode.ts";
import { businessDate } from "../../domain/kernel/calendar.ts";
import type { Clock, Ids } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { CardDetails, LineItem, PaymentMethod, Sale, SaleCommand } from "../../domain/sale/sale.ts";
import { type Catalog, lineItemOf, type Product } from "../catalog/queries.ts";
import type { StockLevels } from "../inventory/levels.ts";
import type { StoreSettings } from "../settings/settings.ts";
import type { StoreCreditRecords } from "../store-credit/records.ts";
import { type SaleDocument, saleDocument } from "./sale-document.ts";
import type { Loaded, SaleEvents } from "./sale-events.ts";

export type LineRequest = { barcode?: string; sku?: string; product_id?: number; qty?: number };
/** A payment asked for; `voucher`: a store credit's code, spent in the sale's transaction. */
export type PaymentRequest = { method: PaymentMethod; amount: number; card?: CardDetails; voucher?: string };
export type Warning = { code: string; message: string; details?: unknown };

export type CheckoutDeps = {
  db: Database;
  catalog: Catalog;
  sales: SaleEvents;
  stock: StockLevels;
  clock: Clock;
  ids: Ids;
  settings: () => StoreSettings;
  credits: StoreCreditRecords;
};

/** Resolve one requested line to a product snapshot and a quantity in thousandths. */
export function resolveLine(deps: Pick<CheckoutDeps, "catalog" | "settings">, req: LineRequest): { item: LineItem; qtyMilli: number } {
  let product: Product | null = null;
  let embedded: { kind: "price" | "weight"; value: number } | null = null;
  if (req.barcode !== undefined) {
    const scan = deps.catalog.scan(req.barcode, deps.settings().embeddedPatterns);
    if (!scan) {
      // a misread or mistyped code is not an unknown product: say which, so the cashier scans again instead of searching
      if (misreadGtin(req.barcode)) {
        throw new Problem("bad_check_digit", `${req.barcode} is not a valid barcode (its check digit is wrong): scan it again or type it carefully.`, {
          barcode: req.barcode,
        });
      }
      throw new Problem("unknown_barcode", `No product has the barcode ${req.barcode}. Check the code or look the product up by name.`, {
        barcode: req.barcode,
      });
    }
    product = scan.product;
    embedded = scan.embedded;
  } else if (req.sku !== undefined) {
    product = deps.catalog.bySku(req.sku);
    if (!product) throw new Problem("unknown_sku", `No product has the SKU ${req.sku}.`, { sku: req.sku });
  } else if (req.product_id !== undefined) {
    product = deps.catalog.byId(req.product_id);
    if (!product) throw new Problem("unknown_product", `No product has the id ${req.product_id}.`, { product_id: req.product_id });
  } else {
    throw new Problem("line_needs_product", "Each line needs a barcode, a sku or a product_id.");
  }
  if (!product.active) throw new Problem("product_inactive", `${product.name} is no longer sold.`, { sku: product.sku });
  const item: LineItem = lineItemOf(product);
  if (embedded) {
    if (req.qty !== undefined && req.qty !== 1) {
      throw new Problem("quantity_in_barcode", `The barcode of ${product.name} already carries its ${embedded.kind}; leave qty at 1.`);
    }
    item.barcode = req.barcode ?? item.barcode;
    if (embedded.kind === "price") return { item: { ...item, unitPrice: embedded.value, weighed: false }, qtyMilli: 1000 };
    return { item: { ...item, weighed: true }, qtyMilli: embedded.value };
  }
  // a weighed item's own code carries no weight: adding 1 kg unasked would charge the wrong price
  if (product.weighed && req.qty === undefined) {
    throw new Problem("weight_needed", `${product.name} is sold by weight: put it on the scale and type the weight in kg.`, {
      product_id: product.id,
    });
  }
  const qty = req.qty ?? 1;
  const qtyMilli = Math.round(qty * 1000);
  if (Math.abs(qtyMilli - qty * 1000) > 1e-6) {
    throw new Problem("fractional_quantity", `Quantity ${qty} has more than three decimals.`, { qty });
  }
  return { item, qtyMilli };
}

/** A code of a GTIN's length (EAN-8, UPC-A, EAN-13, GTIN-14) whose check digit does not add up. */
const misreadGtin = (code: string) =>
  /^\d+$/.test(code) && [8, 12, 13, 14].includes(code.length) && !isValidGtin(code) && !(code.length === 8 && expandUpcE(code));

export function checkout(deps: CheckoutDeps) {
  const { db, sales, stock, clock, ids, settings } = deps;
  /**
   * Finish a paid sale inside the caller's transaction: stock policy, the register's next receipt number, then the
   * completion that writes read models, outbox and journal, and the stock it takes off the shelf.
   */
  function complete(saleId: string, loaded: Loaded, at: string): { loaded: Loaded; warnings: Warning[] } {
    const sale = loaded.state as Sale;
    const warnings = stock.check(sale.lines, saleId);
    const receipt = sales.takeReceiptNumber(sale.registerId);
    const done = sales.apply(saleId, loaded, [{ type: "CompleteSale", at, receiptNumber: receipt.number }], receipt.seq);
    stock.takeForSale(saleId, (done.state as Sale).lines, at);
    return { loaded: done, warnings };
  }

  const sellTx = db.transaction((registerId: number, lines: LineRequest[], payments: PaymentRequest[], after?: (saleId: string) => void) => {
    const at = clock.now().toISOString();
    const saleId = ids.next();
    const commands: SaleCommand[] = [{ type: "StartSale", at, saleId, registerId, pricing: settings().pricing }];
    for (const line of lines) {
      const { item, qtyMilli } = resolveLine(deps, line);
      commands.push({ type: "AddItem", at, lineId: ids.next(), item, qtyMilli });
    }
    const spent: { code: string; amount: number; paymentId: string }[] = [];
    for (const p of payments) {
      const paymentId = ids.next();
      if (p.voucher) spent.push({ code: p.voucher, amount: p.amount, paymentId });
      commands.push({
        type: "AddPayment",
        at,
        payment: { paymentId, method: p.method, amount: p.amount, ...(p.card ? { card: p.card } : {}), ...(p.voucher ? { voucher: p.voucher } : {}) },
      });
    }
    const loaded = sales.apply(saleId, { state: { status: "none" }, count: 0 }, commands);
    // store credit: its balance goes down with the sale, or the sale is refused (spent, or never issued)
    for (const v of spent) deps.credits.spend(v.code, v.amount, at, saleId, v.paymentId);
    const done = complete(saleId, loaded, at);
    after?.(saleId);
    return { sale: saleDocument(done.loaded.state as Sale, undefined, businessDate(new Date(at), settings().timeZone)), warnings: done.warnings };
  });
  const dayOf = db.query<{ business_date: string | null }, [string]>("SELECT business_date FROM sales WHERE id = ?");

  return {
    complete,
    /**
     * A whole sale in one transaction: lines, payments, completion, stock, receipt number, outbox, journal.
     * `after` runs inside the same transaction (the API records its idempotency key there).
     */
    sell(registerId: number, lines: LineRequest[], payments: PaymentRequest[], after?: (saleId: string) => void): { sale: SaleDocument; warnings: Warning[] } {
      return sellTx.immediate(registerId, lines, payments, after);
    },
    /** A completed, open or parked sale as a document, rebuilt from its events. */
    document(saleId: string): SaleDocument | null {
      const { state } = sales.load(saleId);
      return state.status === "none" ? null : saleDocument(state, undefined, dayOf.get(saleId)?.business_date ?? null);
    },
  };
}

export type Checkout = ReturnType<typeof checkout>;
