// An admin running a store from its page: rename, retire or re-activate, and a new token shown once. Mounted inside
// the stores' admin sub-app (routes.tsx), so the role gate and CSRF come from where it is mounted. Each action is
// one transaction with its audit line; the answer comes after COMMIT.
import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../../domain/kernel/problem.ts";
import { saying, validForm } from "../../../server/platform/http/form.ts";
import { render } from "../../../server/platform/http/render.ts";
import { saidLocation } from "../../../server/platform/http/said.ts";
import { StorePage } from "../../../views/hq/store-page.tsx";
import type { HqDeps, HqEnv } from "../people/guard.ts";
import { renameStore } from "./rename.ts";
import { setStoreRetired } from "./retire.ts";
import { rotateStoreToken } from "./rotate-token.ts";
import { storePage } from "./store-page.ts";

const renameForm = z.object({ name: saying(100, "A store name of 1 to 100 characters, please.") });
const retireForm = z.object({
  confirm: z.literal("1", { error: "Not retired: tick the box to say this store no longer sends to head office." }),
});
const noFields = z.object({});

const id = "/:id";
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The store the address names: a store id, or no such store (never a database error for a mistyped address). */
function storeIdOf(c: { req: { param(name: "id"): string } }): string {
  const storeId = c.req.param("id");
  if (!uuid.test(storeId)) throw new Problem("store_not_found", "This store is not registered at head office.");
  return storeId;
}

export function storeAdminRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const app = new Hono<HqEnv>();
  const back = (storeId: string, said: string) => saidLocation(`/stores/${storeId}`, said, clock.now());
  const who = (c: { get(k: "user"): { name: string } | undefined }) => c.get("user")!.name;

  app.post(`${id}/rename`, async (c) => {
    const storeId = storeIdOf(c);
    const { name } = await validForm(c, renameForm);
    const { before } = await renameStore(sql, storeId, name, who(c));
    return c.redirect(back(storeId, before === name ? "The store already has that name." : `Renamed from ${before} to ${name}.`), 303);
  });

  app.post(`${id}/retire`, async (c) => {
    const storeId = storeIdOf(c);
    await validForm(c, retireForm);
    const { changed } = await setStoreRetired(sql, storeId, true, who(c), clock.now());
    const said = changed ? "Retired: its token no longer works and it has left the overview's problems. Its history stays." : "The store was retired already.";
    return c.redirect(back(storeId, said), 303);
  });

  app.post(`${id}/reactivate`, async (c) => {
    const storeId = storeIdOf(c);
    await validForm(c, noFields);
    const { changed } = await setStoreRetired(sql, storeId, false, who(c), clock.now());
    return c.redirect(back(storeId, changed ? "Re-activated: the store's token works again." : "The store was not retired."), 303);
  });

  // the new token is in this answer only: no redirect (it would have to travel in an address), never cached
  app.post(`${id}/rotate-token`, async (c) => {
    const storeId = storeIdOf(c);
    await validForm(c, noFields);
    const now = clock.now();
    const rotated = await rotateStoreToken(sql, storeId, who(c), now);
    const p = await storePage(sql, storeId, { now, timeZone: deps.timeZone });
    if (!p) throw new Problem("store_not_found", "This store is not registered at head office.");
    c.header("Cache-Control", "no-store");
    return render(c, <StorePage {...p} now={now} newToken={rotated} message="New token made: give it to the store now." />);
  });

  return app;
}
