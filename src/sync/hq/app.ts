// Head office over HTTP: stores send their outbox batches here, integrators read figures with API tokens, and people
// sign in to the dashboard to watch the stores and edit the catalog.

import { type Context, Hono } from "hono";
import { jsxRenderer } from "hono/jsx-renderer";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { storableText } from "../../domain/kernel/text.ts";
import { systemClock } from "../../server/platform/clock.ts";
import { limitBodies } from "../../server/platform/http/body-limit.ts";
import { type ErrorPage, errorHandler } from "../../server/platform/http/errors.ts";
import { allowKnownHosts } from "../../server/platform/http/hosts.ts";
import { strictSecurityHeaders } from "../../server/platform/http/security-headers.ts";
import { staticRoutes } from "../../server/platform/http/static.ts";
import { accessLog } from "../../server/platform/log/access.ts";
import { type Logger, stderrLog } from "../../server/platform/log/log.ts";
import { inHqLayout } from "../../views/hq/error-page.tsx";
import { HqErrorPage } from "../../views/ui/error-page.tsx";
import { hqApiRoutes } from "./api/summary.ts";
import { logRefusals } from "./audit/refusals.ts";
import { auditRoutes } from "./audit/routes.tsx";
import { MAX_BACKUP_BYTES } from "./backups/backups.ts";
import { storeBackupRoutes } from "./backups/routes.tsx";
import { backupSyncRoutes } from "./backups/sync-routes.ts";
import { catalogRoutes } from "./catalog/routes.tsx";
import { categoryRoutes } from "./categories/routes.tsx";
import { databaseAway, type HqSql } from "./db/db.ts";
import { deadLetterApi } from "./dead-letters/api.ts";
import { deadLetterRoutes } from "./dead-letters/routes.tsx";
import { MAX_BATCH_BYTES, storeSyncRoutes } from "./ingest/routes.ts";
import { type LiveFeed, liveFeed } from "./live/feed.ts";
import { liveRoutes } from "./live/routes.ts";
import { hqMetrics } from "./metrics/metrics.ts";
import { checkCsrf, type HqDeps, type HqEnv, identify, requireApiToken, requireSignIn } from "./people/guard.ts";
import { accountRoutes } from "./people/person-routes.tsx";
import { signInRoutes, tokenRoutes, userRoutes } from "./people/routes.tsx";
import { reconciliationApi } from "./reconciliation/api.ts";
import { reportsApi } from "./reports/api.ts";
import { reportRoutes } from "./reports/routes.tsx";
import { hqStaticRoutes } from "./static.ts";
import { stockRoutes } from "./stock/routes.tsx";
import { overviewRoutes, reconciliationRoutes, storeRoutes } from "./stores/routes.tsx";

export type HqAppOptions = {
  clock?: Clock;
  /** The currency of catalog prices (default EUR): how many decimals a typed price has. */
  currency?: string;
  /**
   * Behind a reverse proxy: count sign-in attempts by X-Forwarded-For rather than the proxy's address, and let the
   * Origin of a change match X-Forwarded-Host. Without it both headers are ignored: anyone can send them.
   */
  trustProxy?: boolean;
  /** IANA time zone of head office's calendar (default UTC). */
  timeZone?: string;
  /** Names head office answers to besides its IP addresses, localhost and the machine's name (e.g. hq.example.com). */
  allowedHosts?: readonly string[];
  /** What /events streams: low stock as the stores' movements arrive (one LISTEN for the app; tests may pass their own). */
  live?: LiveFeed;
  /** Head office's log (`shopflow hq` makes it: --log-dir, else stderr); default: warnings and errors to stderr. */
  log?: Logger;
  /** Where the line of each refused request goes instead of the log; tests read it. */
  refusalLog?: (line: string) => void;
};

/** Bodies head office reads from people: small forms (a store's batches: ingest/routes.ts). */
export const HQ_FORM_LIMIT = 64 * 1024;
/** What Bun.serve accepts at all, under the per-route limits. */
export const LARGEST_HQ_BODY = Math.max(MAX_BATCH_BYTES, MAX_BACKUP_BYTES);

