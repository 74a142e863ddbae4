import { describe, expect, it } from 'vitest';
import { ConfigError, validate } from '../../../src/index.js';
import { buildWriteRequests, DEFAULT_MAX_SAMPLES_PER_REQUEST } from '../../../src/sink/remoteWrite/timeseries.js';
import type { TimeSeries } from '../../../src/sink/remoteWrite/messages.js';

const at = Date.UTC(2026, 10, 21, 18, 30);
const records = (document: unknown) => validate(document, { job: 'train', grouping: { run: '42' } });
const labelsOf = (series: TimeSeries) => Object.fromEntries(series.labels.map((l) => [l.name, l.value]));
const all = async (document: unknown, max?: number) =>
  (await buildWriteRequests(records(document), { job: 'train', grouping: { run: '42' }, timestampMs: at }, max)).flatMap((r) => r.timeseries);

describe('buildWriteRequests', () => {
  it('puts __name__, job and the grouping labels on every series, all labels sorted by name', async () => {
    const [series] = await all([{ name: 'acc', description: 'd', value: 0.9, metric_type: 'gauge', labels: { zone: 'a', Zeta: 'b', model: 'm' } }]);
    // Upper-case names sort before "__name__": byte order, not "__name__ first".
    expect(series!.labels.map((l) => l.name)).toEqual(['Zeta', '__name__', 'job', 'model', 'run', 'zone']);
    expect(labelsOf(series!)).toEqual({ Zeta: 'b', __name__: 'acc', job: 'train', model: 'm', run: '42', zone: 'a' });
    expect(series!.samples).toEqual([{ value: 0.9, timestamp: at }]);
  });

  it('drops empty label values, from the record and from the grouping key alike', async () => {
    const requests = await buildWriteRequests(
      records([{ name: 'acc', description: 'd', value: 1, metric_type: 'gauge', labels: { a: '', b: 'x' } }]),
      { job: 'train', grouping: { instance: '' }, timestampMs: at },
    );
    expect(requests[0]!.timeseries[0]!.labels).toEqual([
      { name: '__name__', value: 'acc' },
      { name: 'b', value: 'x' },
      { name: 'job', value: 'train' },
    ]);
  });

  it('expands a histogram into cumulative buckets, _sum and _count, and a summary into quantiles, _sum and _count', async () => {
    const series = await all([
      { name: 'batch_seconds', description: 'b', value: [0.8, 1.1, 0.95, 1.4], metric_type: 'histogram', buckets: [0.5, 1, 2] },
      { name: 'lat_seconds', description: 'l', value: [1, 2, 3], metric_type: 'summary' },
    ]);
    const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
    const find = (name: string, extra: Record<string, string> = {}) =>
      series.find((s) => key(labelsOf(s)) === key({ __name__: name, job: 'train', run: '42', ...extra }))?.samples[0]?.value;
    expect([find('batch_seconds_bucket', { le: '0.5' }), find('batch_seconds_bucket', { le: '1' }), find('batch_seconds_bucket', { le: '2' }), find('batch_seconds_bucket', { le: '+Inf' })]).toEqual([0, 2, 4, 4]);
    expect(find('batch_seconds_sum')).toBeCloseTo(4.25);
    expect(find('batch_seconds_count')).toBe(4);
    expect(find('lat_seconds', { quantile: '0.5' })).toBe(2);
    expect(find('lat_seconds_sum')).toBe(6);
    expect(find('lat_seconds_count')).toBe(3);
    expect(series.every((s) => s.samples.length === 1 && s.samples[0]!.timestamp === at)).toBe(true);
  });

  it('writes an info record as <name>_info with the value 1 and its facts as labels', async () => {
    const [series] = await all([{ name: 'model_build', description: 'facts', value: { version: '1.4.2' }, metric_type: 'info' }]);
    expect(labelsOf(series!)).toEqual({ __name__: 'model_build_info', job: 'train', run: '42', version: '1.4.2' });
    expect(series!.samples[0]!.value).toBe(1);
  });

  it('sends each family’s type and HELP as metadata, an info family as the gauge its exposition declares', async () => {
    const [request] = await buildWriteRequests(
      records([
        { name: 'c_total', description: 'a counter', value: 1, metric_type: 'counter' },
        { name: 'g', description: 'a gauge', value: 1, metric_type: 'gauge' },
        { name: 'h', description: 'a histogram', value: 1, metric_type: 'histogram' },
        { name: 's', description: 'a summary', value: 1, metric_type: 'summary' },
        { name: 'i', description: 'an info', value: { v: '1' }, metric_type: 'info' },
      ]),
      { job: 'train', timestampMs: at },
    );
    expect(request!.metadata).toEqual([
      { type: 1, metric_family_name: 'c_total', help: 'a counter' },
      { type: 2, metric_family_name: 'g', help: 'a gauge' },
      { type: 3, metric_family_name: 'h', help: 'a histogram' },
      { type: 5, metric_family_name: 's', help: 'a summary' },
      { type: 2, metric_family_name: 'i_info', help: 'an info' },
    ]);
  });

  it('splits into requests of at most the given number of samples, never splitting a family, each with the metadata of exactly its families', async () => {
    // Families of 2, 3, 1, 4 and 2 series, and 5 samples a request: [2+3], [1+4], [2].
    const sizes = [2, 3, 1, 4, 2];
    const document = sizes.flatMap((size, f) => Array.from({ length: size }, (_, i) => ({ name: `f${f}`, description: `help ${f}`, value: i, metric_type: 'gauge', labels: { i: `${f}.${i}` } })));
    const requests = await buildWriteRequests(records(document), { job: 'train', timestampMs: at }, 5);
    expect(requests.map((r) => r.timeseries.length)).toEqual([5, 5, 2]);
    const sent = requests.flatMap((r) => r.timeseries.map((s) => labelsOf(s).i));
    expect(sent.sort()).toEqual(document.map((r) => r.labels.i).sort());
    for (const request of requests) {
      const families = new Set(request.timeseries.map((s) => labelsOf(s).__name__));
      expect(new Set(request.metadata.map((m) => m.metric_family_name))).toEqual(families);
      expect(request.metadata).toHaveLength(families.size);
    }
  });

  it('keeps a histogram’s buckets, _sum and _count in one request, and sends a family larger than the limit alone, whole', async () => {
    const requests = await buildWriteRequests(
      records([
        { name: 'g', description: 'd', value: 1, metric_type: 'gauge' },
        { name: 'h', description: 'd', value: [1, 2], metric_type: 'histogram', buckets: [1, 2, 3] },
        { name: 'g2', description: 'd', value: 1, metric_type: 'gauge' },
      ]),
      { job: 'train', timestampMs: at },
      3,
    );
    expect(requests.map((r) => r.metadata.map((m) => m.metric_family_name))).toEqual([['g'], ['h'], ['g2']]);
    expect(requests.map((r) => r.timeseries.length)).toEqual([1, 6, 1]);
  });

  it('defaults to 500 samples per request, Prometheus 2.42’s max_samples_per_send', async () => {
    expect(DEFAULT_MAX_SAMPLES_PER_REQUEST).toBe(500);
    const document = Array.from({ length: 1201 }, (_, i) => ({ name: `g${i % 3}`, description: 'd', value: i, metric_type: 'gauge', labels: { i: String(i) } }));
    const requests = await buildWriteRequests(records(document), { job: 'train', timestampMs: at });
    // Three families of about 400: one to a request.
    expect(requests.map((r) => r.timeseries.length)).toEqual([401, 400, 400]);
  });

  it('refuses an empty job and grouping labels that are no label names, before anything is built', async () => {
    const valid = records([{ name: 'g', description: 'd', value: 1, metric_type: 'gauge' }]);
    await expect(buildWriteRequests(valid, { job: '', timestampMs: at })).rejects.toThrow(ConfigError);
    await expect(buildWriteRequests(valid, { job: 'j', grouping: { 'a-b': 'x' }, timestampMs: at })).rejects.toThrow(/not a valid label name/);
    await expect(buildWriteRequests(valid, { job: 'j', grouping: { __x: 'x' }, timestampMs: at })).rejects.toThrow(/reserved/);
    await expect(buildWriteRequests(valid, { job: 'j', grouping: { job: 'x' }, timestampMs: at })).rejects.toThrow(ConfigError);
  });
});
