// Head office over HTTP: stores send their outbox batches here, integrators read figures with API tokens, and people
// sign in to the dashboard to watch the stores and edit the catalog.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { systemClock, type Clock } from "../../server/clock.ts";
import { AppError, errorBody } from "../../server/errors.ts";
import { onError } from "../../server/http/errors.ts";
import { strictSecurityHeaders } from "../../server/http/security-headers.ts";
import { staticRoutes } from "../../server/http/static.ts";
import type { HqSql } from "./db.ts";
import { catalogChanges } from "./catalog.ts";
import { catalogRoutes } from "./catalog-routes.tsx";
import { hqDashboard } from "./dashboard.tsx";
import { checkCsrf, identify, requireApiToken, requireSignIn, type HqDeps, type HqEnv } from "./guard.ts";
import { peopleRoutes } from "./people-routes.tsx";
import { hqStaticRoutes } from "./static.ts";
import { storableText } from "../../server/http/form.ts";
import { MAX_RECONCILE_DAYS, reconcilablePeriod, reconcile } from "./reconciliation.ts";
import { hqApiRoutes, periodOf } from "./summary.ts";
import { receiveBatch } from "./receiver.ts";
import { storeForToken } from "./stores.ts";

export const MAX_BATCH_BYTES = 32 * 1024 * 1024;

export type HqAppOptions = {
  clock?: Clock;
  /** The currency of catalog prices (default EUR): how many decimals a typed price has. */
  currency?: string;
  /** Behind a reverse proxy: count sign-in attempts by X-Forwarded-For rather than the proxy's address. */
  trustProxy?: boolean;
  /** IANA time zone of head office's calendar (default UTC). */
  timeZone?: string;
};

/** Paths that programs use, each with its own authentication: never sent to the sign-in page. */
const forPrograms = (path: string) =>
  path === "/healthz" || path.startsWith("/sync/") || path.startsWith("/api/") || path.startsWith("/static/") || path === "/manifest.webmanifest";
/** Pages open before sign-in. */
const openPages = new Set(["/setup", "/login", "/logout"]);

export function createHqApp(sql: HqSql, version: string, options: HqAppOptions = {}) {
  const deps: HqDeps = { sql, clock: options.clock ?? systemClock, currency: options.currency ?? "EUR", trustProxy: options.trustProxy ?? false,
    timeZone: options.timeZone ?? "UTC" };
  const app = new Hono<{ Variables: HqEnv["Variables"] & { storeId: string } }>();
  app.use(strictSecurityHeaders({ hsts: true }));
  app.onError(onError);
  app.notFound((c) => c.json(errorBody("not_found", `There is nothing at ${c.req.path}.`), 404));

  // a path or query PostgreSQL could not compare (NUL, broken characters) is nothing head office holds
  app.use(async (c, next) => {
    let url: string;
    try {
      url = decodeURIComponent(c.req.url);
    } catch {
      throw new AppError(400, "bad_url", "The address is not valid; check it and try again.");
    }
    if (!storableText(url)) throw new AppError(400, "bad_url", "The address holds a character head office cannot look up (a NUL or a broken character).");
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

  // A store is its token: it can write only its own rows.
  app.use("/sync/v1/*", async (c, next) => {
    const m = /^Bearer\s+(\S{10,200})\s*$/i.exec(c.req.header("Authorization") ?? "");
    const storeId = m ? await storeForToken(sql, m[1]!) : null;
    if (!storeId) throw new AppError(401, "store_token_invalid", "This store's head-office token is unknown; register the store with 'shopflow hq store add'.");
    c.set("storeId", storeId);
    await next();
  });

  app.post(
    "/sync/v1/batches",
    bodyLimit({ maxSize: MAX_BATCH_BYTES, onError: () => { throw new AppError(413, "batch_too_large", "The batch is larger than 32 MB; send fewer items."); } }),
    async (c) => {
      let input: unknown;
      try {
        input = await c.req.json();
      } catch {
        throw new AppError(400, "malformed_json", "The batch is not valid JSON.");
      }
      try {
        const r = await receiveBatch(sql, c.get("storeId"), input);
        return c.json(r.body, r.status);
      } catch (e) {
        // the database is away or restarting: the store keeps its outbox and comes back later
        console.error("hq: batch failed:", e instanceof Error ? e.message : e);
        c.header("Retry-After", "5");
        return c.json(errorBody("hq_unavailable", "Head office cannot take batches right now; the store keeps them and sends again."), 503);
      }
    },
  );

  app.get("/sync/v1/catalog/changes", async (c) => {
    const since = Number(c.req.query("since") ?? "0");
    if (!Number.isSafeInteger(since) || since < 0) throw new AppError(400, "invalid_since", "since is the catalog version the store has: a whole number, 0 for none.");
    return c.json(await catalogChanges(sql, since));
  });

  // Integrators: every /api/v1 route needs an API token, including ones that do not exist (no probing without one).
  app.use("/api/*", requireApiToken(sql));
  app.route("/", hqApiRoutes(sql));
  // GET /api/v1/reconciliation?from=&to=[&store=] — each store's day totals against what head office holds
  app.get("/api/v1/reconciliation", async (c) => {
    const { from, to } = periodOf((n) => c.req.query(n));
    if (from === null || to === null || !reconcilablePeriod(from, to)) {
      throw new AppError(400, "invalid_period", `Give both from and to, as business dates (2026-11-25), at most ${MAX_RECONCILE_DAYS} days apart.`);
    }
    const store = c.req.query("store");
    return c.json({ from, to, data: await reconcile(sql, { from, to, ...(store ? { storeId: store } : {}) }) });
  });

  // People: every other path is a page behind sign-in, with CSRF and Origin checks on every change.
  app.use(
    "*",
    except((c) => forPrograms(c.req.path), identify(deps), checkCsrf, except((c) => openPages.has(c.req.path), requireSignIn(deps))),
  );
  app.use("*", async (c, next) => {
    await next();
    // pages show figures and, once, secrets: never kept in a shared cache or the browser's
    if (!forPrograms(c.req.path) && !c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
  });
  app.route("/", peopleRoutes(deps));
  app.route("/", catalogRoutes(deps));
  app.route("/", hqDashboard(deps));
  return app;
}
