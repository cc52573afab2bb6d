// The quick-cash buttons of the cash dialog.

/** Exact, then the next round notes a customer is likely to hand over: at most five buttons. */
export function quickCash(due: number): number[] {
  const out = new Set<number>([due]);
  for (const step of [100, 500, 1000, 2000, 5000, 10000]) {
    const next = Math.ceil(due / step) * step;
    if (next > due) out.add(next);
    if (out.size >= 5) break;
  }
  return [...out].sort((a, b) => a - b);
}
