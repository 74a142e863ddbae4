import type { SampleValue } from '../records.js';

/** JSON.parse turns `1e400` into Infinity silently, so a non-finite JSON number means an overflow. */
export const OUT_OF_RANGE = 'is not a finite number (too large for a float64?); write "+Inf" or "-Inf" as a string for infinity';

/**
 * Parses a schema-valid sample value. Returns `undefined` for a number outside float64's range:
 * JSON.parse turns `1e400` into Infinity silently, and a file cannot write Infinity as a JSON number,
 * so a non-finite JSON number always means an overflow.
 */
export function parseSampleValue(value: SampleValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  switch (value) {
    case 'NaN':
      return Number.NaN;
    case 'Inf':
    case '+Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    default: {
      const parsed = Number(value);
      return Number.isFinite(parsed) ? parsed : undefined;
    }
  }
}
