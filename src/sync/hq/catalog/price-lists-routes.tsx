// Store prices pages, under /catalog/prices: everyone reads a store's price list; the catalog role and admins put a
// store's price into the draft release (the catalog mount gates every POST).

import { type Context, Hono } from "hono";
import { currencyDigits } from "../../../domain/kernel/money.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import { validForm } from "../../../server/platform/http/form.ts";
import { again, render } from "../../../server/platform/http/render.ts";
import { PriceListPage } from "../../../views/hq/catalog-prices.tsx";
import type { HqDeps, HqEnv } from "../people/guard.ts";
import { maySee, storeFilterOf } from "../people/store-filter.ts";
import { hqAtLeast } from "../people/users.ts";
import { ChangeRefused, type Problems } from "./draft.ts";
import { draftStorePrice, storeChoices, storeFound, storePriceList } from "./price-lists.ts";
import { storePriceForm } from "./price-lists-form.ts";

type C = Context<HqEnv>;

/** A store the person may not see (people/store-filter.ts) is one head office does not have: no list, no price for it. */
function seenStore(c: C, storeId: string): string {
  if (!maySee(storeFilterOf(c), storeId.trim())) throw new Problem("store_not_found", "There is no such store; pick one from the list.");
  return storeId;
}

export function priceListRoutes(deps: HqDeps) {
  const { sql } = deps;
  const digits = currencyDigits(deps.currency);
  const app = new Hono<HqEnv>();

  const page = async (c: C, o: { storeId?: string; values?: Record<string, string | undefined>; problems?: Problems; message?: string } = {}) => {
    const stores = await storeChoices(sql, storeFilterOf(c));
    const store = o.storeId ? await storeFound(sql, seenStore(c, o.storeId)) : null;
    const list = store ? await storePriceList(sql, store.store_id) : { published: [], draft: [] };
    const edit = hqAtLeast(c.get("user")!.role, "catalog");
    return render(c, <PriceListPage stores={stores} store={store} edit={edit} {...list} values={o.values} problems={o.problems} message={o.message} />);
  };

  app.get("/", (c) => page(c, { storeId: (c.req.query("store") ?? "").slice(0, 40) || undefined }));
  app.post("/", async (c) => {
    const f = await validForm(c, storePriceForm);
    if (f.store_id) seenStore(c, f.store_id);
    try {
      const change = await draftStorePrice(sql, f, { digits, by: c.get("user")!.name });
      const what = change.price === null ? "back to the chain's price" : "its own price";
      return page(c, { storeId: change.store_id, message: `${change.sku} at ${change.store_name}: ${what} is in the draft release.` });
    } catch (e) {
      if (!(e instanceof ChangeRefused)) throw e;
      const problems = e.problems;
      const storeId = problems.store_id ? undefined : f.store_id;
      return again(e, () => page(c, { storeId, values: f, problems }));
    }
  });
  return app;
}
