// Stock in the back office (/stock): adjusting a product's stock by hand, for supervisors and up; above the value the
// shop sets, a manager approves on the same page. A refusal shows the page again with what was typed and the sentence,
// having written nothing; a done adjustment answers with a redirect, so a reload repeats nothing.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { currencyDigits, minorToDecimal, parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { AdjustPage } from "../../views/stock/adjust.tsx";
import { LowStockPage } from "../../views/stock/low.tsx";
import type { Shop } from "../compose.ts";
import { approval, approvalFields, approversFor } from "../people/approval.ts";
import type { PagesEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { csvTable } from "../platform/http/csv.ts";
import { validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { adjustmentReasons, adjustmentValue } from "./adjustments.ts";
import { countRoutes } from "./count-routes.tsx";
import { deliveryRoutes } from "./delivery-routes.tsx";
import { labelRoutes } from "./labels-routes.tsx";
import { LOW_STOCK_LIMIT, lowStock } from "./low-stock.ts";

type C = Context<PagesEnv>;

/** The page shows this many; the CSV has them all (up to LOW_STOCK_LIMIT). */
const LOW_STOCK_PAGE = Math.min(500, LOW_STOCK_LIMIT);

/** More than this many of one product (thousandths) is a manager's call whatever its price (some have none on the shelf). */
const MANY_MILLI = 100_000;

const adjustForm = z.object({
  code: z.string().trim().max(64).default(""),
  qty: z.string().trim().max(20).default(""),
  reason: z.string().max(40).default(""),
  note: z.string().trim().max(200).default(""),
  ...approvalFields,
});

export function stockRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("supervisor"));
  app.route("/deliveries", deliveryRoutes(shop));
  app.route("/counts", countRoutes(shop));
  app.route("/labels", labelRoutes(shop));

  // what to reorder, and the same as CSV for the supplier's order
  app.get("/low", (c) => {
    const rows = lowStock(shop.db, LOW_STOCK_PAGE + 1);
    return render(c, <LowStockPage rows={rows.slice(0, LOW_STOCK_PAGE)} cut={rows.length > LOW_STOCK_PAGE} />);
  });
  app.get("/low.csv", (c) => {
    const q = (m: number | null) => (m === null ? null : m / 1000);
    const csv = csvTable(
      ["sku", "name", "location", "on_hand", "reorder_point", "reorder_level", "to_order"],
      lowStock(shop.db).map((r) => [r.sku, r.name, r.location, q(r.onHandMilli), q(r.reorderPointMilli), q(r.reorderLevelMilli), q(r.toOrderMilli)]),
    );
    return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="low-stock.csv"' });
  });
  const act = shop.adjustments;

  const page = (c: C, typed?: z.infer<typeof adjustForm>, message?: { text: string; kind: "info" | "error" }) =>
    render(
      c,
      <AdjustPage
        reasons={adjustmentReasons(shop.db)}
        approvers={approversFor(shop, c.get("user")!)}
        approvalOver={shop.settings().adjustmentApproval}
        typed={typed}
        message={message}
      />,
    );

  app.get("/adjust", (c) => {
    const done = c.req.query("done");
    const product = done && /^\d{1,12}$/.test(done) ? shop.catalog.byId(Number(done)) : null;
    return page(
      c,
      undefined,
      product ? { text: `${product.name}: ${minorToDecimal(product.stockMilli, 3).replace(/\.?0+$/, "")} on hand now.`, kind: "info" } : undefined,
    );
  });

  app.post("/adjust", async (c) => {
    const f = await validForm(c, adjustForm);
    try {
      if (!f.code) throw new Problem("invalid_input", "Scan the product, or type its SKU.");
      const product = shop.catalog.scan(f.code, shop.settings().embeddedPatterns)?.product ?? shop.catalog.bySku(f.code);
      if (!product) throw new Problem("unknown_sku", `No product has the barcode or SKU ${f.code}.`, { sku: f.code });
      const qtyMilli = parseDecimalToMinor(f.qty.replace("−", "-"), 3);
      if (qtyMilli === null) throw new Problem("invalid_quantity", "Type how much stock comes off (−2) or on (3).");
      const request = { productId: product.id, qtyMilli, reasonCode: f.reason, note: f.note };
      act.check(request); // refusals about the adjustment itself come before anyone is asked to approve it
      const user = c.get("user")!;
      let approver: { id: number; name: string } | null = null;
      // worth more than the shop's value, or many of a product with no shelf price (priced by its barcode): a manager
      const money = minorToDecimal(shop.settings().adjustmentApproval, currencyDigits(shop.settings().currency));
      const why =
        adjustmentValue(qtyMilli, product.price) > shop.settings().adjustmentApproval
          ? `An adjustment worth more than ${money}`
          : Math.abs(qtyMilli) > MANY_MILLI
            ? `An adjustment of more than ${MANY_MILLI / 1000}`
            : null;
      if (why) {
        const ok = await approval(shop, user, f, why);
        approver = { id: ok.approver.id, name: ok.approver.name };
      }
      act.adjust({ userId: user.id, userName: user.name, registerName: c.get("device")?.registerName ?? null }, request, approver);
      return c.redirect(`/stock/adjust?done=${product.id}`, 303);
    } catch (e) {
      return again(e, (text) => page(c, { ...f, manager_pin: undefined }, { text, kind: "error" }));
    }
  });

  return app;
}
