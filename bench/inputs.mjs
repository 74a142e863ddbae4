import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the metric files the benchmark pushes, in Simplepipe's plain-array form. */
export function writeInputs(dir) {
  const write = (name, records) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(records));
    return file;
  };
  const distinct = (count) =>
    Array.from({ length: count }, (_, i) => ({
      name: `pipeline_step_${i}_seconds`,
      description: `run time of pipeline step ${i}`,
      value: (i * 0.37) % 1000,
      metric_type: 'gauge',
    }));
  // A feature-drift job's shape: one family, series told apart by feature and data slice.
  const oneFamily = Array.from({ length: 100_000 }, (_, i) => ({
    name: 'feature_drift_score',
    description: 'population stability index of a feature on a data slice',
    value: ((i * 7919) % 10_000) / 10_000,
    metric_type: 'gauge',
    labels: { feature: `feature_${i % 1000}`, slice: `slice_${Math.floor(i / 1000)}` },
  }));
  return {
    tenRecords: write(
      'ten.json',
      Array.from({ length: 10 }, (_, i) => ({ name: `simple_${i}`, description: 'generated random integer', value: String(i), metric_type: 'gauge' })),
    ),
    distinct: { 1_000: write('distinct-1k.json', distinct(1_000)), 10_000: write('distinct-10k.json', distinct(10_000)), 100_000: write('distinct-100k.json', distinct(100_000)) },
    oneFamily: write('one-family.json', oneFamily),
  };
}
