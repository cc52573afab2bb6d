// Property tests of the robust z-score: it measures how far a cashier stands from the store's usual, whatever the units,
// the level, or one extreme cashier among them.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { MIN_PEERS, median, OUTLIER_Z, ratePer100, robustScores, robustZ, spreadOf } from "./robust.ts";

// rates per 100 sales as a store has them: 0 to a few hundred, often whole numbers, often equal
const rate = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.double({ min: 0, max: 300, noNaN: true }));
const rates = fc.array(rate, { minLength: MIN_PEERS, maxLength: 40 });
const floor = 1;
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

describe("robust z-score", () => {
  test("moving every rate by the same amount changes no score", () => {
    fc.assert(
      fc.property(rates, fc.integer({ min: -100, max: 100 }), (xs, shift) => {
        const a = robustScores(xs, floor);
        const b = robustScores(
          xs.map((x) => x + shift),
          floor,
        );
        return a.every((z, i) => close(z!, b[i]!));
      }),
    );
  });

  test("counting per 1,000 sales instead of per 100 (any scale) changes no score", () => {
    fc.assert(
      fc.property(rates, fc.double({ min: 0.01, max: 1000, noNaN: true }), (xs, k) => {
        // the floor is in the rate's units: it scales with them
        const a = robustScores(xs, floor);
        const b = robustScores(
          xs.map((x) => x * k),
          floor * k,
        );
        return a.every((z, i) => close(z!, b[i]!));
      }),
    );
  });

  test("above the store's median is positive, below negative, at it zero", () => {
    fc.assert(
      fc.property(rates, (xs) => {
        const m = median(xs);
        return robustScores(xs, floor).every((z, i) => Math.sign(z!) === Math.sign(xs[i]! - m) || (z === 0 && xs[i] === m));
      }),
    );
  });

  test("the more a cashier does, the higher their score against the same store", () => {
    fc.assert(
      fc.property(rates, rate, rate, (xs, a, b) => {
        const s = spreadOf(xs);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return robustZ(lo, s, floor) <= robustZ(hi, s, floor);
      }),
    );
  });

  test("scores are always finite, also when the MAD is 0 (most cashiers alike): the floor stands in for it", () => {
    fc.assert(fc.property(rates, (xs) => robustScores(xs, floor).every((z) => Number.isFinite(z!))));
  });

  test("MAD 0: one cashier more than 3.5 floors above alike colleagues is flagged, a smaller difference is not", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_PEERS - 1, max: 40 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (n, usual, extra) => {
          const xs = [...Array.from({ length: n }, () => usual), usual + extra];
          const z = robustScores(xs, floor);
          return z.at(-1)! > OUTLIER_Z === extra > OUTLIER_Z * floor && z.slice(0, -1).every((v) => v === 0);
        },
      ),
    );
  });

  test("one extreme cashier cannot hide: pushing them further moves the others' scores by little and theirs up", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 6, maxLength: 30 }), fc.integer({ min: 100, max: 10_000 }), (xs, far) => {
        const a = robustScores([...xs, far], floor);
        const b = robustScores([...xs, far * 10], floor);
        // the median and the MAD do not follow the extreme one: the others' scores stay as they were
        return a.slice(0, -1).every((z, i) => close(z!, b[i]!)) && b.at(-1)! >= a.at(-1)!;
      }),
    );
  });

  test("everyone the same: every score is 0, nobody flagged", () => {
    fc.assert(fc.property(rate, fc.integer({ min: MIN_PEERS, max: 30 }), (x, n) => robustScores(Array(n).fill(x), floor).every((z) => z === 0)));
  });

  test("a floor of 0 or less is a mistake", () => {
    expect(() => robustZ(1, { median: 0, mad: 0 }, 0)).toThrow(RangeError);
  });

  test("fewer cashiers than MIN_PEERS: nobody is compared", () => {
    expect(robustScores([1, 50], floor)).toEqual([null, null]);
    expect(robustScores([], floor)).toEqual([]);
  });

  test("given the store 2, 3, 3, 4 and 40 voids per 100 sales, the 40 stands out and the others do not", () => {
    const z = robustScores([2, 3, 3, 4, 40], 0.5);
    // median 3, MAD 1 (over the floor of 0.5): 0.6745 × 37 / 1
    expect(z[4]).toBeCloseTo(24.9565, 3);
    expect(z.slice(0, 4).every((v) => Math.abs(v!) < OUTLIER_Z)).toBe(true);
  });
});

describe("rate per 100 sales", () => {
  test("events per 100 sales; none with no sales; a negative count is a mistake", () => {
    expect(ratePer100(3, 60)).toBe(5);
    expect(ratePer100(0, 10)).toBe(0);
    expect(ratePer100(2, 0)).toBeNull();
    expect(() => ratePer100(-1, 10)).toThrow(RangeError);
  });
});
