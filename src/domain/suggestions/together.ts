// "Frequently bought together": association rules between two products, from the shop's own baskets. A rule A → B
// says that a basket with A often has B too. Three figures tell how good it is:
//   support    = baskets with both / all baskets            (how common the pair is)
//   confidence = baskets with both / baskets with A         (how often A's buyers also take B)
//   lift       = confidence / (baskets with B / all baskets) (how much likelier B is with A than without: > 1 helps)
// Pure: counts in, figures and rankings out. The store keeps the counts (server/reports/together-counts.ts).

/** Baskets with more different products than this say little about any one pair and would cost a pass thousands of pairs. */
export const MAX_BASKET_PRODUCTS = 60;

/** The default of the store setting `together_min_baskets`: a pair seen in fewer baskets is chance, not a habit. */
export const DEFAULT_MIN_BASKETS = 5;

/** How many rules are kept per product: enough that one is left when the best are in the basket or off the shelf. */
export const RULES_PER_PRODUCT = 5;

export type PairCounts = {
  /** All baskets counted. */
  baskets: number;
  /** Baskets with the first product (the one scanned). */
  withA: number;
  /** Baskets with the second product (the one suggested). */
  withB: number;
  /** Baskets with both. */
  together: number;
};

export type RuleFigures = { support: number; confidence: number; lift: number };

/** The three figures of the rule A → B. Counts that cannot be (both more often than either alone) give zeros. */
export function ruleFigures(c: PairCounts): RuleFigures {
  if (c.baskets <= 0 || c.withA <= 0 || c.withB <= 0 || c.together <= 0) return { support: 0, confidence: 0, lift: 0 };
  if (c.together > c.withA || c.together > c.withB || c.withA > c.baskets || c.withB > c.baskets) return { support: 0, confidence: 0, lift: 0 };
  return {
    support: c.together / c.baskets,
    confidence: c.together / c.withA,
    lift: (c.together * c.baskets) / (c.withA * c.withB),
  };
}

/** The distinct products of one basket, in order, or none when the basket is too large to count its pairs. */
export function basketProducts(productIds: readonly number[]): number[] {
  const distinct = [...new Set(productIds)].sort((a, b) => a - b);
  return distinct.length > MAX_BASKET_PRODUCTS ? [] : distinct;
}

/** Every pair of a basket's distinct products, the smaller id first: what the pair counts go up by. */
export function basketPairs(productIds: readonly number[]): [number, number][] {
  const p = basketProducts(productIds);
  const pairs: [number, number][] = [];
  for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++) pairs.push([p[i]!, p[j]!]);
  return pairs;
}

/**
 * A change to the counts, in rows so that a large one can be written over several short transactions: the products
 * whose basket count moves by `sign`, whether the number of baskets moves with them, and the pairs by their first
 * product (row i: `rows[i].product` with each of `rows[i].with`, each pair once).
 */
export type CountChange = {
  sign: 1 | -1;
  basket: boolean;
  products: number[];
  rows: { product: number; with: number[] }[];
};

/** A completed sale's basket as a change to the counts; null when it counts nothing (no products, or too many). */
export function basketAdded(productIds: readonly number[]): CountChange | null {
  const p = basketProducts(productIds);
  if (p.length === 0) return null;
  const rows = p.slice(0, -1).map((product, i) => ({ product, with: p.slice(i + 1) }));
  return { sign: 1, basket: true, products: p, rows };
}

/** A quantity of a product: what a sale's lines sold, or what a return's lines took back. */
export type Quantity = { productId: number; qtyMilli: number };

const totals = (qs: readonly Quantity[]): Map<number, number> => {
  const m = new Map<number, number>();
  for (const q of qs) m.set(q.productId, (m.get(q.productId) ?? 0) + q.qtyMilli);
  return m;
};

