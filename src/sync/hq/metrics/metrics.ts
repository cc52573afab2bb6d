// Head office's /metrics, in Prometheus' text format (prom-client), as the store has its own: how fast batches arrive and
// how long each takes, the sales merged, and per store how long since it was heard from, how far behind it is, what
// waits in its dead letters, whether its journal holds and how old its last backup is; the catalog release, whether
// the database answers, and the process's memory.
// Read only with an API token for every store. Head-office tokens have no scopes: each reads /api/v1, and the most a
// token can read is every store. A token limited to some stores is refused (403): the batch and sales counters and the
// timings are the chain's, which such a token is not to see. A person's session is no way in: a scraper sends a token.
import type { MiddlewareHandler } from "hono";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { Problem } from "../../../domain/kernel/problem.ts";
import { bearerSecret } from "../../../server/platform/auth/bearer.ts";
import { apiTokenFor } from "../api/tokens.ts";
import { databaseAway, type HqSql } from "../db/db.ts";
import { type ChainFigures, chainFigures, type StoreFigures, storeFigures } from "./figures.ts";

const HOW_TO = "an admin makes one on the Tokens page or with 'shopflow hq token create --name monitoring --database-url URL', for every store (no --store)";

/** Per-store gauges: labelled by the store's id alone, so a renamed store keeps its series (its name: shopflow_hq_store_info). */
const perStore: [name: string, help: string, read: (s: StoreFigures) => number | null][] = [
  ["shopflow_hq_store_last_contact_seconds", "Seconds since the store last exchanged with head office (NaN: never)", (s) => s.contact_age],
  [
    "shopflow_hq_store_last_batch_seconds",
    "Seconds since head office received the store's newest outbox item (NaN: none yet from its current database)",
    (s) => s.batch_age,
  ],
  [
    "shopflow_hq_store_newest_sale_age_seconds",
    "Seconds between now and the completion of the newest sale head office holds from the store (NaN: none)",
    (s) => s.sale_age,
  ],
  [
    "shopflow_hq_store_lag_seconds",
    "Seconds head office is behind the store: age of the oldest item waiting at the store, 0 when none waits (NaN: never heard from)",
    (s) => s.lag,
  ],
  ["shopflow_hq_store_items_waiting", "Outbox items the store said it holds that head office has not received (NaN: not said)", (s) => s.items_waiting],
  ["shopflow_hq_store_dead_letters", "Items of the store head office set aside and nobody has settled yet", (s) => s.dead_letters],
  [
    "shopflow_hq_store_journal_broken",
    "1 when the store's journal chain broke at head office's check, 0 when it holds (NaN: no journal received)",
    (s) => (s.journal_broken === null ? null : s.journal_broken ? 1 : 0),
  ],
  ["shopflow_hq_store_backup_age_seconds", "Seconds since the store's newest complete backup at head office was taken (NaN: none)", (s) => s.backup_age],
  ["shopflow_hq_store_catalog_version", "The catalog release the store last said it holds (NaN: not said)", (s) => s.catalog_version],
];

