// Completing sales over HTTP: latency at a steady shop-like rate (open loop) and throughput at saturation.
import type { BenchContext, Section } from "./context.ts";
import { closedLoop, type Outcome, openLoop } from "./measure.ts";
import { progress, round, summarize } from "./stats.ts";
import { saleStream } from "./workload.ts";

const OPEN_RATE_PER_S = 100;
const OPEN_DURATION_MS = 10_000;
const DRAIN_MS = 10_000;
const CLIENTS = 16;
const SATURATION_MS = 10_000;
const SATURATION_MAX_SALES = 200_000;
const RSS_SAMPLE_MS = 250;

function saleSender(ctx: BenchContext, seed: number): () => Promise<Outcome> {
  const nextSale = saleStream(ctx.fixture, seed);
  let firstError: unknown = null;
  return async () => {
    const r = await ctx.api.postSale(nextSale());
    if (r.status !== 201 && firstError === null) {
      firstError = r.body;
      progress(`a sale answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
    }
    return { ok: r.status === 201, status: r.status };
  };
}

export const saleOpenLoop: Section = {
  name: "sale_open_loop",
  phase: "server",
  async run(ctx) {
    progress(`sale_open_loop: ${OPEN_RATE_PER_S} sales/s for ${OPEN_DURATION_MS / 1000} s, open loop`);
    const run = await openLoop(OPEN_RATE_PER_S, OPEN_DURATION_MS, DRAIN_MS, saleSender(ctx, 301));
    const lag = summarize(run.sendLagMs);
    return {
      sale_open_loop: {
        offered_per_s: OPEN_RATE_PER_S,
        planned: run.planned,
        completed: run.latenciesMs.length,
        achieved_per_s: round((run.latenciesMs.length / run.elapsedMs) * 1000, 1),
        ...summarize(run.latenciesMs),
        non_201: run.failures,
        statuses: run.statuses,
        unfinished: run.unfinished,
        // How late the bench itself sent requests; large values mean the client, not the server, was the bottleneck.
        send_lag_p99_ms: lag.p99_ms,
      },
    };
  },
};

export const saleSaturation: Section = {
  name: "sale_saturation",
  phase: "server",
  async run(ctx) {
    const server = ctx.server!;
    progress(`sale_saturation: ${CLIENTS} clients back to back for ${SATURATION_MS / 1000} s`);
    let rssMax = server.rssMb() ?? 0;
    const serverCpu0 = server.cpuMs();
    const clientCpu0 = process.cpuUsage();
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, server.rssMb() ?? 0)), RSS_SAMPLE_MS);
    const run = await closedLoop(CLIENTS, SATURATION_MS, SATURATION_MAX_SALES, saleSender(ctx, 401)).finally(() => clearInterval(sampler));
    rssMax = Math.max(rssMax, server.rssMb() ?? 0);
    const serverCpu1 = server.cpuMs();
    const clientCpu = process.cpuUsage(clientCpu0);
    const cpuShare = (ms: number) => round((ms / run.elapsedMs) * 100, 0);
    const ok = run.latenciesMs.length - run.failures;
    const salesPerS = (ok / run.elapsedMs) * 1000;
    return {
      sale_saturation: {
        clients: CLIENTS,
        sales: ok,
        sales_per_s: round(salesPerS, 1),
        ms_per_sale: round(1000 / salesPerS),
        ...summarize(run.latenciesMs),
        non_201: run.failures,
        statuses: run.statuses,
        // Both share the machine's cores: a busy client lowers what the server can reach.
        server_cpu_pct: serverCpu0 !== null && serverCpu1 !== null ? cpuShare(serverCpu1 - serverCpu0) : null,
        server_cpu_us_per_sale: serverCpu0 !== null && serverCpu1 !== null && ok > 0 ? round(((serverCpu1 - serverCpu0) * 1000) / ok, 0) : null,
        client_cpu_pct: cpuShare((clientCpu.user + clientCpu.system) / 1000),
      },
      rss_load_mb: rssMax,
    };
  },
};
