import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  basketAdded,
  basketPairs,
  basketProducts,
  type CountChange,
  halved,
  halvingsDue,
  itemsReturned,
  MAX_BASKET_PRODUCTS,
  pickSuggestion,
  type Rule,
  ruleFigures,
  strongestRules,
} from "./together.ts";

describe("rule figures", () => {
  test("given 100 baskets, 40 with milk, 25 with bread and 20 with both, milk → bread is worked out by hand", () => {
    const f = ruleFigures({ baskets: 100, withA: 40, withB: 25, together: 20 });
    expect(f.support).toBe(0.2); // 20 / 100
    expect(f.confidence).toBe(0.5); // 20 / 40
    expect(f.lift).toBe(2); // 0.5 / (25 / 100)
  });

  test("counts that cannot be give zeros, not a division by zero", () => {
    expect(ruleFigures({ baskets: 0, withA: 0, withB: 0, together: 0 })).toEqual({ support: 0, confidence: 0, lift: 0 });
    expect(ruleFigures({ baskets: 10, withA: 2, withB: 3, together: 4 })).toEqual({ support: 0, confidence: 0, lift: 0 });
  });

  test("property: support ≤ confidence ≤ 1, lift × share of B = confidence, and lift is the same both ways", () => {
    const counts = fc.record({ baskets: fc.integer({ min: 1, max: 1_000_000 }), a: fc.nat(), b: fc.nat(), t: fc.nat() }).map(({ baskets, a, b, t }) => {
      const withA = 1 + (a % baskets);
      const withB = 1 + (b % baskets);
      const together = 1 + (t % Math.min(withA, withB));
      return { baskets, withA, withB, together };
    });
    fc.assert(
      fc.property(counts, (c) => {
        const f = ruleFigures(c);
        const back = ruleFigures({ ...c, withA: c.withB, withB: c.withA });
        expect(f.support).toBeLessThanOrEqual(f.confidence + 1e-12);
        expect(f.confidence).toBeLessThanOrEqual(1);
        expect(f.lift * (c.withB / c.baskets)).toBeCloseTo(f.confidence, 9);
        expect(back.lift).toBeCloseTo(f.lift, 9);
        expect(back.support).toBe(f.support);
      }),
    );
  });
});

describe("basket pairs", () => {
  test("each pair of different products once, the smaller id first, whatever the order and repeats", () => {
    expect(basketPairs([3, 1, 3, 2])).toEqual([
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(basketPairs([7])).toEqual([]);
  });

  test("a basket of more than the limit of different products counts no pair", () => {
    const big = Array.from({ length: MAX_BASKET_PRODUCTS + 1 }, (_, i) => i + 1);
    expect(basketProducts(big)).toEqual([]);
    expect(basketPairs(big)).toEqual([]);
    expect(basketPairs(big.slice(1)).length).toBe((MAX_BASKET_PRODUCTS * (MAX_BASKET_PRODUCTS - 1)) / 2);
  });

  test("property: n distinct products give n(n−1)/2 pairs, each ordered and distinct", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 30 }), (ids) => {
        const n = new Set(ids).size;
        const pairs = basketPairs(ids);
        expect(pairs.length).toBe(n < 2 ? 0 : (n * (n - 1)) / 2);
        expect(new Set(pairs.map(([a, b]) => `${a}:${b}`)).size).toBe(pairs.length);
        for (const [a, b] of pairs) expect(a).toBeLessThan(b);
      }),
    );
  });
});

