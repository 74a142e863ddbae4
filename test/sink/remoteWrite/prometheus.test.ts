import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { byLabels, seriesKey } from '../../support/stores.js';
import { tempFile } from '../../support/files.js';
import { useReceiverBehindProxy } from '../../support/receiverFixture.js';
import { runApp } from '../../support/runApp.js';
import { runMain } from '../../support/runMain.js';

const USER = 'writer';
const PASSWORD = 'rw-pass-Q8z4k';
const fixture = useReceiverBehindProxy({ users: { [USER]: PASSWORD } });
const credentials = { env: { REMOTE_WRITE_USERNAME: USER, REMOTE_WRITE_PASSWORD: PASSWORD } };
const example = (name: string) => tempFile(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8'));
/** A training run's file, every type in it; its expected series are written out below by hand. */
const TRAINING_RUN = {
  labels: { model: 'churn-classifier', dataset: '2026-11' },
  metrics: [
    { name: 'model_accuracy_ratio', description: 'Accuracy on the hold-out set', value: 0.913, metric_type: 'gauge' },
    { name: 'rows_processed_total', description: 'Rows read by the training step', value: 1284000, metric_type: 'counter' },
    { name: 'training_run_seconds', description: 'Wall time of the training step', value: '5412.7', metric_type: 'gauge' },
    { name: 'batch_seconds', description: 'Time per training batch', value: [0.8, 1.1, 0.95, 1.4], metric_type: 'histogram', buckets: [0.5, 1, 2] },
    { name: 'model_build', description: 'Facts about the trained model', value: { version: '1.4.2', framework: 'xgboost' }, metric_type: 'info' },
  ],
};
/** A whole second, so that the instant query's time is the samples' time exactly. */
const nowSeconds = () => Math.floor(Date.now() / 1000) - 1;

const series = seriesKey;

describe('remote write into a real Prometheus (--web.enable-remote-write-receiver, basic auth)', () => {
  it('stores a training run’s file at the push’s timestamp: exactly these series, labels and values', async () => {
    const at = nowSeconds();
    const via = await fixture.proxy();
    const run = await runMain(
      [tempFile(TRAINING_RUN), 'train', '--remote-write', via.writeUrl, '--grouping', 'run=42', '--tenant', 'team-a', '--header', 'X-Team-Key: k-77f2a9c1', '--timestamp', String(at)],
      credentials,
    );
    expect(run.code, run.stderr).toBe(0);
    const common = { job: 'train', run: '42', model: 'churn-classifier', dataset: '2026-11' };
    expect(byLabels(await fixture.prometheus.query('{job="train"}', { time: at }))).toEqual({
      [series({ __name__: 'model_accuracy_ratio', ...common })]: '0.913',
      [series({ __name__: 'rows_processed_total', ...common })]: '1284000',
      [series({ __name__: 'training_run_seconds', ...common })]: '5412.7',
      [series({ __name__: 'batch_seconds_bucket', le: '0.5', ...common })]: '0',
      [series({ __name__: 'batch_seconds_bucket', le: '1', ...common })]: '2',
      [series({ __name__: 'batch_seconds_bucket', le: '2', ...common })]: '4',
      [series({ __name__: 'batch_seconds_bucket', le: '+Inf', ...common })]: '4',
      [series({ __name__: 'batch_seconds_sum', ...common })]: '4.25',
      [series({ __name__: 'batch_seconds_count', ...common })]: '4',
      [series({ __name__: 'model_build_info', framework: 'xgboost', version: '1.4.2', ...common })]: '1',
    });
  });

  it('stores Simplepipe’s examples/metric.json, the timestamp given as RFC 3339', async () => {
    const at = nowSeconds();
    const run = await runMain([example('metric.json'), 'simple', '--remote-write', fixture.writeUrl, '--timestamp', new Date(at * 1000).toISOString()], credentials);
    expect(run.code, run.stderr).toBe(0);
    expect(byLabels(await fixture.prometheus.query('{job="simple"}', { time: at }))).toEqual({ [series({ __name__: 'simple', job: 'simple' })]: '6' });
  });

  it('stores every metric type and the values text cannot spell plainly: NaN, ±Inf, Unicode and escapes in labels, an empty label as absent', async () => {
    const at = nowSeconds();
    const file = tempFile([
      { name: 'odd_values', description: 'd', value: 'NaN', metric_type: 'gauge', labels: { k: 'nan' } },
      { name: 'odd_values', description: 'd', value: '+Inf', metric_type: 'gauge', labels: { k: 'inf' } },
      { name: 'odd_values', description: 'd', value: '-Inf', metric_type: 'gauge', labels: { k: 'minus_inf' } },
      { name: 'odd_values', description: 'd', value: -0.5, metric_type: 'gauge', labels: { k: 'Zürich 東京 🚀 "q" \\ \n', Upper: 'x', empty: '' } },
      { name: 'steps_total', description: 'd', value: '12', metric_type: 'counter' },
      { name: 'latency_seconds', description: 'd', value: [1, 2, 3, 4], metric_type: 'summary' },
      { name: 'size_bytes', description: 'd', value: [3, 30], metric_type: 'histogram', buckets: [10] },
      { name: 'build', description: 'd', value: { commit: 'abc' }, metric_type: 'info' },
    ]);
    const run = await runMain([file, 'types', '--remote-write', fixture.writeUrl, '--timestamp', String(at)], credentials);
    expect(run.code, run.stderr).toBe(0);
    const job = { job: 'types' };
    const result = byLabels(await fixture.prometheus.query('{job="types"}', { time: at }));
    expect(result).toMatchObject({
      [series({ __name__: 'odd_values', k: 'nan', ...job })]: 'NaN',
      [series({ __name__: 'odd_values', k: 'inf', ...job })]: '+Inf',
      [series({ __name__: 'odd_values', k: 'minus_inf', ...job })]: '-Inf',
      [series({ __name__: 'odd_values', k: 'Zürich 東京 🚀 "q" \\ \n', Upper: 'x', ...job })]: '-0.5',
      [series({ __name__: 'steps_total', ...job })]: '12',
      [series({ __name__: 'latency_seconds_sum', ...job })]: '10',
      [series({ __name__: 'latency_seconds_count', ...job })]: '4',
      [series({ __name__: 'size_bytes_bucket', le: '10', ...job })]: '1',
      [series({ __name__: 'size_bytes_bucket', le: '+Inf', ...job })]: '2',
      [series({ __name__: 'size_bytes_sum', ...job })]: '33',
      [series({ __name__: 'size_bytes_count', ...job })]: '2',
      [series({ __name__: 'build_info', commit: 'abc', ...job })]: '1',
    });
    // prom-client's seven default quantiles, and nothing else.
    const quantiles = (await fixture.prometheus.query('latency_seconds{job="types"}', { time: at })).map((s) => s.metric.quantile).sort();
    expect(quantiles).toEqual(['0.01', '0.05', '0.5', '0.9', '0.95', '0.99', '0.999']);
    expect(Object.keys(result)).toHaveLength(12 + 7);
  });

  it('sends the protocol’s four headers, X-Scope-OrgID, --header and the credentials with every request', async () => {
    const via = await fixture.proxy();
    // The bundle: the User-Agent carries the version the build stamps in (unbundled, "dev").
    const run = await runApp(
      [tempFile(TRAINING_RUN), 'headers', '--remote-write', via.writeUrl, '--tenant', 'team-a', '--header', 'X-Team-Key: k-77f2a9c1', '--max-samples-per-request', '3'],
      credentials,
    );
    expect(run.code, run.stderr).toBe(0);
    // Ten series, three to a request, the histogram's six together: [3 gauges], [the histogram], [the info].
    expect(via.requests).toHaveLength(3);
    for (const request of via.requests) {
      expect(request).toMatchObject({ method: 'POST', path: '/api/v1/write' });
      expect(request.headers).toMatchObject({
        'content-encoding': 'snappy',
        'content-type': 'application/x-protobuf',
        'x-prometheus-remote-write-version': '0.1.0',
        'x-scope-orgid': 'team-a',
        'x-team-key': 'k-77f2a9c1',
        authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
      });
      expect(request.headers['user-agent']).toMatch(/^simplepipe\/\d+\.\d+\.\d+/);
    }
  });

  it('never sends the gateway’s credentials (PUSHGATEWAY_USERNAME/PASSWORD, the templates’ Secret) to a receiver', async () => {
    const via = await fixture.proxy();
    const run = await runMain([example('metric.json'), 'not_theirs', '--remote-write', via.writeUrl], {
      env: { PUSHGATEWAY_USERNAME: USER, PUSHGATEWAY_PASSWORD: PASSWORD },
    });
    expect(run.code).toBe(77);
    expect(via.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('77 without the credentials, after one request: a refusal is never retried', async () => {
    const via = await fixture.proxy();
    const run = await runMain([example('metric.json'), 'refused', '--remote-write', via.writeUrl]);
    expect(run.code).toBe(77);
    expect(run.stderr).toMatch(/the remote-write receiver refused the credentials \(HTTP 401\)/);
    expect(via.requests).toHaveLength(1);
  });

  it.each(['text', 'json'])('never shows the password, the Authorization value or a --header value, not even echoed back by the receiver (--log-format %s)', async (format) => {
    const via = await fixture.proxy({ fault: { kind: 'status', status: 400, echoHeaders: true } });
    const url = new URL(via.writeUrl);
    url.username = USER;
    url.password = PASSWORD;
    const run = await runMain([example('metric.json'), 'quiet', '--remote-write', url.href, '--header', 'X-Team-Key: k-77f2a9c1', '-v', '--log-format', format]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/x-scope-orgid|x-team-key/i);
    expect(run.stderr).toContain('REDACTED');
    for (const secret of [PASSWORD, 'k-77f2a9c1', Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) expect(run.stderr).not.toContain(secret);
  });

  it('writes 100,000 series of one run completely, in requests of at most 500 samples', async () => {
    const at = nowSeconds();
    // 1,000 families of 100 series: five whole families to a request.
    const records = Array.from({ length: 100_000 }, (_, i) => ({
      name: `bulk_score_${i % 1000}`,
      description: 'one of many',
      value: i,
      metric_type: 'gauge',
      labels: { feature: `f${i % 1000}`, slice: `s${Math.floor(i / 1000)}` },
    }));
    const via = await fixture.proxy();
    const run = await runMain([tempFile(records), 'bulk', '--remote-write', via.writeUrl, '--timestamp', String(at)], { ...credentials, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(via.requests.filter((r) => r.method === 'POST')).toHaveLength(200);
    const count = await fixture.prometheus.query('count({__name__=~"bulk_score_.*",job="bulk"})', { time: at });
    expect(count.map((s) => s.value[1])).toEqual(['100000']);
    const sum = await fixture.prometheus.query('sum({__name__=~"bulk_score_.*",job="bulk"})', { time: at });
    expect(sum.map((s) => s.value[1])).toEqual([String((99_999 * 100_000) / 2)]);
  }, 180_000);
});
