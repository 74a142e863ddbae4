import { describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../../support/files.js';
import { runMain } from '../../support/runMain.js';
import { byLabels, seriesKey, STORE_NAMES, useWriteStores } from '../../support/stores.js';
import { startVictoriaMetrics } from '../../support/victoriaMetrics.js';

/**
 * The remote-write sink against two real stores, Prometheus 2.42 and VictoriaMetrics 1.79 (Debian's):
 * the same files read back, the refusals of issue 20's table with nothing written, the faults, and what
 * each store does with a repeated or conflicting write (docs/remote-write.md, "What each store keeps").
 */
const { storeNamed } = useWriteStores();
const nowSeconds = () => Math.floor(Date.now() / 1000) - 1;
const series = seriesKey;
const posts = (requests: { method: string }[]) => requests.filter((r) => r.method === 'POST').length;

const HISTOGRAM_AND_SUMMARY = [
  { name: 'batch_seconds', description: 'Time per batch', value: [0.8, 1.1, 0.95, 1.4], metric_type: 'histogram', buckets: [0.5, 1, 2] },
  { name: 'latency_seconds', description: 'Latency', value: [1, 2, 3, 4], metric_type: 'summary', quantiles: [0.5, 0.9] },
];

describe.each(STORE_NAMES)('remote write into a real %s', (name) => {
  const store = () => storeNamed(name);

  it('stores every type exactly: values, labels, Unicode, ±Inf, -0 as 0; NaN as the store documents it', async () => {
    const at = nowSeconds();
    const file = tempFile({
      labels: { model: 'churn' },
      metrics: [
        ...HISTOGRAM_AND_SUMMARY,
        { name: 'odd_values', description: 'd', value: 'NaN', metric_type: 'gauge', labels: { k: 'nan' } },
        { name: 'odd_values', description: 'd', value: '+Inf', metric_type: 'gauge', labels: { k: 'inf' } },
        { name: 'odd_values', description: 'd', value: -0.5, metric_type: 'gauge', labels: { k: 'Zürich 東京 "q" \\', empty: '' } },
        { name: 'rows_total', description: 'd', value: 1284000, metric_type: 'counter' },
        { name: 'signed_zero', description: 'd', value: '-0', metric_type: 'gauge' },
        { name: 'model_build', description: 'd', value: { version: '1.4.2' }, metric_type: 'info' },
      ],
    });
    const run = await runMain([file, 'types', '--remote-write', store().writeUrl, '--grouping', 'run=42', '--timestamp', String(at)]);
    expect(run.code, run.stderr).toBe(0);
    const common = { job: 'types', run: '42', model: 'churn' };
    const expected: Record<string, string> = {
      [series({ __name__: 'batch_seconds_bucket', le: '0.5', ...common })]: '0',
      [series({ __name__: 'batch_seconds_bucket', le: '1', ...common })]: '2',
      [series({ __name__: 'batch_seconds_bucket', le: '2', ...common })]: '4',
      [series({ __name__: 'batch_seconds_bucket', le: '+Inf', ...common })]: '4',
      [series({ __name__: 'batch_seconds_sum', ...common })]: '4.25',
      [series({ __name__: 'batch_seconds_count', ...common })]: '4',
      [series({ __name__: 'latency_seconds', quantile: '0.5', ...common })]: '2',
      [series({ __name__: 'latency_seconds', quantile: '0.9', ...common })]: '4',
      [series({ __name__: 'latency_seconds_sum', ...common })]: '10',
      [series({ __name__: 'latency_seconds_count', ...common })]: '4',
      [series({ __name__: 'odd_values', k: 'inf', ...common })]: '+Inf',
      [series({ __name__: 'odd_values', k: 'Zürich 東京 "q" \\', ...common })]: '-0.5',
      [series({ __name__: 'rows_total', ...common })]: '1284000',
      // Sent as the dry run prints it: 0, not a -0 the store would keep, sign and all.
      [series({ __name__: 'signed_zero', ...common })]: '0',
      [series({ __name__: 'model_build_info', version: '1.4.2', ...common })]: '1',
    };
    // Prometheus stores a NaN sample; VictoriaMetrics skips NaN on ingestion (all but Prometheus's staleness marker).
    if (name === 'Prometheus') expected[series({ __name__: 'odd_values', k: 'nan', ...common })] = 'NaN';
    expect(byLabels(await store().query('{job="types"}', at))).toEqual(expected);
  });

  it.each<[string, number, string[], object, RegExp]>([
    ['--label le on a histogram', 65, ['--label', 'le=5'], HISTOGRAM_AND_SUMMARY, /--label le: "le" is reserved for histogram samples/],
    ['the file’s labels with le', 65, [], { labels: { le: '5' }, metrics: HISTOGRAM_AND_SUMMARY }, /\/labels\/le: "le" is reserved for histogram samples/],
    ['--grouping le', 65, ['--grouping', 'le=5'], HISTOGRAM_AND_SUMMARY, /--grouping le: "le" is reserved for histogram samples/],
    ['--grouping quantile on a summary', 65, ['--grouping', 'quantile=0.5'], HISTOGRAM_AND_SUMMARY, /--grouping quantile: "quantile" is reserved for summary samples/],
    ['--label quantile on a summary', 65, ['--label', 'quantile=0.5'], HISTOGRAM_AND_SUMMARY, /--label quantile: "quantile" is reserved for summary samples/],
    ['--timestamp in milliseconds', 64, ['--timestamp', String(Date.now())], SIMPLEPIPE_EXAMPLE, /looks like Unix milliseconds, read as seconds/],
    ['--timestamp a day ahead', 64, ['--timestamp', String(Math.floor(Date.now() / 1000) + 86_400)], SIMPLEPIPE_EXAMPLE, /24 hours ahead/],
  ])('refuses %s: exit %i, one clear message, nothing written', async (what, code, flags, file, message) => {
    const via = await store().proxy();
    const job = `refused_${what.replace(/\W+/g, '_')}`;
    const run = await runMain([tempFile(file), job, '--remote-write', via.writeUrl, ...flags]);
    expect(run.code, run.stderr).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(via.requests).toHaveLength(0);
    expect(await store().query(`{job="${job}"}`, nowSeconds())).toEqual([]);
  });

  it('retries a 503 twice and stores the samples once', async () => {
    const at = nowSeconds();
    const via = await store().proxy({ fault: { kind: 'status', status: 503 }, times: 2 });
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'retried', '--remote-write', via.writeUrl, '--timestamp', String(at)]);
    expect(run.code, run.stderr).toBe(0);
    expect(posts(via.requests)).toBe(3);
    expect(await store().storedValues('simple{job="retried"}', at)).toEqual(['6']);
  });

  it('leaves whole families when a later request fails for good, and names them', async () => {
    const at = nowSeconds();
    const file = [{ name: 'first_gauge', description: 'd', value: 1, metric_type: 'gauge' }, ...HISTOGRAM_AND_SUMMARY];
    // Three samples a request: [first_gauge], [the histogram's 6], [the summary's 4]; the second fails.
    const via = await store().proxy({ fault: { kind: 'status', status: 503 }, after: 1 });
    const run = await runMain([tempFile(file), 'halfway', '--remote-write', via.writeUrl, '--max-samples-per-request', '3', '--timestamp', String(at), '--deadline', '2s', '--timeout', '1s']);
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/wrote 1 of 3 requests \(1 of 11 series: the family first_gauge, each whole; none of the others\)/);
    const stored = await store().query('{job="halfway"}', at);
    expect(stored.map((s) => s.metric.__name__)).toEqual(['first_gauge']);
  });

  it('78 for a path where no receiver listens (Prometheus answers 404, VictoriaMetrics 400 "unsupported path")', async () => {
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'lost', '--remote-write', `${store().url}/api/v1/nowhere`]);
    expect(run.code, run.stderr).toBe(78);
    expect(run.stderr).toMatch(/no remote-write receiver at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/nowhere/);
  });
});

