import { expandEach } from '../../convert/series.js';
import type { ValidRecord } from '../../records.js';

/** One sample: a series (name and labels) and its value, as text format 0.0.4 would write it. */
export interface Sample {
  /** `name{label="value",...}` with labels sorted, empty values dropped, `le`/`quantile` normalised. */
  series: string;
  value: number;
}

/**
 * The samples of validated records grouped into families (groupByName), as a scrape of their exposition
 * yields them: expandRecords' own expansion, which both sinks send, so --verify compares the gateway's
 * samples with what the records are, not with text parsed back.
 */
export function samplesOfFamilies(families: readonly (readonly ValidRecord[])[]): Sample[] {
  const samples: Sample[] = [];
  const steps = expandEach(families, {
    family: () => {},
    sample: (name, labels, value) => void samples.push({ series: seriesKey(name, labels), value }),
  });
  while (!steps.next().done);
  return samples;
}

/** A metric family of a group as the Pushgateway's /api/v1/metrics reports it. */
interface ApiFamily {
  type: string;
  metrics: {
    labels: Record<string, string>;
    value?: string;
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }[];
}

/**
 * The samples of one group from /api/v1/metrics, named as the exposition names them (`_bucket`, `_sum`,
 * `_count`), without the grouping-key labels the gateway adds to every series.
 */
export function samplesFromApiGroup(group: Record<string, unknown>, groupingLabels: Record<string, string>): Sample[] {
  const samples: Sample[] = [];
  for (const [name, family] of Object.entries(group)) {
    if (!isFamily(family)) continue;
    for (const metric of family.metrics) {
      const labels = Object.fromEntries(Object.entries(metric.labels).filter(([label]) => !Object.hasOwn(groupingLabels, label)));
      const add = (sampleName: string, value: string | undefined, extra: Record<string, string> = {}): void => {
        if (value !== undefined) samples.push({ series: seriesKey(sampleName, { ...labels, ...extra }), value: parseSampleNumber(value) });
      };
      add(name, metric.value);
      for (const [le, count] of Object.entries(metric.buckets ?? {})) add(`${name}_bucket`, count, { le });
      for (const [quantile, value] of Object.entries(metric.quantiles ?? {})) add(name, value, { quantile });
      add(`${name}_sum`, metric.sum);
      add(`${name}_count`, metric.count);
    }
  }
  return samples;
}

/** Prometheus's spellings of the special floats, as both prom-client and the gateway write them. */
export function parseSampleNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  return Number(text);
}

export function sameSampleValue(a: number, b: number): boolean {
  return Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function isFamily(value: unknown): value is ApiFamily {
  return typeof value === 'object' && value !== null && Array.isArray((value as ApiFamily).metrics);
}

/** A series as one comparable string: `le` and `quantile` read as numbers, labels sorted, empty ones dropped. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const normalised = Object.fromEntries(
    Object.entries(labels).map(([label, value]) => [label, label === 'le' || label === 'quantile' ? String(parseSampleNumber(value)) : value]),
  );
  return `${name}${JSON.stringify(sortedNonEmpty(normalised))}`;
}

/** Label pairs sorted by name, empty values dropped: the gateway, like Prometheus, treats an empty label as absent. */
export function sortedNonEmpty(labels: Record<string, string>): [string, string][] {
  return Object.entries(labels)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
