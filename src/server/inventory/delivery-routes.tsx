// Receiving deliveries in the back office (/stock/deliveries), for supervisors and up: Check reads what was scanned or
// pasted and shows it; Receive takes it in at once, or — while a line cannot be read — refuses, saying which and why,
// having written nothing. A delivery taken in answers with a redirect, so a reload repeats nothing.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { currencyDigits, minorToDecimal } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { DeliveryPage, type DeliveryPageProps } from "../../views/stock/delivery.tsx";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { validForm } from "../platform/http/form.ts";
import { render } from "../platform/http/render.ts";
import { type DeliveryLine, readDelivery } from "./deliveries.ts";

type C = Context<PagesEnv>;

const deliveryForm = z.object({
  supplier: z.string().trim().max(100).default(""),
  reference: z.string().trim().max(60).default(""),
  items: z.string().max(400_000).default(""),
  step: z.enum(["check", "receive"]).catch("check"),
});

export function deliveryRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("supervisor"));

  const view = (lines: DeliveryLine[]): DeliveryPageProps["lines"] =>
    lines.map((l) => ({
      sku: l.product.sku,
      name: l.product.name,
      qtyMilli: l.qtyMilli,
      weighed: l.product.weighed,
      unitCost: l.unitCost,
      onHandMilli: shop.catalog.byId(l.product.id)?.stockMilli ?? 0,
    }));

  const page = (c: C, props: DeliveryPageProps, status: 200 | 422 = 200) => render(c, <DeliveryPage {...props} />, status);

  app.get("/", (c) => {
    const done = c.req.query("done") ?? "";
    const row = /^[0-9a-f-]{36}$/.test(done)
      ? shop.db
          .query<{ supplier: string; lines: number; total_cost: number }, [string]>("SELECT supplier, lines, total_cost FROM deliveries WHERE id = ?")
          .get(done)
      : null;
    const digits = currencyDigits(shop.settings().currency);
    const message = row
      ? {
          text: `Received from ${row.supplier}: ${row.lines} ${row.lines === 1 ? "product" : "products"}, cost ${minorToDecimal(row.total_cost, digits)}.`,
          kind: "info" as const,
        }
      : undefined;
    // new stock on the shelf, perhaps at a new price: its labels are one click away
    const labels = row ? `/stock/labels?delivery=${done}` : undefined;
    return page(c, { typed: { supplier: "", reference: "", items: "" }, lines: [], problems: [], message, labels });
  });

  app.post("/", async (c) => {
    const f = await validForm(c, deliveryForm);
    // the supplier's CSV file, when one is chosen, stands for the list: read as the list is, and shown back in it
    const file = (await c.req.parseBody()).file;
    const items = file instanceof File && file.size > 0 ? await file.text() : f.items;
    const typed = { supplier: f.supplier, reference: f.reference, items };
    const read = readDelivery(items, {
      catalog: shop.catalog,
      patterns: shop.settings().embeddedPatterns,
      currencyDigits: currencyDigits(shop.settings().currency),
    });
    if (f.step === "check" || read.problems.length > 0) {
      const message =
        read.problems.length > 0
          ? {
              text: `${read.problems.length} ${read.problems.length === 1 ? "line needs" : "lines need"} another look; nothing was taken in.`,
              kind: "error" as const,
            }
          : { text: "This is what the delivery reads as; Receive takes it in.", kind: "info" as const };
      return page(c, { typed, lines: view(read.lines), problems: read.problems, message }, read.problems.length > 0 && f.step === "receive" ? 422 : 200);
    }
    const supplierProblem = f.supplier
      ? textProblem(f.supplier, "The supplier", { max: 100 })
      : { code: "invalid_input" as const, message: "Say who delivered it." };
    if (supplierProblem) {
      return page(c, { typed, lines: view(read.lines), problems: [], message: { text: supplierProblem.message, kind: "error" } }, 422);
    }
    const user = c.get("user")!;
    try {
      const done = shop.deliveries.receive(
        { userId: user.id, userName: user.name, registerName: c.get("device")?.registerName ?? null },
        f.supplier,
        f.reference,
        read.lines,
      );
      return c.redirect(`/stock/deliveries?done=${done.id}`, 303);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      return page(c, { typed, lines: view(read.lines), problems: [], message: { text: e.message, kind: "error" } }, 422);
    }
  });

  return app;
}
