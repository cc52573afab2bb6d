// Catalog reads over HTTP: barcode lookup (every scan) and search (the type-ahead box).
import type { BenchContext, Section } from "./context.ts";
import { sequential } from "./measure.ts";
import { progress, round, summarize } from "./stats.ts";
import { barcodeStream } from "./workload.ts";

const LOOKUPS = 2000;
const SEARCHES = 1000;
const WARM_UP = 200;
const WARM_UP_MAX_MS = 5_000;
const MAX_MS = 20_000;

type ProductPage = { data?: unknown[] };
const rowsOf = (body: unknown): number => (Array.isArray((body as ProductPage)?.data) ? (body as ProductPage).data!.length : 0);

export const lookup: Section = {
  name: "lookup",
  phase: "server",
  async run(ctx: BenchContext) {
    const nextBarcode = barcodeStream(ctx.fixture, 201);
    let misses = 0;
    const once = async () => {
      const r = await ctx.api.get(`/api/v1/products?barcode=${encodeURIComponent(nextBarcode())}`);
      if (r.status === 200 && rowsOf(r.body) !== 1) misses++;
      return { ok: r.status === 200, status: r.status };
    };
    await sequential(WARM_UP, WARM_UP_MAX_MS, once);
    misses = 0;
    progress(`lookup: ${LOOKUPS} sequential barcode lookups`);
    const run = await sequential(LOOKUPS, MAX_MS, once);
    return { lookup: { ...summarize(run.latenciesMs), errors: run.failures, not_found: misses, timed_out: run.timedOut } };
  },
};

export const search: Section = {
  name: "search",
  phase: "server",
  async run(ctx: BenchContext) {
    const terms = ctx.fixture.searchTerms;
    let i = 0;
    let rows = 0;
    let empty = 0;
    const perTerm = new Map<string, number[]>();
    const once = async () => {
      const term = terms[i++ % terms.length]!;
      const s = performance.now();
      const r = await ctx.api.get(`/api/v1/products?q=${encodeURIComponent(term)}`);
      const ms = performance.now() - s;
      const times = perTerm.get(term) ?? [];
      times.push(ms);
      perTerm.set(term, times);
      const n = rowsOf(r.body);
      rows += n;
      if (n === 0) empty++;
      return { ok: r.status === 200, status: r.status };
    };
    await sequential(WARM_UP, WARM_UP_MAX_MS, once);
    i = 0;
    rows = 0;
    empty = 0;
    perTerm.clear();
    progress(`search: ${SEARCHES} sequential searches over ${terms.length} terms`);
    const run = await sequential(SEARCHES, MAX_MS, once);
    // The slowest terms say which query shapes to look at first.
    const slowest = [...perTerm]
      .map(([term, ms]) => ({ term, max_ms: round(Math.max(...ms)) }))
      .sort((a, b) => b.max_ms - a.max_ms)
      .slice(0, 5);
    return {
      search: {
        ...summarize(run.latenciesMs),
        errors: run.failures,
        timed_out: run.timedOut,
        rows_mean: round(rows / Math.max(1, run.latenciesMs.length), 1),
        empty_results: empty,
        terms: terms.length,
        slowest_terms: slowest,
      },
    };
  },
};
