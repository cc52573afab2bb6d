// Goods back without a receipt (/returns/no-receipt): each item scanned (or its SKU typed) onto the dialog, priced as
// it sells today; nothing is written until the return is taken, always with a manager, never past the shop's limit.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import { policyBreaches } from "../../domain/return/return.ts";
import { priceWithoutReceipt } from "../../domain/return/without-receipt.ts";
import { NoReceiptDialog, type NoReceiptItem } from "../../views/returns/dialogs.tsx";
import { lineItemOf } from "../catalog/queries.ts";
import type { Shop } from "../compose.ts";
import { approvalFields, approversFor } from "../people/approval.ts";
import { validForm } from "../platform/http/form.ts";
import { render } from "../platform/http/render.ts";
import { refusedAtTheRegister } from "../selling/refusal.tsx";
import type { RegisterEnv } from "../selling/register-gate.ts";
import { policyOf, type ReturnRequest } from "./actions.ts";
import { readQuantity, refund, returnTaking } from "./taking.tsx";

type C = Context<RegisterEnv>;

/** The items a no-receipt dialog carries (item_1 = "productId:thousandths", …), and what it adds or completes. */
const noReceiptItems = z.object({ code: z.string().trim().max(64).optional(), qty: z.string().trim().max(20).optional() }).catchall(z.string().max(40));
const noReceiptForm = z
  .object({ reason: z.string().min(1, "Choose why the goods come back.").max(100), refund: refund.exclude(["original", "split"]), ...approvalFields })
  .catchall(z.string().max(40));

const MAX_NO_RECEIPT_ITEMS = 50;

/** Mounted under the register's return routes (their role and register gates). */
export function noReceiptRoutes(store: Shop) {
  const app = new Hono<RegisterEnv>();
  app.onError(refusedAtTheRegister);
  const { exchangeDue, approvals, done } = returnTaking(store);

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

  app.get("/", (c) => noReceiptDialog(c, []));

  // one more item on the dialog: nothing is written until the return is taken
  app.post("/item", async (c) => {
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

  app.post("/", async (c) => {
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

  return app;
}