describe("strongest rules", () => {
  const counts = { baskets: 100, withA: 40 };

  test("given pairs below the minimum or with lift ≤ 1, only the good ones come back, best confidence first", () => {
    const rules = strongestRules(
      counts,
      [
        { productId: 2, withB: 25, together: 20 }, // confidence 0.5, lift 2
        { productId: 3, withB: 90, together: 36 }, // confidence 0.9, lift 1: everyone buys it anyway
        { productId: 4, withB: 10, together: 8 }, // confidence 0.2, lift 2
        { productId: 5, withB: 4, together: 4 }, // lift 2.5 but seen in only 4 baskets
        { productId: 6, withB: 20, together: 16 }, // confidence 0.4, lift 2
      ],
      { minBaskets: 5 },
    );
    expect(rules.map((r) => r.productId)).toEqual([2, 6, 4]);
    expect(rules[0]).toEqual({ productId: 2, together: 20, support: 0.2, confidence: 0.5, lift: 2 });
  });

  test("property: every rule kept passes the thresholds, the list is sorted and as long as the limit allows", () => {
    const candidate = fc.record({ productId: fc.integer({ min: 1, max: 1000 }), withB: fc.integer({ min: 1, max: 200 }), t: fc.nat() });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(candidate, { maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 8 }),
        (withA, raw, minBaskets, limit) => {
          const baskets = 200;
          const cs = raw.map((c) => ({ productId: c.productId, withB: c.withB, together: 1 + (c.t % Math.min(withA, c.withB)) }));
          const rules = strongestRules({ baskets, withA }, cs, { minBaskets }, limit);
          const passing = cs.filter((c) => c.together >= minBaskets && (c.together * baskets) / (withA * c.withB) > 1);
          expect(rules.length).toBe(Math.min(limit, passing.length));
          for (const r of rules) {
            expect(r.together).toBeGreaterThanOrEqual(minBaskets);
            expect(r.lift).toBeGreaterThan(1);
          }
          for (let i = 1; i < rules.length; i++) expect(rules[i - 1]!.confidence).toBeGreaterThanOrEqual(rules[i]!.confidence);
        },
      ),
    );
  });
});

describe("the suggestion after a scan", () => {
  const rule = (productId: number, active = true, inStock = true) => ({ ...({} as Rule), productId, active, inStock });

  test("the best rule whose product is on sale, on the shelf and not in the basket", () => {
    const ranked = [rule(2), rule(3, false), rule(4, true, false), rule(5), rule(6)];
    expect(pickSuggestion(ranked, new Set([1, 2]))?.productId).toBe(5);
    expect(pickSuggestion(ranked, new Set([1]))?.productId).toBe(2);
  });

  test("nothing when every rule's product is in the basket or cannot be sold", () => {
    expect(pickSuggestion([rule(2), rule(3, false)], new Set([2]))).toBeNull();
    expect(pickSuggestion([], new Set())).toBeNull();
  });
});

/** The pairs a change moves, "a:b" with the smaller id first, each once. */
const pairsOf = (c: CountChange | null): string[] =>
  (c?.rows ?? []).flatMap((r) => r.with.map((o) => `${Math.min(r.product, o)}:${Math.max(r.product, o)}`)).sort();
const qty = (productId: number, units: number) => ({ productId, qtyMilli: units * 1000 });

describe("a basket as a change to the counts", () => {
  test("given a sale of 3, 1, 3 and 2, its three products and three pairs go up, in rows by the first product", () => {
    expect(basketAdded([3, 1, 3, 2])).toEqual({
      sign: 1,
      basket: true,
      products: [1, 2, 3],
      rows: [
        { product: 1, with: [2, 3] },
        { product: 2, with: [3] },
      ],
    });
    expect(basketAdded([7])).toEqual({ sign: 1, basket: true, products: [7], rows: [] });
  });

  test("an empty sale or one too large to count changes nothing", () => {
    expect(basketAdded([])).toBeNull();
    expect(basketAdded(Array.from({ length: MAX_BASKET_PRODUCTS + 1 }, (_, i) => i + 1))).toBeNull();
  });

  test("property: the rows hold exactly the basket's pairs", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 30 }), (ids) => {
        expect(pairsOf(basketAdded(ids))).toEqual(
          basketPairs(ids)
            .map(([a, b]) => `${a}:${b}`)
            .sort(),
        );
      }),
    );
  });
});

