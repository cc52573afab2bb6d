// The HTTP app of a store: built from a composed store, so tests run the same app in-process.

import { type Context, Hono } from "hono";
import { Problem } from "../domain/kernel/problem.ts";
import { StoreErrorPage } from "../views/ui/error-page.tsx";
import { API_BODY_LIMIT, apiRoutes } from "./api/index.ts";
import type { Shop } from "./compose.ts";
import { databaseHealth } from "./db/open.ts";
import { storeMetrics } from "./metrics/metrics.ts";
import { LOGO_UPLOAD_LIMIT, PAGE_FORM_LIMIT, pages } from "./pages.tsx";
import type { PagesEnv } from "./people/guard.ts";
import { atLeast } from "./people/roles.ts";
import { type ErrorPage, errorHandler } from "./platform/http/errors.ts";
import { allowKnownHosts } from "./platform/http/hosts.ts";
import { strictSecurityHeaders } from "./platform/http/security-headers.ts";
import { staticRoutes } from "./platform/http/static.ts";
import { accessLog } from "./platform/log/access.ts";

export function createApp(store: Shop) {
  const app = new Hono();
  app.use(strictSecurityHeaders({ hsts: false })); // registers talk plain HTTP on the shop LAN
  app.onError(errorHandler(storeErrorPage, store.log));
  app.use(accessLog(store.log)); // at debug level only (platform/log/access.ts)
  // before anything reads a request: a name this store is known by (each part limits bodies once it knows who asks)
  app.use(allowKnownHosts({ names: () => store.settings().allowedHosts, howToAdd: "a manager adds a name with 'shopflow settings set allowed_hosts NAME'." }));
  app.notFound((c) => {
    throw new Problem("not_found", `There is nothing at ${c.req.path}.`);
  });
  // the shop's monitoring: Prometheus figures with an admin API token (metrics/metrics.ts)
  const metrics = storeMetrics({ db: store.db, outboxPending: () => store.sync.status().pending, authenticate: store.authenticate });
  app.use(metrics.timeSales);
  app.get("/metrics", metrics.route);
  app.get("/healthz", (c) => {
    let database = "ok";
    try {
      store.db.query("SELECT 1").get();
    } catch {
      database = "unavailable";
    }
    const health = databaseHealth(store.db);
    // a database that failed its integrity check refuses every change: the store cannot sell
    if (database === "ok" && health?.integrity.state === "failed") database = "failed_integrity_check";
    const sync = store.sync.status();
    const catalog = store.catalogReleases.health();
    return c.json(
      {
        status: database === "ok" ? "ok" : "degraded",
        version: store.version,
        database,
        catalog_version: store.settings().catalogVersion,
        integrity: health?.integrity ?? null,
        catalog: { version: catalog.version, problems: catalog.problems.length, last_error: catalog.lastError },
        sync: {
          pending: sync.pending,
          acked_seq: sync.ackedSeq,
          last_contact_at: sync.lastContactAt,
          last_error: sync.lastError,
          epoch_refused: sync.epochRefused,
          epoch: sync.epoch,
        },
      },
      database === "ok" ? 200 : 503,
    );
  });
  app.route("/", staticRoutes());
  // programs: a token first, then a body of at most 1 MB (api/index.ts)
  app.route("/api/v1", apiRoutes(store));
  // people: pages, each feature under its prefix with its own gate (pages.tsx); mounted last, they take the rest
  app.route("/", pages(store));
  return app;
}

/**
 * A refused or missing page as a person sees it, with the ways on that fit who asks (known once the pages' identify
 * has run; an error before it, such as an unknown host, draws the page for a stranger).
 */
const storeErrorPage: ErrorPage = (c, refusal) => {
  const people = c as Context<PagesEnv>;
  const user = people.get("user") ?? null;
  const asker = { signedIn: !!user, register: !!people.get("device"), backOffice: !!user && atLeast(user.role, "manager") };
  return StoreErrorPage({ ...refusal, asker }).toString();
};

/** The largest body the store reads at all (Bun.serve's own limit, under the per-route ones): a manager's logo. */
export const LARGEST_BODY = Math.max(API_BODY_LIMIT, LOGO_UPLOAD_LIMIT, PAGE_FORM_LIMIT);
