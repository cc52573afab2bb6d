// Region pages, under /catalog/regions: everyone reads them; the catalog role and admins name regions and put a
// region's prices and stores' moves into the draft release (the catalog mount gates every POST).

import { type Context, Hono } from "hono";
import { z } from "zod";
import { currencyDigits } from "../../../domain/kernel/money.ts";
import { validForm } from "../../../server/platform/http/form.ts";
import { again, render } from "../../../server/platform/http/render.ts";
import { RegionPage, RegionsPage } from "../../../views/hq/catalog-regions.tsx";
import type { HqDeps, HqEnv } from "../people/guard.ts";
import { storeFilterOf } from "../people/store-filter.ts";
import { ChangeRefused, type Problems } from "./draft.ts";
import { addRegion, draftRegionPrice, draftStoreRegion, regionFound, regionList, regionPriceList, storesWithRegions } from "./regions.ts";

type C = Context<HqEnv>;

const regionForm = z.object({ name: z.string().default("") });
const regionPriceForm = z.object({ sku: z.string().optional(), price: z.string().optional() });
const regionStoreForm = z.object({ store_id: z.string().default(""), out: z.string().optional() });

export function regionRoutes(deps: HqDeps) {
  const { sql } = deps;
  const digits = currencyDigits(deps.currency);
  const app = new Hono<HqEnv>();

  const list = async (c: C, o: { values?: { name?: string }; problems?: Problems; message?: string } = {}) =>
    render(c, <RegionsPage regions={await regionList(sql, storeFilterOf(c))} {...o} />);

  const page = async (c: C, id: string, o: { values?: Record<string, string | undefined>; problems?: Problems; message?: string } = {}) => {
    const region = await regionFound(sql, id);
    const seen = storeFilterOf(c);
    const [view, allStores] = await Promise.all([regionPriceList(sql, region.region_id, seen), storesWithRegions(sql, seen)]);
    return render(c, <RegionPage region={region} {...view} allStores={allStores} {...o} />);
  };

  app.get("/", (c) =>
    list(c, { message: c.req.query("added") ? `${c.req.query("added")!.slice(0, 60)} is a region now; add its prices and stores.` : undefined }),
  );
  app.post("/", async (c) => {
    const f = await validForm(c, regionForm);
    try {
      const r = await addRegion(sql, f.name, c.get("user")!.name);
      return c.redirect(`/catalog/regions/${r.region_id}?added=1`, 303);
    } catch (e) {
      return again(e, (problem) => list(c, { values: f, problems: { name: problem } }));
    }
  });

  app.get("/:id", (c) => page(c, c.req.param("id"), { message: c.req.query("added") ? "The region is in the list; add its prices and stores." : undefined }));
  app.post("/:id/prices", async (c) => {
    const f = await validForm(c, regionPriceForm);
    const region = await regionFound(sql, c.req.param("id"));
    try {
      const change = await draftRegionPrice(sql, region, f, { digits, by: c.get("user")!.name });
      const what = change.price === null ? "back to the chain's price" : "the region's price";
      return page(c, c.req.param("id"), { message: `${change.sku} in ${region.name}: ${what} is in the draft release.` });
    } catch (e) {
      if (!(e instanceof ChangeRefused)) throw e;
      return again(e, () => page(c, c.req.param("id"), { values: f, problems: e.problems }));
    }
  });
  app.post("/:id/stores", async (c) => {
    const f = await validForm(c, regionStoreForm);
    const region = await regionFound(sql, c.req.param("id"));
    try {
      const change = await draftStoreRegion(sql, f.store_id, f.out ? null : region, { by: c.get("user")!.name, stores: storeFilterOf(c) });
      const where = change.region_name ? `into ${change.region_name}` : "out of every region";
      return page(c, c.req.param("id"), { message: `${change.store_name} moving ${where} is in the draft release; publish it without an effective time.` });
    } catch (e) {
      if (!(e instanceof ChangeRefused)) throw e;
      return again(e, () => page(c, c.req.param("id"), { values: f, problems: e.problems }));
    }
  });
  return app;
}
