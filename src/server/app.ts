// The HTTP app of a store: built from a composed store, so tests run the same app in-process.

import { Hono } from "hono";
import { Problem } from "../domain/kernel/problem.ts";
import { apiRoutes } from "./api/index.ts";
import type { Store } from "./compose.ts";
import { databaseHealth } from "./db/open.ts";
import { deviceRoutes } from "./devices/routes.tsx";
import { checkCsrf, identify, requireRole } from "./people/guard.ts";
import { peopleRoutes } from "./people/routes.tsx";
import { type BodyRule, limitBodies } from "./platform/http/body-limit.ts";
import { onError } from "./platform/http/errors.ts";
import { allowKnownHosts } from "./platform/http/hosts.ts";
import { strictSecurityHeaders } from "./platform/http/security-headers.ts";
import { staticRoutes } from "./platform/http/static.ts";
import { registerRoutes } from "./selling/routes.tsx";

/** Body limits of the store: JSON sales of many lines, a logo upload, and small forms for everything else. */
export const storeBodyRules: BodyRule[] = [
  { prefix: "/api/", maxBytes: 1024 * 1024, message: "The request body is larger than 1 MB; send fewer lines per sale." },
  { prefix: "/devices/logo", maxBytes: 2_500_000, message: "The logo upload is larger than 2 MB; export a smaller PNG." },
];
export const STORE_FORM_LIMIT = 64 * 1024;

export function createApp(store: Store) {
  const app = new Hono();
  app.use(strictSecurityHeaders({ hsts: false })); // registers talk plain HTTP on the shop LAN
  app.onError(onError);
  // before anything reads a request: a name this store is known by, and a body of a bounded size
  app.use(allowKnownHosts({ names: () => store.settings().allowedHosts, howToAdd: "a manager adds a name with 'shopflow settings set allowed_hosts NAME'." }));
  app.use(limitBodies({ rules: storeBodyRules, otherwise: STORE_FORM_LIMIT }));
  app.notFound((c) => {
    throw new Problem("not_found", `There is nothing at ${c.req.path}.`);
  });
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
  app.route("/api/v1", apiRoutes(store));
  // pages for people: who is asking, and proof that a change comes from our own page
  for (const path of [
    "/",
    "/register/*",
    "/shift",
    "/shift/*",
    "/devices",
    "/devices/*",
    "/audit",
    "/audit.csv",
    "/users",
    "/users/*",
    "/setup",
    "/pair",
    "/login",
    "/logout",
  ]) {
    app.use(path, identify(store), checkCsrf);
  }
  app.use("/devices", requireRole("manager"));
  app.use("/devices/*", requireRole("manager"));
  app.route("/", peopleRoutes(store));
  app.route("/", registerRoutes(store));
  app.route("/", deviceRoutes(store));
  return app;
}
