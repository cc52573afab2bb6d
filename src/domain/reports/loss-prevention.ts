// Loss prevention: per cashier, how often each thing that can hide a loss happens, per 100 sales, against the store's
// usual (the robust z-score of robust.ts), flagged when far above it. Pure: the counts come in, the report goes out.
import { median, OUTLIER_Z, ratePer100, robustScores } from "./robust.ts";

/** What is counted, in the order the page shows it. */
export const lossMeasures = ["voids", "removedAfterPayment", "cancelled", "noSales", "priceOverrides", "discounts", "refunds", "noReceiptReturns"] as const;
export type LossMeasure = (typeof lossMeasures)[number];

/**
 * A rate less than one event per 100 sales apart from the store's median is never worth a look: the spread is never
 * taken as less than this (it stands in when the MAD is 0, e.g. when most cashiers never cancel a sale).
 */
export const SPREAD_FLOOR_PER_100 = 1;

/** A figure is marked only from this many events up: one or two are chance, however few sales they are set against. */
export const MIN_EVENTS_TO_FLAG = 3;

/** One cashier's counts over the period: their completed sales and each event. */
export type CashierCounts = { userId: number; name: string; sales: number; counts: Record<LossMeasure, number> };

/** One figure of one cashier: the count, the rate per 100 sales (null with no sales), its score and whether it is flagged. */
export type LossFigure = { count: number; rate: number | null; z: number | null; flagged: boolean };

export type CashierLoss = { userId: number; name: string; sales: number; figures: Record<LossMeasure, LossFigure>; flags: number };

export type LossReport = {
  cashiers: CashierLoss[];
  /** The store's median rate of each measure, among cashiers with sales; null with none. */
  medians: Record<LossMeasure, number | null>;
  /** Cashiers with sales: fewer than MIN_PEERS and nobody is scored. */
  compared: number;
};

/**
 * Rates per 100 completed sales of the same cashier and period, each scored against the other cashiers with sales. A
 * cashier with no completed sale has counts but no rate and no score (there is nothing to count them against); they are
 * listed, and their counts speak for themselves. Sorted by flags, then name.
 */
export function lossReport(cashiers: readonly CashierCounts[], threshold = OUTLIER_Z): LossReport {
  const withSales = cashiers.filter((c) => c.sales > 0);
  const scores = {} as Record<LossMeasure, Map<number, number | null>>;
  const medians = {} as Record<LossMeasure, number | null>;
  for (const m of lossMeasures) {
    const rates = withSales.map((c) => ratePer100(c.counts[m], c.sales)!);
    const z = robustScores(rates, SPREAD_FLOOR_PER_100);
    scores[m] = new Map(withSales.map((c, i) => [c.userId, z[i] ?? null]));
    medians[m] = rates.length > 0 ? median(rates) : null;
  }
  const rows = cashiers.map((c): CashierLoss => {
    const figures = {} as Record<LossMeasure, LossFigure>;
    let flags = 0;
    for (const m of lossMeasures) {
      const z = scores[m].get(c.userId) ?? null;
      const flagged = z !== null && z > threshold && c.counts[m] >= MIN_EVENTS_TO_FLAG;
      if (flagged) flags++;
      figures[m] = { count: c.counts[m], rate: ratePer100(c.counts[m], c.sales), z, flagged };
    }
    return { userId: c.userId, name: c.name, sales: c.sales, figures, flags };
  });
  rows.sort((a, b) => b.flags - a.flags || a.name.localeCompare(b.name));
  return { cashiers: rows, medians, compared: withSales.length };
}
