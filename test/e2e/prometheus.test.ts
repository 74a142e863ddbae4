import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { runApp } from '../support/runApp.js';
import { startScrapedGateway, type ScrapedGateway } from '../support/scrapedGateway.js';

let servers: ScrapedGateway;
beforeAll(async () => {
  servers = await startScrapedGateway();
});
afterAll(() => servers?.stop());

const eventually = (promql: string) => servers.prometheus.eventually(promql);

describe('end to end: app → Pushgateway → Prometheus', () => {
  it('makes pushed values queryable with PromQL, job and grouping labels kept by honor_labels', async () => {
    const file = tempFile({
      labels: { model: 'churn' },
      metrics: [
        { name: 'model_accuracy_ratio', description: 'accuracy', value: 0.913, metric_type: 'gauge' },
        { name: 'rows_processed_total', description: 'rows', value: '1284000', metric_type: 'counter' },
        { name: 'batch_seconds', description: 'batches', value: [0.8, 1.1, 1.4], metric_type: 'histogram', buckets: [1, 2] },
      ],
    });
    const run = await runApp([file, 'training', '--gateway', servers.gateway.url, '--grouping', 'run=42']);
    expect(run.code, run.stderr).toBe(0);

    const accuracy = await eventually('model_accuracy_ratio{job="training",run="42",model="churn"}');
    expect(accuracy.map((sample) => sample.value[1])).toEqual(['0.913']);
    const rows = await eventually('rows_processed_total{job="training"}');
    expect(rows.map((sample) => sample.value[1])).toEqual(['1284000']);
    const fast = await eventually('batch_seconds_bucket{job="training",le="1"}');
    expect(fast.map((sample) => sample.value[1])).toEqual(['1']);
  });
});
