import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { basketPairs, basketProducts, MAX_BASKET_PRODUCTS, pickSuggestion, type Rule, ruleFigures, strongestRules } from "./together.ts";

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