describe('what each store does with a repeated, conflicting or old write (measured: docs/remote-write.md)', () => {
  const write = (url: string, job: string, value: number, at: number) =>
    runMain([tempFile([{ name: 'simple', description: 'generated random integer', value, metric_type: 'gauge' }]), job, '--remote-write', url, '--timestamp', String(at)]);

  it('Prometheus keeps one copy of a repeated write, and refuses another value at the same time (65, the first kept)', async () => {
    const prometheus = storeNamed('Prometheus');
    const at = nowSeconds();
    expect((await write(prometheus.writeUrl, 'again', 6, at)).code).toBe(0);
    expect((await write(prometheus.writeUrl, 'again', 6, at)).code).toBe(0);
    expect(await prometheus.storedValues('simple{job="again"}', at)).toEqual(['6']);
    const conflicting = await write(prometheus.writeUrl, 'again', 7, at);
    expect(conflicting.code).toBe(65);
    expect(conflicting.stderr).toMatch(/duplicate sample for timestamp\. The store already holds another value of this series at this very timestamp/);
    expect(await prometheus.storedValues('simple{job="again"}', at)).toEqual(['6']);
  });

  it('VictoriaMetrics keeps every copy of a repeated write and accepts another value at the same time (0); a query shows one', async () => {
    const victoria = storeNamed('VictoriaMetrics');
    const at = nowSeconds();
    expect((await write(victoria.writeUrl, 'again', 6, at)).code).toBe(0);
    expect((await write(victoria.writeUrl, 'again', 6, at)).code).toBe(0);
    expect(await victoria.storedValues('simple{job="again"}', at)).toEqual(['6', '6']);
    expect((await victoria.query('count_over_time(simple{job="again"}[1m])', at)).map((s) => s.value[1])).toEqual(['2']);
    expect((await write(victoria.writeUrl, 'again', 7, at)).code).toBe(0);
    expect((await victoria.storedValues('simple{job="again"}', at)).sort()).toEqual(['6', '6', '7']);
    expect((await victoria.query('simple{job="again"}', at)).map((s) => s.value[1])).toHaveLength(1);
  });

  it('VictoriaMetrics started with -dedup.minScrapeInterval keeps one sample per series and timestamp', async () => {
    const deduplicating = await startVictoriaMetrics({ flags: ['-dedup.minScrapeInterval=1ms'] });
    try {
      const at = nowSeconds();
      for (const value of [6, 6, 7]) expect((await write(deduplicating.writeUrl, 'again', value, at)).code).toBe(0);
      const stored = await deduplicating.exported('simple{job="again"}');
      expect(stored.flatMap((series) => series.values)).toHaveLength(1);
      expect((await deduplicating.query('count_over_time(simple{job="again"}[1m])', { time: at })).map((s) => s.value[1])).toEqual(['1']);
    } finally {
      await deduplicating.stop();
    }
  });

  it('a sample three hours old: Prometheus refuses it (65, out of bounds, explained), VictoriaMetrics stores it; both warn first', async () => {
    const at = nowSeconds() - 3 * 3600;
    const prometheus = await write(storeNamed('Prometheus').writeUrl, 'late', 6, at);
    expect(prometheus.code).toBe(65);
    expect(prometheus.stderr).toMatch(/warn: the timestamp .* is 3 hours old/);
    expect(prometheus.stderr).toMatch(/\(HTTP 400\): out of bounds\. The store takes no samples at this time: Prometheus accepts a sample only within its head block/);
    const victoria = await write(storeNamed('VictoriaMetrics').writeUrl, 'late', 6, at);
    expect(victoria.code, victoria.stderr).toBe(0);
    expect(victoria.stderr).toMatch(/warn: the timestamp .* is 3 hours old/);
    expect(await storeNamed('VictoriaMetrics').storedValues('simple{job="late"}', at)).toEqual(['6']);
  });
});
