// The figures /metrics shows, in a prom-client registry built on the first scrape (metrics.ts): prom-client and its
// registry stay out of a store's memory until its monitoring first asks.
import type { Database } from "bun:sqlite";
import { Counter, Gauge, type Metric, Registry } from "prom-client";
import type { SaleLatency } from "./sale-latency.ts";

export type RegistryDeps = { db: Database; outboxPending: () => number };

export function storeRegistry(deps: RegistryDeps, latency: SaleLatency): Registry {
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
  // counted by the sale timer since the server started, scraped or not: prom-client only writes it out
  const name = "shopflow_sale_seconds";
  const help = "How long a sale request takes, from its arrival to its answer";
  registry.registerMetric({
    name,
    help,
    type: "histogram",
    aggregator: "sum",
    get: async () => ({ name, help, type: "histogram", aggregator: "sum", values: latency.values(name) }),
  } as unknown as Metric);
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
  return registry;
}
