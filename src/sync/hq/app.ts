// Head office over HTTP: stores send their outbox batches here, integrators read figures with API tokens, and people
// sign in to the dashboard to watch the stores and edit the catalog.

import { Hono } from "hono";
import { except } from "hono/combine";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { storableText } from "../../domain/kernel/text.ts";
import { systemClock } from "../../server/platform/clock.ts";
import { type BodyRule, limitBodies } from "../../server/platform/http/body-limit.ts";
import { onError } from "../../server/platform/http/errors.ts";
import { allowKnownHosts } from "../../server/platform/http/hosts.ts";
import { strictSecurityHeaders } from "../../server/platform/http/security-headers.ts";
import { staticRoutes } from "../../server/platform/http/static.ts";
import { valid } from "../../server/platform/http/validate.ts";
import { hqApiRoutes, periodOf } from "./api/summary.ts";
import { catalogChanges } from "./catalog/releases.ts";
import { catalogRoutes } from "./catalog/routes.tsx";
import { catalogReport, saveCatalogReport } from "./catalog/store-reports.ts";
import { databaseAway, type HqSql } from "./db/db.ts";
import { receiveBatch } from "./ingest/receiver.ts";
import { checkCsrf, type HqDeps, type HqEnv, identify, requireApiToken, requireSignIn } from "./people/guard.ts";
import { peopleRoutes } from "./people/routes.tsx";
import { MAX_RECONCILE_DAYS, reconcilablePeriod, reconcile } from "./reconciliation/reconciliation.ts";
import { hqStaticRoutes } from "./static.ts";
import { hqDashboard } from "./stores/routes.tsx";
import { storeForToken } from "./stores/stores.ts";

export const MAX_BATCH_BYTES = 32 * 1024 * 1024;

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
};

/** Body limits of head office: a store's batch, a store's catalog report, and small forms for everything else. */
export const hqBodyRules: BodyRule[] = [
  { prefix: "/sync/v1/batches", maxBytes: MAX_BATCH_BYTES, message: "The batch is larger than 32 MB; send fewer items." },
  { prefix: "/sync/", maxBytes: 1024 * 1024 },
];
export const HQ_FORM_LIMIT = 64 * 1024;

/** Paths that programs use, each with its own authentication: never sent to the sign-in page. */
const forPrograms = (path: string) =>
  path === "/healthz" || path.startsWith("/sync/") || path.startsWith("/api/") || path.startsWith("/static/") || path === "/manifest.webmanifest";
/** Pages open before sign-in. */
const openPages = new Set(["/setup", "/login", "/logout"]);

export function createHqApp(sql: HqSql, version: string, options: HqAppOptions = {}) {
  const deps: HqDeps = {
    sql,
    clock: options.clock ?? systemClock,
    currency: options.currency ?? "EUR",
    trustProxy: options.trustProxy ?? false,
    timeZone: options.timeZone ?? "UTC",
  };
  const app = new Hono<{ Variables: HqEnv["Variables"] & { storeId: string } }>();
  app.use(strictSecurityHeaders({ hsts: true }));
  app.onError((err, c) => {
    // Any failure but the database being away would fail the same way again: logged and answered 500 (onError), never
    // "come back later", or a store would send the same batch forever.
    if (!databaseAway(err)) return onError(err, c);
    console.error(`hq: database away: ${err.message}`);
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

  // before anything reads a request: a name head office is known by, and a body of a bounded size
  const names = options.allowedHosts ?? [];
  app.use(
    allowKnownHosts({ names: () => names, trustProxy: deps.trustProxy, howToAdd: "start head office with --allow-host NAME for each name it is reached by." }),
  );
  app.use(limitBodies({ rules: hqBodyRules, otherwise: HQ_FORM_LIMIT }));

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

  // A store is its token: it can write only its own rows. What it sends is JSON, said so.
  app.use("/sync/v1/*", async (c, next) => {
    const m = /^Bearer\s+(\S{10,200})\s*$/i.exec(c.req.header("Authorization") ?? "");
    const storeId = m ? await storeForToken(sql, m[1]!) : null;
    if (!storeId) throw new Problem("store_token_invalid", "This store's head-office token is unknown; register the store with 'shopflow hq store add'.");
    if (c.req.method === "POST" && (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase() !== "application/json") {
      throw new Problem("unsupported_media_type", "Head office takes JSON here: send it with the header Content-Type: application/json.");
    }
    c.set("storeId", storeId);
    await next();
  });

  app.post("/sync/v1/batches", async (c) => {
    let input: unknown;
    try {
      input = await c.req.json();
    } catch {
      throw new Problem("malformed_json", "The batch is not valid JSON.");
    }
    const r = await receiveBatch(sql, c.get("storeId"), input);
    return c.json(r.body, r.status);
  });

  // how the store's catalog stands after a pull: shown on the dashboard (a barcode the store holds for its own product)
  app.post("/sync/v1/catalog/report", valid("json", catalogReport), async (c) => {
    await saveCatalogReport(sql, c.get("storeId"), c.req.valid("json"), deps.clock.now());
    return c.json({ ok: true });
  });

  app.get("/sync/v1/catalog/changes", async (c) => {
    const since = Number(c.req.query("since") ?? "0");
    if (!Number.isSafeInteger(since) || since < 0)
      throw new Problem("invalid_since", "since is the catalog version the store has: a whole number, 0 for none.");
    return c.json(await catalogChanges(sql, since));
  });

  // Integrators: every /api/v1 route needs an API token, including ones that do not exist (no probing without one).
  app.use("/api/*", requireApiToken(sql));
  app.route("/", hqApiRoutes(sql));
  // GET /api/v1/reconciliation?from=&to=[&store=] — each store's day totals against what head office holds
  app.get("/api/v1/reconciliation", async (c) => {
    const { from, to } = periodOf((n) => c.req.query(n));
    if (from === null || to === null || !reconcilablePeriod(from, to)) {
      throw new Problem("invalid_period", `Give both from and to, as business dates (2026-11-25), at most ${MAX_RECONCILE_DAYS} days apart.`);
    }
    const store = c.req.query("store");
    return c.json({ from, to, data: await reconcile(sql, { from, to, ...(store ? { storeId: store } : {}) }) });
  });

  // People: every other path is a page behind sign-in, with CSRF and Origin checks on every change.
  app.use(
    "*",
    except(
      (c) => forPrograms(c.req.path),
      identify(deps),
      checkCsrf(deps),
      except((c) => openPages.has(c.req.path), requireSignIn(deps)),
    ),
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
