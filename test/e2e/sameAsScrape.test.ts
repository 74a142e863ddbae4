import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { startPrometheus, type InstantSample, type Prometheus } from '../support/prometheus.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';

let gateway: Pushgateway;
let prometheus: Prometheus;
beforeAll(async () => {
  gateway = await startPushgateway();
  // One Prometheus both scrapes the gateway (honor_labels, as the ServiceMonitor does) and receives remote write.
  prometheus = await startPrometheus({ targets: [`127.0.0.1:${gateway.port}`], remoteWriteReceiver: true });
});
afterAll(async () => {
  await prometheus?.stop();
  await gateway?.stop();
});

/** Series → value, without the label that tells the two sinks apart. */
function stored(samples: InstantSample[]): Record<string, string> {
  return Object.fromEntries(
    samples.map(({ metric, value }) => {
      const labels = Object.entries(metric).filter(([name]) => name !== 'sink');
      return [JSON.stringify(labels.sort()), value[1]];
    }),
  );
}

describe('end to end: a remote write stores what a scrape of the same push stores', () => {
  it.each(readdirSync(new URL('../../examples/', import.meta.url)).filter((name) => /\.jsonl?$/.test(name)))(
    'for examples/%s: the same series, labels and values',
    async (name) => {
      // Under its own name: the name tells a JSON Lines file apart.
      const file = tempFile(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'), name);
      const job = `example_${name.replace(/\W/g, '_')}`;
      const { remote, scraped } = await bothWays(file, job);
      expect(Object.keys(remote).length).toBeGreaterThan(0);
      expect(scraped).toEqual(remote);
    },
  );

  it('for every metric type: the same series, labels and values, in one Prometheus', async () => {
    const file = tempFile({
      labels: { model: 'churn' },
      metrics: [
        { name: 'acc_ratio', description: 'accuracy', value: 0.913, metric_type: 'gauge', labels: { split: 'Zürich "q" \\', Upper: 'x', empty: '' } },
        { name: 'acc_ratio', description: 'accuracy', value: 'NaN', metric_type: 'gauge', labels: { split: 'nan' } },
        { name: 'acc_ratio', description: 'accuracy', value: '-Inf', metric_type: 'gauge', labels: { split: 'minus_inf' } },
        { name: 'rows_total', description: 'rows', value: '1284000', metric_type: 'counter' },
        { name: 'latency_seconds', description: 'latency', value: [0.2, 0.4, 0.4, 1.5, 3], metric_type: 'summary', labels: { path: '/a' } },
        { name: 'batch_seconds', description: 'batches', value: [0.8, 1.1, 0.95, 1.4], metric_type: 'histogram', buckets: [0.5, 1, 2] },
        { name: 'wait_seconds', description: 'default buckets', value: [0.003, 0.07, 7, 70], metric_type: 'histogram' },
        { name: 'model_build', description: 'facts', value: { version: '1.4.2', framework: 'xgboost' }, metric_type: 'info' },
      ],
    });
    const { remote, scraped } = await bothWays(file, 'same');
    expect(Object.keys(remote).length).toBe(3 + 1 + (7 + 2) + (4 + 2) + (12 + 2) + 1);
    expect(scraped).toEqual(remote);
  });
});

/** Pushes `file` to the gateway (scraped) and writes it by remote write, as `job`; returns what each stored. */
async function bothWays(file: string, job: string): Promise<{ remote: Record<string, string>; scraped: Record<string, string> }> {
  const pushed = await runApp([file, job, '--gateway', gateway.url, '--grouping', 'sink=pushgateway']);
  expect(pushed.code, pushed.stderr).toBe(0);
  const at = Math.floor(Date.now() / 1000) - 1;
  const written = await runApp([file, job, '--remote-write', `${prometheus.url}/api/v1/write`, '--grouping', 'sink=remote_write', '--timestamp', String(at)]);
  expect(written.code, written.stderr).toBe(0);

  const remote = stored(await prometheus.query(`{job="${job}",sink="remote_write"}`, { time: at }));
  // The gateway's own push_time_seconds and push_failure_time_seconds are no pushed series; the gauges a push
  // stores about its group (simplepipe_group_*, from the file's "expect") belong to the group, which remote write has not.
  const scrapedQuery = `{job="${job}",sink="pushgateway",__name__!~"push_time_seconds|push_failure_time_seconds|simplepipe_group_.*"}`;
  const scraped = stored(await prometheus.eventually(scrapedQuery, { until: (result) => result.length >= Object.keys(remote).length }));
  return { remote, scraped };
}
