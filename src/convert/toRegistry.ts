import { Counter, Gauge, Histogram, Registry, Summary, type Metric } from 'prom-client';
import { DataError } from '../errors.js';
import type { ValidRecord } from '../records.js';
import { groupByName, seriesLabels } from './families.js';
import { DEFAULT_QUANTILES } from './quantiles.js';

/**
 * Builds a fresh prom-client Registry from validated records, one metric per family name, for callers
 * who already work with prom-client; the CLI renders with renderExposition instead. Never touches
 * prom-client's global registry, so two conversions in one process cannot mix. Uses only prom-client's
 * public API, so a minor release cannot break it; reading the metrics back to prove none was merged
 * (below) is what makes it async.
 */
export async function toRegistry(records: readonly ValidRecord[]): Promise<Registry> {
  const registry = new Registry();
  for (const family of groupByName(records)) {
    const name = family[0]!.name;
    // prom-client finds metrics by name in a plain object: "constructor" or "toString" would find Object.prototype's.
    if (registry.getSingleMetric(name) !== undefined) {
      throw new DataError(`prom-client cannot hold a metric named "${name}" (the name of a JavaScript object property); renderExposition can`);
    }
    const metric = createMetric(family, registry);
    for (const record of family) fill(metric, record);
    await assertNoSeriesMerged(metric, family);
  }
  return registry;
}

function createMetric(family: ValidRecord[], registry: Registry): Metric {
  const first = family[0]!;
  const labelNames = [...new Set(family.flatMap((record) => Object.keys(seriesLabels(record))))];
  const config = { name: first.name, help: first.help, labelNames, registers: [registry] };
  switch (first.type) {
    case 'gauge':
    case 'info':
      return new Gauge(config);
    case 'counter':
      return new Counter(config);
    case 'summary':
      // prom-client estimates quantiles with a t-digest; renderExposition computes them exactly.
      return new Summary({ ...config, percentiles: [...(first.quantiles ?? DEFAULT_QUANTILES)] });
    case 'histogram':
      return new Histogram(first.buckets ? { ...config, buckets: first.buckets } : config);
  }
}

function fill(metric: Metric, record: ValidRecord): void {
  const labels = seriesLabels(record);
  switch (record.type) {
    case 'gauge':
      (metric as Gauge).set(labels, record.value);
      return;
    case 'counter':
      (metric as Counter).inc(labels, record.value);
      return;
    case 'info':
      (metric as Gauge).set(labels, 1);
      return;
    case 'summary':
      for (const value of record.observations) (metric as Summary).observe(labels, value);
      return;
    case 'histogram':
      for (const value of record.observations) (metric as Histogram).observe(labels, value);
      return;
  }
}

/**
 * prom-client keys a series by `name:value,` pairs without escaping, so two distinct label sets such as
 * {a="1,b:2"} and {a="1",b="2"} share a key and one silently replaces the other. The semantic checks
 * already proved the series distinct; if prom-client reports fewer, refuse rather than push a lie.
 * A summary or histogram reports one `_count` sample per series, a gauge or counter one sample.
 */
async function assertNoSeriesMerged(metric: Metric, family: ValidRecord[]): Promise<void> {
  const { name, values } = await metric.get();
  const { type } = family[0]!;
  const held =
    type === 'summary' || type === 'histogram'
      ? values.filter((value) => (value as { metricName?: string }).metricName === `${name}_count`).length
      : values.length;
  if (held !== family.length) {
    throw new DataError(
      `the label values of "${name}" cannot be told apart by prom-client ` +
        `(${family.length} series became ${held}); avoid "," and ":" sequences that mimic other labels`,
    );
  }
}
