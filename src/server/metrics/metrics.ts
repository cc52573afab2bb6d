// /metrics for the shop's monitoring, in Prometheus' text format (prom-client): sales, how long a sale takes, what waits
// for head office and since when, the print queue and each printer's state, and how old the last backup is.
// Read only with an API token that has the admin scope: the figures say how busy the shop is and which printers are
// down, which is nobody's business on the LAN but the owner's monitoring (a token is what a scraper can send; a
// person's session is not).
import type { Database } from "bun:sqlite";
import type { MiddlewareHandler } from "hono";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { Problem } from "../../domain/kernel/problem.ts";

type Deps = { db: Database; outboxPending: () => number; authenticate: (secret: string) => { scopes: string[] } | null };

export function storeMetrics(deps: Deps) {
  const registry = new Registry();
  const one = <T>(sql: string): T | null => deps.db.query<T, []>(sql).get();
  let counted: number | null = null;
  const sales = new Counter({
    name: "shopflow_sales_total",
    help: "Completed sales since the store's database was made",
    registers: [registry],
    collect() {
      const n = one<{ n: number }>("SELECT count(*) AS n FROM sales WHERE status = 'completed'")?.n ?? 0;
      // a counter only goes up: by the sales completed since the last scrape (all of them the first time)
      if (n > (counted ?? 0)) this.inc(n - (counted ?? 0));
      counted = n;
    },
  });
  void sales;
  const latency = new Histogram({
    name: "shopflow_sale_seconds",
    help: "How long a sale request takes, from its arrival to its answer",
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: "shopflow_outbox_waiting",
    help: "Outbox items not yet acknowledged by head office",
    registers: [registry],
    collect() {
      this.set(deps.outboxPending());
    },
  });
  new Gauge({
    name: "shopflow_outbox_lag_seconds",
    help: "Age of the oldest outbox item head office has not acknowledged (0: none waits)",
    registers: [registry],
    collect() {
      const r = one<{ at: string | null }>("SELECT min(created_at) AS at FROM outbox WHERE seq > (SELECT acked_seq FROM sync_state WHERE id = 1)");
      this.set(r?.at ? Math.max(0, (Date.now() - Date.parse(r.at)) / 1000) : 0);
    },
  });
  new Gauge({
    name: "shopflow_print_queue_depth",
    help: "Print jobs waiting or printing",
    registers: [registry],
    collect() {
      this.set(one<{ n: number }>("SELECT count(*) AS n FROM print_jobs WHERE state IN ('queued', 'printing')")?.n ?? 0);
    },
  });
  new Gauge({
    name: "shopflow_printer_up",
    help: "Each printer's last status: 1 ready, 0 not (offline, paper out, cover open), NaN never read",
    labelNames: ["printer"],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of deps.db.query<{ name: string; status: string | null }, []>("SELECT name, status FROM printers").all()) {
        let up = Number.NaN;
        try {
          const s = p.status ? (JSON.parse(p.status) as { online?: boolean; ok?: boolean; state?: string }) : null;
          if (s) up = s.online === false || s.ok === false || (s.state !== undefined && s.state !== "ready" && s.state !== "online") ? 0 : 1;
        } catch {
          up = Number.NaN;
        }
        this.set({ printer: p.name }, up);
      }
    },
  });
  new Gauge({
    name: "shopflow_backup_age_seconds",
    help: "Seconds since the last backup (NaN: no backup known)",
    registers: [registry],
    collect() {
      const r = one<{ value: string }>("SELECT value FROM settings WHERE key IN ('last_backup_at', 'backup_last_at') ORDER BY key LIMIT 1");
      const at = r ? Date.parse(r.value) : Number.NaN;
      this.set(Number.isFinite(at) ? Math.max(0, (Date.now() - at) / 1000) : Number.NaN);
    },
  });

  /** Times sale requests (POST to a sales path): put in front of the routes that sell. */
  const timeSales: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== "POST" || !/\/sales(\/|$)/.test(c.req.path)) return next();
    const end = latency.startTimer();
    try {
      await next();
    } finally {
      end();
    }
  };

  /** GET /metrics: only with an admin API token. */
  const route = async (c: Parameters<MiddlewareHandler>[0]) => {
    const secret = /^Bearer (.+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
    if (!secret)
      throw new Problem(
        "api_token_required",
        "Metrics need an API token with the admin scope: make one with 'shopflow token create --name monitoring --scopes admin'.",
      );
    const holder = deps.authenticate(secret);
    if (!holder)
      throw new Problem("api_token_invalid", "This token is not known or was revoked: make one with 'shopflow token create --name monitoring --scopes admin'.");
    if (!holder.scopes.includes("admin")) throw new Problem("forbidden", "This token cannot read metrics: it needs the admin scope.");
    return c.body(await registry.metrics(), 200, { "Content-Type": registry.contentType });
  };
  return { registry, timeSales, route };
}
