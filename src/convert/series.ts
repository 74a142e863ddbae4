import type { Labels, ValidRecord } from '../records.js';
import { groupByName, seriesLabels } from './families.js';
import { toRegistry } from './toRegistry.js';

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
 * info record one sample; a summary its quantiles, `_sum` and `_count`; a histogram its cumulative
 * buckets up to `+Inf`, `_sum` and `_count`. Quantiles and buckets are prom-client's, read through its
 * public `get()`; gauges, counters and info are visited directly, with no object per sample.
 */
export async function expandRecords(records: readonly ValidRecord[], visitor: SampleVisitor): Promise<void> {
  for (const family of groupByName(records)) {
    const first = family[0]!;
    if (first.type === 'summary' || first.type === 'histogram') {
      await expandObserved(family, visitor);
      continue;
    }
    visitor.family(first.name, first.type === 'counter' ? 'counter' : 'gauge', first.help);
    for (const record of family) visitor.sample(record.name, seriesLabels(record), record.type === 'info' ? 1 : (record as { value: number }).value);
  }
}

async function expandObserved(family: readonly ValidRecord[], visitor: SampleVisitor): Promise<void> {
  const first = family[0]!;
  // prom-client refuses an empty HELP, which the schema allows; only its numbers are read here, the HELP is the record's.
  const computable = first.help === '' ? family.map((record) => ({ ...record, help: '-' })) : family;
  const metric = toRegistry(computable).getSingleMetric(first.name)!;
  const { values } = await metric.get();
  visitor.family(first.name, first.type as FamilyType, first.help);
  for (const value of values) {
    const { labels, sharedLabels } = value as { labels: Record<string, string | number>; sharedLabels?: Record<string, string | number> };
    // prom-client writes a value's own labels (`le`, `quantile`) before the series' shared ones.
    const all: Labels = {};
    for (const [name, label] of Object.entries(labels)) if (!sharedLabels || !Object.hasOwn(sharedLabels, name)) all[name] = String(label);
    for (const [name, label] of Object.entries(sharedLabels ?? {})) all[name] = String(label);
    visitor.sample((value as { metricName?: string }).metricName ?? first.name, all, value.value);
  }
}
