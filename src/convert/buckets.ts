/** A histogram's bucket upper bounds when its record names none: prom-client's defaults, so existing series keep their `le` labels. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Cumulative bucket counts: for each upper bound (strictly increasing), how many observations are at or
 * below it, as Prometheus's `le` means; the implicit `+Inf` bucket is the number of observations.
 */
export function cumulativeBucketCounts(observations: readonly number[], bounds: readonly number[]): number[] {
  const counts = new Array<number>(bounds.length).fill(0);
  for (const value of observations) {
    // The first bound at or above the value, by bisection: the bucket that counts it first.
    let low = 0;
    let high = bounds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (bounds[middle]! >= value) high = middle;
      else low = middle + 1;
    }
    if (low < bounds.length) counts[low]!++;
  }
  for (let i = 1; i < counts.length; i++) counts[i]! += counts[i - 1]!;
  return counts;
}