export function createHqApp(sql: HqSql, version: string, options: HqAppOptions = {}) {
  const deps: HqDeps = {
    sql,
    clock: options.clock ?? systemClock,
    currency: options.currency ?? "EUR",
    trustProxy: options.trustProxy ?? false,
    timeZone: options.timeZone ?? "UTC",
    log: options.log ?? stderrLog,
  };
  const app = new Hono<{ Variables: HqEnv["Variables"] & { storeId: string } }>();
  app.use(strictSecurityHeaders({ hsts: true }));
  // head office's log says what it refused and why (audit/refusals.ts)
  app.use(logRefusals(deps.log, options.refusalLog));
  app.use(accessLog(deps.log ?? stderrLog)); // at debug level only (server/platform/log/access.ts)
  const onError = errorHandler(hqErrorPage, deps.log);
  app.onError((err, c) => {
    // Any failure but the database being away would fail the same way again: logged and answered 500 (onError), never
    // "come back later", or a store would send the same batch forever.
    if (!databaseAway(err)) return onError(err, c);
    deps.log?.error("hq.database_away", { msg: `head office's database is away: ${err.message}` });
    c.header("Retry-After", "5");
    return onError(
      new Problem(
        "hq_unavailable",
        "Head office cannot reach its database right now; nothing was changed. Try again in a moment: a store keeps its sales and sends them again.",
      ),
      c,
    );
  });
  app.notFound((c) => {
    throw new Problem("not_found", `There is nothing at ${c.req.path}.`);
  });

  // before anything reads a request: a name head office is known by (each part limits bodies once it knows who asks)
  const names = options.allowedHosts ?? [];
  app.use(
    allowKnownHosts({ names: () => names, trustProxy: deps.trustProxy, howToAdd: "start head office with --allow-host NAME for each name it is reached by." }),
  );

  // a path or query PostgreSQL could not compare (NUL, broken characters) is nothing head office holds
  app.use(async (c, next) => {
    let url: string;
    try {
      url = decodeURIComponent(c.req.url);
    } catch {
      throw new Problem("bad_url", "The address is not valid; check it and try again.");
    }
    if (!storableText(url)) throw new Problem("bad_url", "The address holds a character head office cannot look up (a NUL or a broken character).");
    await next();
  });

  app.get("/healthz", async (c) => {
    try {
      await sql`SELECT 1`;
      return c.json({ status: "ok", role: "hq", version, database: "ok" });
    } catch {
      return c.json({ status: "degraded", role: "hq", version, database: "unavailable" }, 503);
    }
  });
  app.route("/", staticRoutes());
  app.route("/", hqStaticRoutes());
  // /metrics for a scraper with an API token for every store; each batch a store sends timed and counted there
  const metrics = hqMetrics(sql);
  app.get("/metrics", metrics.route);
  app.use("/sync/v1/batches", metrics.timeBatches);
  // programs, each with its own authentication before any body is read
  // a store's database copy: gzip, streamed, of its own size limit (backups/sync-routes.ts), before the JSON-only routes
  app.route("/sync/v1/backups", backupSyncRoutes(deps));
  app.route("/sync/v1", storeSyncRoutes(deps));
  app.route("/api/v1", apiRoutes(deps));
  // people: pages, mounted last (they take the rest)
  app.route("/", pages(deps, options.live ?? liveFeed(sql)));
  return app;
}

/** A refused or missing page as a person sees it: back to the dashboard when signed in, else to sign in. */
const hqErrorPage: ErrorPage = (c, refusal) => {
  const signedIn = !!(c as Context<HqEnv>).get("user");
  // a signed-in person stays inside head office's pages, with its navigation (once the pages know who they are)
  const layout = signedIn && (c as Context<HqEnv>).get("hqPage")?.me ? inHqLayout(c) : undefined;
  return HqErrorPage({ ...refusal, signedIn, layout }).toString();
};

/**
 * Integrators: every /api/v1 route needs an API token, including ones that do not exist (no probing without one); the
 * guard sets the token, and with it the stores it is limited to, for every route (people/store-filter.ts).
 */
function apiRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<HqEnv>();
  app.use(requireApiToken(sql));
  app.use(limitBodies({ rules: [], otherwise: HQ_FORM_LIMIT }));
  app.route("/", hqApiRoutes(sql));
  app.route("/reconciliation", reconciliationApi(sql));
  app.route("/dead-letters", deadLetterApi(sql));
  app.route("/reports", reportsApi(deps));
  return app;
}

/**
 * The dashboard: one sub-app that knows who is asking, limits bodies and checks CSRF and Origin for everything under
 * it; the pages that lead to a session are open, everything mounted after them needs sign-in, each feature under its
 * prefix with its own role gate.
 */
function pages(deps: HqDeps, live: LiveFeed) {
  const app = new Hono<HqEnv>();
  app.use(identify(deps));
  app.use(async (c, next) => {
    const user = c.get("user");
    const me = user ? { name: user.name, role: user.role } : null;
    c.set("hqPage", { csrf: c.get("csrf"), me, currency: deps.currency, timeZone: deps.timeZone });
    await next();
  });
  app.use(limitBodies({ rules: [], otherwise: HQ_FORM_LIMIT }));
  app.use(checkCsrf(deps));
  app.use(async (c, next) => {
    await next();
    // pages show figures and, once, secrets: never kept in a shared cache or the browser's
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
  });
  // views read the page context through the renderer; no layout around them: each is a whole page or a fragment
  app.use(jsxRenderer(undefined, { docType: false }));
  app.route("/", signInRoutes(deps));
  const signedIn = new Hono<HqEnv>();
  signedIn.use(requireSignIn(deps));
  signedIn.route("/", overviewRoutes(deps));
  signedIn.route("/catalog/categories", categoryRoutes(deps));
  signedIn.route("/catalog", catalogRoutes(deps));
  signedIn.route("/reconciliation", reconciliationRoutes(deps));
  signedIn.route("/stock", stockRoutes(deps));
  signedIn.route("/reports", reportRoutes(deps));
  signedIn.route("/dead-letters", deadLetterRoutes(deps));
  signedIn.route("/events", liveRoutes(live, deps.log ? { log: deps.log } : {}));
  signedIn.route("/stores", storeBackupRoutes(deps));
  signedIn.route("/stores", storeRoutes(deps));
  signedIn.route("/users", userRoutes(deps));
  signedIn.route("/tokens", tokenRoutes(deps));
  signedIn.route("/audit", auditRoutes(deps));
  signedIn.route("/account", accountRoutes(deps));
  app.route("/", signedIn);
  return app;
}
