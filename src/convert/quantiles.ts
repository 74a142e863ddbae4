/** The φ-quantiles a summary exposes when its record names none: prom-client's list, kept so existing series keep their names. */
export const DEFAULT_QUANTILES: readonly number[] = [0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999];

/**
 * Exact φ-quantiles of a push's observations by nearest rank: the observation that ranks at ⌈φ·N⌉ in
 * ascending order (the smallest for φ = 0). That is Prometheus's own definition ("the observation value
 * that ranks at number φ*N among the N observations"), always a value that was observed, and what
 * client_golang's summaries approximate. Returns one value per φ, in the order given.
 */
export function nearestRankQuantiles(observations: readonly number[], quantiles: readonly number[]): number[] {
  if (quantiles.length === 0) return [];
  const sorted = Float64Array.from(observations).sort();
  return quantiles.map((phi) => sorted[Math.max(1, rankCeiling(phi, sorted.length)) - 1]!);
}

/**
 * ⌈φ·n⌉ computed exactly on φ's shortest decimal spelling, the one a file writes: in floating point,
 * 0.07 × 100 is 7.000000000000001, whose ceiling would pick the 8th observation instead of the 7th.
 */
function rankCeiling(phi: number, n: number): number {
  const [mantissa = '0', exponent = '0'] = String(phi).split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  const numerator = BigInt(whole + fraction) * BigInt(n);
  const scale = fraction.length - Number(exponent);
  if (scale <= 0) return Number(numerator * 10n ** BigInt(-scale));
  const denominator = 10n ** BigInt(scale);
  return Number((numerator + denominator - 1n) / denominator);
}