/**
 * What a return takes out of the basket it came from: a product leaves the basket once all of it has come back (a
 * part of it back leaves the basket as it was), and with it its pairs; a basket with nothing left is no basket. The
 * sale's lines, what its earlier returns took back, and what this one does; null when the counts do not change (the
 * basket was never counted, or nothing left it).
 */
export function itemsReturned(sold: readonly Quantity[], earlier: readonly Quantity[], now: readonly Quantity[]): CountChange | null {
  const original = basketProducts(sold.map((l) => l.productId));
  if (original.length === 0) return null;
  const bought = totals(sold);
  const gone = (back: Map<number, number>) => (id: number) => (back.get(id) ?? 0) > 0 && (back.get(id) ?? 0) >= (bought.get(id) ?? 0);
  const goneBefore = gone(totals(earlier));
  const goneAfter = gone(totals([...earlier, ...now]));
  const before = original.filter((id) => !goneBefore(id));
  const removed = before.filter(goneAfter);
  if (removed.length === 0) return null;
  // each pair once: a removed product with the rest of the basket as it was, but not with a removed one already done
  const rows = removed
    .map((product, k) => ({ product, with: before.filter((id) => id !== product && !removed.slice(0, k).includes(id)) }))
    .filter((r) => r.with.length > 0);
  return { sign: -1, basket: removed.length === before.length, products: removed, rows };
}

/**
 * Counts fade by halving: once a period of `periodMs` has passed since `periodStart`, every count is halved (rounded
 * down), once for each whole period. How many halvings are due for something that happened at `at` (0 when the
 * periods are off: `periodMs` ≤ 0, or when `at` is not later).
 */
export function halvingsDue(periodStart: number, at: number, periodMs: number): number {
  if (!(periodMs > 0) || !(at >= periodStart)) return 0;
  return Math.floor((at - periodStart) / periodMs);
}

/** A count halved `times` times, rounded down each time (the same as once by 2^times): 0 once it has faded away. */
export function halved(count: number, times: number): number {
  return Math.floor(count / 2 ** Math.max(0, times));
}

/** The default of the store setting `together_halve_days`: a season, so last year's habits weigh a sixteenth of this season's. */
export const DEFAULT_HALVE_DAYS = 90;

export type Thresholds = {
  /** A pair must have been bought together in at least this many baskets. */
  minBaskets: number;
};

export type Candidate = { productId: number; withB: number; together: number };

export type Rule = RuleFigures & { productId: number; together: number };

/**
 * The strongest rules from one product (A, in `withA` baskets of `baskets`) to others: pairs seen often enough and with
 * lift above 1 (B is likelier with A than without), best first — by confidence, then lift, then how often seen, then the
 * smaller product id, so the same counts always give the same order.
 */
export function strongestRules(
  counts: { baskets: number; withA: number },
  candidates: readonly Candidate[],
  thresholds: Thresholds,
  limit: number = RULES_PER_PRODUCT,
): Rule[] {
  const rules: Rule[] = [];
  for (const c of candidates) {
    if (c.together < Math.max(1, thresholds.minBaskets)) continue;
    const f = ruleFigures({ baskets: counts.baskets, withA: counts.withA, withB: c.withB, together: c.together });
    if (!(f.lift > 1)) continue;
    rules.push({ ...f, productId: c.productId, together: c.together });
  }
  rules.sort(compareRules);
  return rules.slice(0, Math.max(0, limit));
}

/** Best first: confidence, lift, baskets together, then the smaller product id. */
export function compareRules(a: Rule, b: Rule): number {
  return b.confidence - a.confidence || b.lift - a.lift || b.together - a.together || a.productId - b.productId;
}

export type Suggestable = { productId: number; active: boolean; inStock: boolean };

/**
 * The one product to suggest after a scan: the best rule whose product is on sale, on the shelf and not already in
 * the basket; none when no rule is left.
 */
export function pickSuggestion<T extends Suggestable>(ranked: readonly T[], inBasket: ReadonlySet<number>): T | null {
  return ranked.find((r) => r.active && r.inStock && !inBasket.has(r.productId)) ?? null;
}