export function hqMetrics(sql: HqSql) {
  const registry = new Registry();
  // In memory, per process: a batch is counted as it is answered, not written anywhere (nothing on the ingest path
  // but this), and Prometheus reads a counter that starts again from 0 after a restart as it should (rate, increase).
  const batches = new Counter({
    name: "shopflow_hq_batches_ingested_total",
    help: "Store batches this head-office process acknowledged (replays included), since it started",
    registers: [registry],
  });
  const refused = new Counter({
    name: "shopflow_hq_batches_refused_total",
    help: "Store batches this head-office process refused (a gap, another database, a bad envelope, an unknown token), since it started",
    registers: [registry],
  });
  // no labels: every batch, acked or refused, is handling time (and label-less histograms read in every parser)
  const batchSeconds = new Histogram({
    name: "shopflow_hq_batch_seconds",
    help: "How long this process took over each store batch, from its arrival to its answer, acked or refused",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // From the database: it survives restarts and counts what every head-office process merged, exactly once per sale
  const sales = new Counter({
    name: "shopflow_hq_sales_ingested_total",
    help: "Completed sales head office has merged, from every store (read from the rollups: the same figure from every process)",
    registers: [registry],
  });
  const up = new Gauge({ name: "shopflow_hq_database_up", help: "1 when head office's PostgreSQL answered this scrape, 0 when not", registers: [registry] });
  const catalog = new Gauge({
    name: "shopflow_hq_catalog_version",
    help: "The newest catalog release head office has published (0: none)",
    registers: [registry],
  });
  const info = new Gauge({
    name: "shopflow_hq_store_info",
    help: "Each store the chain runs, with its name; always 1",
    labelNames: ["store", "name"],
    registers: [registry],
  });
  const gauges = perStore.map(([name, help, read]) => ({ gauge: new Gauge({ name, help, labelNames: ["store"], registers: [registry] }), read }));
  new Gauge({
    name: "process_resident_memory_bytes",
    help: "Resident memory of the head-office process",
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().rss);
    },
  });
  new Gauge({
    name: "nodejs_heap_size_used_bytes",
    help: "JavaScript heap in use in the head-office process",
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });

  let counted = 0;
  /** Read the database's figures into the gauges; when it is away, say so and show no store's stale figures. */
  async function readFigures(): Promise<void> {
    let chain: ChainFigures;
    let stores: StoreFigures[];
    try {
      [chain, stores] = await Promise.all([chainFigures(sql), storeFigures(sql)]);
    } catch (e) {
      if (!databaseAway(e)) throw e;
      up.set(0);
      info.reset();
      for (const g of gauges) g.gauge.reset();
      return;
    }
    up.set(1);
    // a counter only goes up: by what was merged since the last scrape (all of it the first time)
    if (chain.sales > counted) sales.inc(chain.sales - counted);
    counted = Math.max(counted, chain.sales);
    catalog.set(chain.catalogVersion);
    info.reset();
    for (const g of gauges) g.gauge.reset();
    for (const s of stores) {
      info.set({ store: s.store_id, name: s.name }, 1);
      for (const g of gauges) {
        const v = g.read(s);
        g.gauge.set({ store: s.store_id }, v === null ? Number.NaN : Math.max(0, v));
      }
    }
  }

  /** Times each batch a store sends and counts the acknowledged ones: put in front of POST /sync/v1/batches. */
  const timeBatches: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== "POST") return next();
    const end = batchSeconds.startTimer();
    try {
      await next();
    } finally {
      // a refusal thrown inside is an answer by now (the app's error handler ran): its status is what the store got
      end();
      if (c.res.status === 200) batches.inc();
      else refused.inc();
    }
  };

  /** GET /metrics: only with an API token for every store. */
  const route: MiddlewareHandler = async (c) => {
    const header = c.req.header("Authorization");
    const secret = bearerSecret(header);
    if (!secret) {
      c.header("WWW-Authenticate", 'Bearer realm="shopflow-hq"');
      throw new Problem("api_token_required", `Metrics need an API token as 'Authorization: Bearer <token>': ${HOW_TO}.`);
    }
    let token: Awaited<ReturnType<typeof apiTokenFor>>;
    try {
      token = await apiTokenFor(sql, secret);
    } catch (e) {
      if (!databaseAway(e)) throw e;
      // the token cannot be checked: the answer holds only what /healthz tells anyone, so an alert on it still fires
      return c.body(databaseAwayText, 200, { "Content-Type": registry.contentType, "Cache-Control": "no-store" });
    }
    if (!token) {
      c.header("WWW-Authenticate", 'Bearer realm="shopflow-hq", error="invalid_token"');
      throw new Problem("api_token_invalid", `This API token is unknown or revoked: ${HOW_TO}.`);
    }
    if (token.stores !== null) {
      throw new Problem("forbidden", `This token reads only some stores, and metrics are the whole chain's (its batches and sales together): ${HOW_TO}.`);
    }
    await readFigures();
    return c.body(await registry.metrics(), 200, { "Content-Type": registry.contentType, "Cache-Control": "no-store" });
  };
  return { registry, timeBatches, route };
}

const databaseAwayText = [
  "# HELP shopflow_hq_database_up 1 when head office's PostgreSQL answered this scrape, 0 when not",
  "# TYPE shopflow_hq_database_up gauge",
  "shopflow_hq_database_up 0",
  "",
].join("\n");
