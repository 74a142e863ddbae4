import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestRankQuantiles } from '../../src/convert/quantiles.js';

/**
 * The definition, computed the slow way and in integers: φ = k/1000, and the φ-quantile is the smallest
 * observation x with at least φ·N observations ≤ x, i.e. count(≤ x) · 1000 ≥ k · N (the smallest for φ = 0).
 */
function bySearch(observations: number[], permille: number): number {
  const candidates = [...new Set(observations)].sort((a, b) => a - b);
  return candidates.find((x) => observations.filter((o) => o <= x).length * 1000 >= permille * observations.length)!;
}

const observations = fc.oneof(
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 60 }),
  // Few distinct values, many ties: where rank arithmetic goes wrong first.
  fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 200 }),
);
const permilles = fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { maxLength: 10 }).map((list) => list.sort((a, b) => a - b));

describe('nearestRankQuantiles', () => {
  it('returns, for any observations and any φ = k/1000, the smallest observation with at least φ·N observations at or below it', () => {
    fc.assert(
      fc.property(observations, permilles, (values, ks) => {
        // -0 and 0 are one value to Prometheus (both written 0), and a Set keeps only 0.
        const result = nearestRankQuantiles(values, ks.map((k) => k / 1000)).map((x) => (x === 0 ? 0 : x));
        expect(result).toEqual(ks.map((k) => bySearch(values, k)));
      }),
      { numRuns: 1000 },
    );
  });

  it('picks by the decimal written, where floating point would overshoot: 0.07 of 100 observations is the 7th', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(nearestRankQuantiles(hundred, [0, 0.07, 0.5, 0.99, 1])).toEqual([1, 7, 50, 99, 100]);
  });

  it('returns the observation itself for one observation, and nothing for no quantiles', () => {
    expect(nearestRankQuantiles([4.2], [0, 0.5, 1])).toEqual([4.2, 4.2, 4.2]);
    expect(nearestRankQuantiles([1, 2], [])).toEqual([]);
  });
});
