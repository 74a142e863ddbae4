import type { SampleValue } from '../records.js';

/** A numeric string beyond float64's range ("1e400"): a number as JSON is read as ±Inf with a warning instead (see source/jsonText.ts). */
export const OUT_OF_RANGE = 'is not a finite number (too large for a float64?); write "+Inf" or "-Inf" as a string for infinity';

/** A numeric string whose digits are not all 0 that reads as 0 ("1e-400"); a JSON number so is a warning of the reader instead. */
export const UNDERFLOW = 'is too small for a float64: it would be read as 0; write 0 if that is meant';

/** Whether a numeric string reads as 0 although a digit of it is not 0. */
export function underflows(value: SampleValue): boolean {
  return typeof value === 'string' && Number(value) === 0 && /[1-9]/.test(value.replace(/[eE].*$/, ''));
}

/**
 * Parses a schema-valid sample value: a number as it is (NaN and the infinities included: Python's JSON
 * writes them bare), a boolean as 1 or 0 (as the Python Simplepipe pushed it), a numeric string by its
 * text. Returns `undefined` for a string beyond float64's range.
 */
export function parseSampleValue(value: SampleValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
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
