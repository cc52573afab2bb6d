// The dashboard's overview (stores, how recently they were heard from, the sales and returns they sent), a store's page,
// registering a store, and the place of reconciliation.

import { type Context, Hono } from "hono";
import { businessDate } from "../../../domain/kernel/calendar.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import { isHttps } from "../../../server/platform/auth/sessions.ts";
import { readForm, validForm } from "../../../server/platform/http/form.ts";
import { render } from "../../../server/platform/http/render.ts";
import { saidLocation, saidOf } from "../../../server/platform/http/said.ts";
import { OverviewPage } from "../../../views/hq/overview.tsx";
import { ReconciliationPage } from "../../../views/hq/reconciliation.tsx";
import { StorePage } from "../../../views/hq/store-page.tsx";
import { NewStorePage, StoreRegisteredPage } from "../../../views/hq/stores.tsx";
import { fieldProblems } from "../people/forms.ts";
import { type HqDeps, type HqEnv, requireRole } from "../people/guard.ts";
import { onlySeen, onlySeenStore, storeFilterOf } from "../people/store-filter.ts";
import { MAX_RECONCILE_DAYS, reconcilablePeriod, reconcile } from "../reconciliation/reconciliation.ts";
import { acceptRestoredEpoch } from "./epochs.ts";
import { acceptEpochForm, moveInstallationForm, newStoreForm } from "./forms.ts";
import { moveToInstallation } from "./installations.ts";
import { overview, overviewRequest } from "./overview.ts";
import { storeAdminRoutes } from "./store-admin-routes.tsx";
import { storePage } from "./store-page.ts";
import { addStore } from "./stores.ts";

const DAYS = 7;

/** The overview (/): the stores, how recently they were heard from, their sales, refunds and net. */
export function overviewRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const day = (d: Date) => businessDate(d, deps.timeZone);
  const app = new Hono<HqEnv>();

  // ?day=YYYY-MM-DD (head office's today when not said) and ?sort=worst (overview.ts)
  app.get("/", async (c) => {
    const now = clock.now();
    const today = day(now);
    const asked = overviewRequest({ day: c.req.query("day"), sort: c.req.query("sort") }, today);
    const view = await overview(sql, { day: asked.day, now, stores: storeFilterOf(c) });
    return render(c, <OverviewPage {...view} today={today} sort={asked.sort} message={saidOf(c, now, 300)} />);
  });

  return app;
}

/**
 * A store's page (/stores/:id), for everyone signed in; registering a store, accepting a restored database and moving
 * a store to another installation, for admins (the sub-app below, mounted after the page).
 */
export function storeRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<HqEnv>();
  // a person limited to some stores finds no other store here, whatever they ask of it (people/store-filter.ts)
  app.use("/:id{[0-9a-fA-F-]{36}}/*", onlySeenStore);
  app.use("/:id{[0-9a-fA-F-]{36}}", onlySeenStore);
  const showPage = async (c: Context<HqEnv>) => {
    const p = await storePage(sql, c.req.param("id") ?? "", { now: deps.clock.now(), timeZone: deps.timeZone });
    if (!p) throw new Problem("store_not_found", "This store is not registered at head office.");
    return render(c, <StorePage {...p} now={deps.clock.now()} message={saidOf(c, deps.clock.now(), 300)} />);
  };
  // read-only: every signed-in person sees whose server the store is and what waits to be accepted
  app.get("/:id{[0-9a-fA-F-]{36}}", showPage);

  const admin = new Hono<HqEnv>();
  admin.use(requireRole("admin"));
  admin.get("/new", (c) => render(c, <NewStorePage />));
  admin.post("/", async (c) => {
    const f = await readForm(c);
    const r = newStoreForm.safeParse(f);
    if (!r.success) return render(c, <NewStorePage name={(f.name ?? "").trim()} problem={fieldProblems(r.error).name} />, 422);
    const { name } = r.data;
    const s = await addStore(sql, name);
    // the address this page was reached at is the one the store should use
    const forwarded = deps.trustProxy ? c.req.header("X-Forwarded-Host")?.split(",")[0]?.trim() : undefined;
    const host = forwarded || c.req.header("Host") || new URL(c.req.url).host;
    const hqUrl = `${isHttps(c) ? "https" : "http"}://${host}`;
    return render(c, <StoreRegisteredPage name={name} storeId={s.storeId} token={s.token} hqUrl={hqUrl} />);
  });

  // an admin's decision: the store's restored database becomes the one head office follows (epochs.ts). From the
  // overview, the store's page comes first: it shows what will be merged and whether the current epoch is live.
  admin.post("/:id/accept-epoch", async (c) => {
    const id = c.req.param("id");
    const f = acceptEpochForm.safeParse(await readForm(c));
    if (!f.success) {
      return c.redirect(saidLocation("/", "Not accepted: tick the box to say the store's database was restored on purpose.", deps.clock.now()), 303);
    }
    if (f.data.reviewed !== "1" && (await storePage(sql, id))?.store.restored_epoch === f.data.epoch) {
      const said = "Look at what the restored database brings, then accept it here.";
      return c.redirect(saidLocation(`/stores/${encodeURIComponent(id)}`, said, deps.clock.now()), 303);
    }
    const r = await acceptRestoredEpoch(sql, id, f.data.epoch, c.get("user")!.name, { retireLive: f.data.retire_live === "1" });
    if (r.status !== 200) throw new Problem(r.body.error.code, r.body.error.message, r.body.error.details);
    const said = `Restored database accepted: the store sends everything again; sales head office has already are kept once (it had ${r.body.previous_last_seq} items of the old database).`;
    return c.redirect(saidLocation("/", said, deps.clock.now()), 303);
  });

  // the store's server was replaced: its credentials now belong to an installation head office saw as a clone
  admin.post("/:id/installation", async (c) => {
    const id = c.req.param("id");
    const f = await validForm(c, moveInstallationForm);
    if (!(await storePage(sql, id))) throw new Problem("store_not_found", "This store is not registered at head office.");
    await moveToInstallation(sql, id, f.installation, c.get("user")!.name);
    const said = "The store now belongs to that installation: its database waits here to be accepted; the old server is refused from now on.";
    return c.redirect(saidLocation(`/stores/${encodeURIComponent(id)}`, said, deps.clock.now()), 303);
  });

  // rename, retire or re-activate, a new token (store-admin-routes.tsx)
  admin.route("/", storeAdminRoutes(deps));
  app.route("/", admin);
  return app;
}

/** Reconciliation (/reconciliation): each store's day totals against what head office holds. */
export function reconciliationRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const day = (d: Date) => businessDate(d, deps.timeZone);
  const app = new Hono<HqEnv>();
  app.get("/", async (c) => {
    const now = clock.now();
    const period = { from: c.req.query("from") || day(new Date(now.getTime() - (DAYS - 1) * 86_400_000)), to: c.req.query("to") || day(now) };
    if (!reconcilablePeriod(period.from, period.to)) {
      const problem = `Choose a period: two dates, the first not after the second, at most ${MAX_RECONCILE_DAYS} days.`;
      return render(c, <ReconciliationPage from={day(now)} to={day(now)} days={[]} problem={problem} />, 400);
    }
    return render(c, <ReconciliationPage {...period} days={onlySeen(storeFilterOf(c), await reconcile(sql, period))} />);
  });

  return app;
}
