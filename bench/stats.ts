// Latency summaries and small timing helpers shared by the bench sections.
import { seededRandom } from "../src/domain/kernel/random.ts";

/** Round to a few decimals so the JSON stays readable. */
export function round(value: number, decimals = 3): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Nearest-rank percentile of an ascending array; NaN when it is empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export type LatencySummary = { count: number; p50_ms: number; p99_ms: number; max_ms: number; mean_ms: number };

/** p50, p99, max and mean of latencies given in milliseconds. */
export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.at(-1) ?? Number.NaN),
    mean_ms: round(sorted.length ? sum / sorted.length : Number.NaN),
  };
}

/** The shared seeded source, so two runs send the same workload. */
export { seededRandom };

export const now = () => performance.now();

/** Progress goes to stderr; stdout carries only the final JSON. */
export function progress(message: string): void {
  const t = (performance.now() / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${t}s] ${message}\n`);
}