describe("what a return takes out of its basket", () => {
  const sold = [qty(1, 1), qty(2, 3), qty(3, 1)];

  test("given milk, 3 bread and paper, when the paper comes back, the paper and its two pairs leave; the basket stays", () => {
    const c = itemsReturned(sold, [], [qty(3, 1)]);
    expect(c).toMatchObject({ sign: -1, basket: false, products: [3] });
    expect(pairsOf(c)).toEqual(["1:3", "2:3"]);
  });

  test("part of a product back leaves it in the basket: nothing changes until the last of it comes back", () => {
    expect(itemsReturned(sold, [], [qty(2, 2)])).toBeNull();
    const last = itemsReturned(sold, [qty(2, 2)], [qty(2, 1)]);
    expect(last?.products).toEqual([2]);
    expect(pairsOf(last)).toEqual(["1:2", "2:3"]);
  });

  test("what earlier returns took out is not taken out again; the last products back take the basket with them", () => {
    const c = itemsReturned(sold, [qty(3, 1)], [qty(1, 1), qty(2, 3)]);
    expect(c).toMatchObject({ sign: -1, basket: true, products: [1, 2] });
    expect(pairsOf(c)).toEqual(["1:2"]);
    expect(itemsReturned(sold, [qty(1, 1), qty(2, 3), qty(3, 1)], [qty(2, 0)])).toBeNull();
  });

  test("a basket never counted (too large) is not taken from", () => {
    const big = Array.from({ length: MAX_BASKET_PRODUCTS + 1 }, (_, i) => qty(i + 1, 1));
    expect(itemsReturned(big, [], [qty(1, 1)])).toBeNull();
  });

  test("property: returns in any pieces take out each pair of the basket once and the basket once, when all is back", () => {
    const sale = fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 12 }).chain((ids) =>
      fc.record({
        lines: fc.constant(ids.map((id, i) => qty(id, 1 + (i % 3)))),
        order: fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }),
        cuts: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: ids.length, maxLength: ids.length }),
      }),
    );
    fc.assert(
      fc.property(sale, ({ lines, order, cuts }) => {
        // every product back, in the order drawn, each in one or two pieces: the returns one after another
        const pieces = order.flatMap((id, i) => {
          const units = lines.find((l) => l.productId === id)!.qtyMilli / 1000;
          return cuts[i]! > 2 && units > 1 ? [qty(id, 1), qty(id, units - 1)] : [qty(id, units)];
        });
        const taken: string[] = [];
        let baskets = 0;
        let products = 0;
        pieces.forEach((piece, i) => {
          const c = itemsReturned(lines, pieces.slice(0, i), [piece]);
          taken.push(...pairsOf(c));
          if (c?.basket) baskets++;
          products += c?.products.length ?? 0;
        });
        expect(taken.sort()).toEqual(pairsOf(basketAdded(lines.map((l) => l.productId))));
        expect(baskets).toBe(1);
        expect(products).toBe(lines.length);
      }),
    );
  });
});

describe("counts fading by halving", () => {
  const day = 86_400_000;

  test("a halving for each whole period passed, none before the first, none when the periods are off", () => {
    expect(halvingsDue(0, 89 * day, 90 * day)).toBe(0);
    expect(halvingsDue(0, 90 * day, 90 * day)).toBe(1);
    expect(halvingsDue(0, 365 * day, 90 * day)).toBe(4);
    expect(halvingsDue(10 * day, 0, 90 * day)).toBe(0); // a clock set back
    expect(halvingsDue(0, 365 * day, 0)).toBe(0);
  });

  test("halving rounds down each time, and a count halved often enough is gone", () => {
    expect(halved(9, 1)).toBe(4);
    expect(halved(9, 2)).toBe(2);
    expect(halved(1, 1)).toBe(0);
    expect(halved(2 ** 40, 62)).toBe(0);
  });

  test("property: halving twice is halving by four, and keeps together ≤ either product ≤ all baskets", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 }), fc.integer({ min: 0, max: 30 }), (x, y, z, k) => {
        const [t, a, n] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        expect(halved(halved(n, k), 1)).toBe(halved(n, k + 1));
        expect(halved(t, k)).toBeLessThanOrEqual(halved(a, k));
        expect(halved(a, k)).toBeLessThanOrEqual(halved(n, k));
      }),
    );
  });
});
