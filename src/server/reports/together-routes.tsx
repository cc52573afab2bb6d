// Frequently bought together for managers (/reports/bought-together): the strongest rules of the store and their
// CSV. Its own role gate, so being mounted is what protects it.
import { Hono } from "hono";
import { MAX_BASKET_PRODUCTS } from "../../domain/suggestions/together.ts";
import { TogetherPage } from "../../views/reports/together.tsx";
import type { Shop } from "../compose.ts";
import { type PagesEnv, requireRole } from "../people/guard.ts";
import { csvTable } from "../platform/http/csv.ts";
import { render } from "../platform/http/render.ts";
import { REPORT_MAX_ROWS } from "./together-queries.ts";

const PAGE_ROWS = 200;

/** Ratios as a spreadsheet takes them: a dot, enough places to check by hand. */
const ratio = (v: number) => v.toFixed(6);

export function togetherRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));

  app.get("/", (c) => {
    const found = shop.together.strongest(PAGE_ROWS + 1);
    const s = shop.together.state();
    return render(
      c,
      <TogetherPage
        rows={found.slice(0, PAGE_ROWS)}
        more={found.length > PAGE_ROWS}
        baskets={s.baskets}
        skipped={s.skipped}
        minBaskets={s.minBaskets}
        maxBasketProducts={MAX_BASKET_PRODUCTS}
      />,
    );
  });

  app.get("/export.csv", (c) => {
    const rows = shop.together
      .strongest(REPORT_MAX_ROWS)
      .map((r) => [r.fromSku, r.fromName, r.toSku, r.toName, r.together, ratio(r.support), ratio(r.confidence), ratio(r.lift)]);
    const head = ["sku", "name", "also_sku", "also_name", "sales_together", "support", "confidence", "lift"];
    return c.body(csvTable(head, rows), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="bought-together.csv"',
      "Cache-Control": "no-store",
    });
  });
  return app;
}
