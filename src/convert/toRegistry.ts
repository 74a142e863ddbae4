import { Counter, Gauge, Histogram, Registry, Summary, type Metric } from 'prom-client';
import { DataError } from '../errors.js';
import type { ValidRecord } from '../records.js';
import { groupByName, seriesLabels } from './families.js';
import { DEFAULT_QUANTILES } from './quantiles.js';

/**
 * Builds a fresh prom-client Registry from validated records, one metric per family name.
 * Never touches prom-client's global registry, so two conversions in one process cannot mix.
 */
export function toRegistry(records: readonly ValidRecord[]): Registry {
  const registry = new Registry();
  // prom-client keys metrics by name in a plain object: "constructor" or "toString" would find Object.prototype's.
  Object.setPrototypeOf(Reflect.get(registry, '_metrics') as object, null);
  for (const family of groupByName(records)) {
    const metric = createMetric(family, registry);
    for (const record of family) fill(metric, record);
    assertNoSeriesMerged(metric, family);
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
 * already proved the series distinct; if prom-client holds fewer, refuse rather than push a lie.
 */
function assertNoSeriesMerged(metric: Metric, family: ValidRecord[]): void {
  const held = Object.keys((metric as unknown as { hashMap: object }).hashMap).length;
  if (held !== family.length) {
    throw new DataError(
      `the label values of "${family[0]!.name}" cannot be told apart by prom-client ` +
        `(${family.length} series became ${held}); avoid "," and ":" sequences that mimic other labels`,
    );
  }
}
