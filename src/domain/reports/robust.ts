// How far one cashier's rate stands from the rest of the store's: the robust (modified) z-score of Iglewicz and
// Hoaglin, from the median and the median absolute deviation (MAD), so one extreme cashier does not hide themself by
// pulling the average and the spread their way, as a mean and a standard deviation would.

/** 0.6745 makes the MAD comparable to a standard deviation for normally spread figures (1 / 1.4826). */
const MAD_SCALE = 0.6745;

/** Above this a figure is worth a manager's look (Iglewicz and Hoaglin's usual cut-off for outliers). */
export const OUTLIER_Z = 3.5;

/** At least this many cashiers with a rate, or nobody is compared: with fewer, "the store's usual" means nothing. */
export const MIN_PEERS = 3;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("the median of nothing");
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The spread of a set: its median and the median absolute deviation from it. */
export type Spread = { median: number; mad: number };

export function spreadOf(values: readonly number[]): Spread {
  const m = median(values);
  return { median: m, mad: median(values.map((v) => Math.abs(v - m))) };
}

/**
 * The robust z-score of `x` against `spread`: 0.6745 (x − median) / MAD, with the spread never taken as less than
 * `floor` (in the rate's own units, more than 0). The floor is what the MAD falls back to when it is 0 — more than half
 * the cashiers with the same rate, as when nearly nobody voids — and keeps a tiny difference from a store of alike
 * cashiers from looking huge: the score is then (x − median) / floor. Neither the mean nor the standard deviation is
 * used for the fallback: one extreme cashier would inflate them and hide themself.
 */
export function robustZ(x: number, spread: Spread, floor: number): number {
  if (!(floor > 0)) throw new RangeError("the floor of the spread is more than 0");
  return (x - spread.median) / Math.max(spread.mad / MAD_SCALE, floor);
}

/** Each value's robust z-score against the whole set; null for all when there are fewer than MIN_PEERS values. */
export function robustScores(values: readonly number[], floor: number): (number | null)[] {
  if (values.length < MIN_PEERS) return values.map(() => null);
  const spread = spreadOf(values);
  return values.map((v) => robustZ(v, spread, floor));
}

/** Events per 100 sales; null with no sales to count against. */
export function ratePer100(events: number, sales: number): number | null {
  if (!Number.isFinite(events) || !Number.isFinite(sales) || events < 0 || sales < 0) throw new RangeError("counts are zero or more");
  return sales === 0 ? null : (events * 100) / sales;
}
