import type { ValidRecord } from '../../records.js';
import type { ExpectedRange } from './fieldStyle.js';

/**
 * The expected range of each metric family, for its panel's thresholds. A panel draws one set of
 * thresholds for all its series, so a family gets one only when every record of it that states an
 * expectation states the same bounds; `conflicting` names the families left without one.
 */
export function expectedRanges(records: readonly ValidRecord[]): { ranges: Map<string, ExpectedRange>; conflicting: string[] } {
  const ranges = new Map<string, ExpectedRange>();
  const conflicting = new Set<string>();
  for (const record of records) {
    if (record.expect === undefined || conflicting.has(record.name)) continue;
    const range: ExpectedRange = { min: record.expect.min, max: record.expect.max };
    const earlier = ranges.get(record.name);
    if (earlier === undefined) ranges.set(record.name, range);
    else if (earlier.min !== range.min || earlier.max !== range.max) {
      ranges.delete(record.name);
      conflicting.add(record.name);
    }
  }
  return { ranges, conflicting: [...conflicting] };
}
