import { DataError } from '../errors.js';
import type { Labels, ValidRecord } from '../records.js';
import { cumulativeBucketCounts, DEFAULT_BUCKETS } from './buckets.js';
import { groupByName, seriesLabels } from './families.js';
import { DEFAULT_QUANTILES, nearestRankQuantiles } from './quantiles.js';

/** A family's TYPE as the exposition declares it: an info family is a gauge there. */
export type FamilyType = 'gauge' | 'counter' | 'summary' | 'histogram';

/**
 * Receives validated records as the samples a scrape of their exposition yields: each family's metadata,
 * then its samples (`x`, `x_bucket{le}`, `x_sum`, `x_count`, `x{quantile}`), in file order.
 */
export interface SampleVisitor {
  family(name: string, type: FamilyType, help: string): void;
  /** `labels` are in exposition order (`le` or `quantile` first, as prom-client writes them); empty values are kept. */
  sample(name: string, labels: Labels, value: number): void;
}

/**
 * Expands validated records into their samples. The one place that decides what a record becomes, so the
 * exposition text (Pushgateway) and the remote-write series carry the same samples: a gauge, counter or
 * info record one sample; a summary its exact quantiles (nearest rank over the push's observations),
 * `_sum` and `_count`; a histogram its cumulative buckets up to `+Inf`, `_sum` and `_count`. Label values
 * of `le` and `quantile` are spelled as the exposition spells numbers (`formatValue`).
 */
export function expandRecords(records: readonly ValidRecord[], visitor: SampleVisitor): void {
  const steps = expandEach(groupByName(records), visitor);
  while (!steps.next().done);
}

/**
 * expandRecords() over records already grouped into families (groupByName), pausing after each record:
 * a caller can send what was written so far before the next record is expanded.
 */
export function* expandEach(families: readonly (readonly ValidRecord[])[], visitor: SampleVisitor): Generator<void, void, undefined> {
  for (const family of families) {
    const first = family[0]!;
    visitor.family(first.name, first.type === 'info' ? 'gauge' : first.type, first.help);
    for (const record of family) {
      expandRecord(record, visitor);
      yield;
    }
  }
}

/** How many samples expandRecords() yields: the series Prometheus counts, without expanding a record. */
export function countRecordSeries(records: readonly ValidRecord[]): number {
  let series = 0;
  for (const record of records) series += seriesOfRecord(record);
  return series;
}

function seriesOfRecord(record: ValidRecord): number {
  switch (record.type) {
    case 'summary':
      return (record.quantiles ?? DEFAULT_QUANTILES).length + 2;
    case 'histogram':
      return (record.buckets ?? DEFAULT_BUCKETS).length + 3;
    default:
      return 1;
  }
}

function expandRecord(record: ValidRecord, visitor: SampleVisitor): void {
  const { name } = record;
  // validate() refuses these; records built by hand reach here too, and `{ le, ...labels }` would let theirs win.
  if ((record.type === 'histogram' && Object.hasOwn(record.labels, 'le')) || (record.type === 'summary' && Object.hasOwn(record.labels, 'quantile'))) {
    const label = record.type === 'histogram' ? 'le' : 'quantile';
    throw new DataError(`the ${record.type} "${name}" has a label "${label}", which its own samples carry: every series would have the same "${label}"`);
  }
  switch (record.type) {
    case 'gauge':
    case 'counter':
      visitor.sample(name, record.labels, record.value);
      return;
    case 'info':
      visitor.sample(name, seriesLabels(record), 1);
      return;
    case 'summary': {
      const quantiles = record.quantiles ?? DEFAULT_QUANTILES;
      const values = nearestRankQuantiles(record.observations, quantiles);
      quantiles.forEach((phi, i) => visitor.sample(name, { quantile: formatValue(phi), ...record.labels }, values[i]!));
      sumAndCount(name, record.labels, record.observations, visitor);
      return;
    }
    case 'histogram': {
      const bounds = record.buckets ?? DEFAULT_BUCKETS;
      const counts = cumulativeBucketCounts(record.observations, bounds);
      bounds.forEach((bound, i) => visitor.sample(`${name}_bucket`, { le: formatValue(bound), ...record.labels }, counts[i]!));
      visitor.sample(`${name}_bucket`, { le: '+Inf', ...record.labels }, record.observations.length);
      sumAndCount(name, record.labels, record.observations, visitor);
      return;
    }
  }
}

function sumAndCount(name: string, labels: Labels, observations: readonly number[], visitor: SampleVisitor): void {
  visitor.sample(`${name}_sum`, labels, observationSum(observations));
  visitor.sample(`${name}_count`, labels, observations.length);
}

/** The `_sum` of a summary or histogram: added in the order observed, as a client library's observe() does. */
export function observationSum(observations: readonly number[]): number {
  let sum = 0;
  for (const value of observations) sum += value;
  return sum;
}

/** A sample value as text format 0.0.4 spells it: Go's float syntax, and `NaN`, `+Inf`, `-Inf` exactly. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return `${value}`;
}
