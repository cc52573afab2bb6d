// `make bench`: seed a 100,000-product store, run the built binary on it, run every section, print one JSON report.
// Progress goes to stderr; stdout is the report alone, so `make bench > bench.json` keeps it.
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { version } from "../src/server/platform/version.ts";
import { apiClient, type BenchContext, type Section } from "./context.ts";
import { type Fixture, prepareFixture } from "./fixture.ts";
import { sections } from "./sections.ts";
import { type RunningServer, startServer } from "./server.ts";
import { progress, round } from "./stats.ts";
import { checkTargets } from "./targets.ts";

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
// BENCH_BINARY compares another build (an older release, say) on the same workload.
const BINARY = process.env.BENCH_BINARY ?? join(import.meta.dir, "..", "dist", "shopflow");
const START_TIMEOUT_MS = 20_000;
// Every loop is bounded on its own; this is the last resort that keeps `make bench` from hanging. Two sections seed a
// year of sales (500,000) each, about a minute apiece; three build a store of a million products (stock, counts, live).
const WATCHDOG_MS = 1_200_000;

let fixture: Fixture | null = null;
let server: RunningServer | null = null;
const results: Record<string, unknown> = {};
// Other work on the machine moves the figures; the load before and after says how quiet the run was.
const loadBefore = loadavg()[0]!;
const errors: Record<string, string> = {};

function report(): string {
  const { targets, pass } = checkTargets(results);
  const meta = {
    version,
    bun: Bun.version,
    cpus: cpus().length,
    products: fixture?.products ?? null,
    seed_ms: fixture?.seedMs ?? null,
    at: new Date().toISOString(),
    load_1m_before: round(loadBefore, 2),
    load_1m_after: round(loadavg()[0]!, 2),
  };
  return JSON.stringify({ bench: meta, ...results, targets, pass, ...(Object.keys(errors).length ? { errors } : {}) }, null, 2);
}

function cleanUpNow(): void {
  if (server && !server.exited()) process.kill(server.pid, "SIGKILL");
  fixture?.remove();
}

const watchdog = setTimeout(() => {
  errors.watchdog = `the bench ran past ${WATCHDOG_MS / 1000} s and was stopped`;
  progress(errors.watchdog);
  cleanUpNow();
  console.log(report());
  process.exit(1);
}, WATCHDOG_MS);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    cleanUpNow();
    process.exit(130);
  });
}

async function main(): Promise<number> {
  try {
    fixture = prepareFixture({ products: PRODUCTS });
    progress(`starting ${BINARY}`);
    server = await startServer({ binary: BINARY, dataDir: fixture.dataDir, timeoutMs: START_TIMEOUT_MS });
    const ctx: BenchContext = { fixture, server, api: apiClient(server.baseUrl, fixture.token), results };

    for (const section of sections.filter((s) => s.phase === "server")) await runSection(section, ctx);
    const stopped = await server.stop();
    results.stop_ms = stopped.stopMs;
    if (stopped.killed) errors.stop = "the server did not exit within 5 s of SIGTERM and was killed";
    const offline: BenchContext = { ...ctx, server: null };
    for (const section of sections.filter((s) => s.phase === "offline")) await runSection(section, offline);
  } catch (e) {
    errors.setup = e instanceof Error ? e.message : String(e);
    progress(`failed: ${errors.setup}`);
  } finally {
    if (server && !server.exited()) await server.stop();
    fixture?.remove();
    clearTimeout(watchdog);
  }
  console.log(report());
  return Object.keys(errors).length ? 1 : 0;
}

/** A failing section is reported and the others still run; a dead server skips the sections that need it. */
async function runSection(section: Section, ctx: BenchContext): Promise<void> {
  if (ctx.server?.exited()) {
    errors[section.name] = `skipped: the server has exited:\n${ctx.server.output()}`;
    return;
  }
  try {
    Object.assign(results, await section.run(ctx));
  } catch (e) {
    errors[section.name] = e instanceof Error ? e.message : String(e);
    progress(`${section.name} failed: ${errors[section.name]}`);
  }
}

process.exitCode = await main();
