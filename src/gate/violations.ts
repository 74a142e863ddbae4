import type { ExpectationViolation } from '../errors.js';
import { percent } from '../generate/historyAlerts.js';
import type { ValidRecord } from '../records.js';

/** A record's baseline as Prometheus gave it: the median of its runs over the expectation's window. */
export type Baselines = ReadonlyMap<ValidRecord, number>;

/**
 * The values outside their record's `expect`, as the generated rules judge them: a bound is inclusive,
 * NaN breaks every bound, and a history bound applies only where there is a baseline (none: no run yet).
 */
export function expectationViolations(records: readonly ValidRecord[], baselines: Baselines = new Map()): ExpectationViolation[] {
  return records.flatMap((record) => {
    if (record.type !== 'gauge' && record.type !== 'counter') return [];
    const expect = record.expect;
    if (expect === undefined) return [];
    const value = record.value;
    const broken: string[] = [];
    if (expect.min !== undefined && !(value >= expect.min)) broken.push(`expected at least ${expect.min} (min)`);
    if (expect.max !== undefined && !(value <= expect.max)) broken.push(`expected at most ${expect.max} (max)`);
    const baseline = baselines.get(record);
    if (expect.history !== undefined && baseline !== undefined) {
      const { maxDrop, maxRise, window } = expect.history;
      const change = (100 * (value - baseline)) / Math.abs(baseline);
      const against = `${Number.isNaN(change) ? 'NaN' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}`}% against its baseline ${baseline} (the median of its runs in the ${window} before)`;
      if (maxDrop !== undefined && !(value >= baseline - maxDrop * Math.abs(baseline))) {
        broken.push(`${against}, expected at most ${percent(maxDrop)}% below (history.maxDrop)`);
      }
      if (maxRise !== undefined && !(value <= baseline + maxRise * Math.abs(baseline))) {
        broken.push(`${against}, expected at most ${percent(maxRise)}% above (history.maxRise)`);
      }
    }
    return broken.map((bound) => ({ metric: record.name, labels: record.labels, value, bound }));
  });
}
