// Stock pages (/stock), for every head-office user: the chain's stock by store and product, searched and paged, and low
// stock across the chain, which follows /events as the stores' movements arrive. Each URL answers with the whole page,
// or with just its list to htmx. A person limited to some stores sees only theirs: another store is one not in the picker,
// with no rows, as a store head office does not know.
import { Hono } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { render } from "../../../server/platform/http/render.ts";
import { LowStockList, LowStockPage, StockPage, StockResults } from "../../../views/hq/stock.tsx";
import { type HqDeps, type HqEnv, requireRole } from "../people/guard.ts";
import { storeFilterOf } from "../people/store-filter.ts";
import { lowStockAcrossChain, type StockCursor, stockLevels, storeNames } from "./levels.ts";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A store named in the address, or none; anything else is no store head office knows. */
function storeParam(value: string | undefined, field: string): string | null {
  if (!value) return null;
  if (!uuid.test(value)) throw new Problem("invalid_request", "Choose the store from the list.", { field });
  return value.toLowerCase();
}

/** Where a page starts, from the "Next page" link: both halves or neither. */
function cursorParam(sku: string | undefined, store: string | undefined): StockCursor | null {
  if (sku === undefined && store === undefined) return null;
  const storeId = storeParam(store, "after_store");
  if (sku === undefined || sku.length > 200 || storeId === null) {
    throw new Problem("invalid_cursor", "That page of the stock list cannot be found; start again from the first page.");
  }
  return { sku, storeId };
}

export function stockRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<HqEnv>();
  app.use(requireRole("viewer"));

  app.get("/", async (c) => {
    const q = (c.req.query("q") ?? "").slice(0, 100);
    const storeId = storeParam(c.req.query("store"), "store");
    const after = cursorParam(c.req.query("after_sku"), c.req.query("after_store"));
    const stores = storeFilterOf(c);
    const page = await stockLevels(sql, { q, storeId, after, stores });
    const data = { q, storeId, ...page, first: after === null };
    if (c.req.header("HX-Request") === "true") return render(c, <StockResults data={data} />);
    return render(c, <StockPage data={data} stores={await storeNames(sql, stores)} />);
  });

  app.get("/low", async (c) => {
    const low = await lowStockAcrossChain(sql, { stores: storeFilterOf(c) });
    if (c.req.header("HX-Request") === "true") return render(c, <LowStockList {...low} />);
    return render(c, <LowStockPage {...low} />);
  });
  return app;
}
