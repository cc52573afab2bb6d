// Start-up time and idle memory of the built binary on the bench store.
import type { BenchContext, Section } from "./context.ts";
import { sequential } from "./measure.ts";
import { progress } from "./stats.ts";
import { barcodeStream, saleStream } from "./workload.ts";

const IDLE_MS = 2000;
const WARM_UP_MAX_MS = 5_000;

/** Exercise every path the later sections use, so the idle figure is a warmed-up server, not a fresh one. */
async function warmUp(ctx: BenchContext): Promise<void> {
  const nextBarcode = barcodeStream(ctx.fixture, 101);
  const nextSale = saleStream(ctx.fixture, 102);
  const terms = ctx.fixture.searchTerms;
  let i = 0;
  await sequential(300, WARM_UP_MAX_MS, async () => {
    const r = await ctx.api.get(`/api/v1/products?barcode=${encodeURIComponent(nextBarcode())}`);
    return { ok: r.status === 200, status: r.status };
  });
  await sequential(100, WARM_UP_MAX_MS, async () => {
    const r = await ctx.api.get(`/api/v1/products?q=${encodeURIComponent(terms[i++ % terms.length]!)}`);
    return { ok: r.status === 200, status: r.status };
  });
  const sales = await sequential(100, WARM_UP_MAX_MS, async () => {
    const r = await ctx.api.postSale(nextSale());
    return { ok: r.status === 201, status: r.status };
  });
  if (sales.failures > 0) throw new Error(`warm-up sales failed: ${JSON.stringify(sales.statuses)}`);
}

export const startup: Section = {
  name: "startup",
  phase: "server",
  async run(ctx) {
    const server = ctx.server!;
    const rssStart = server.rssMb();
    progress(`server healthy after ${server.startMs} ms; warming up`);
    await warmUp(ctx);
    await Bun.sleep(IDLE_MS);
    return { start_ms: server.startMs, rss_start_mb: rssStart, rss_idle_mb: server.rssMb() };
  },
};
