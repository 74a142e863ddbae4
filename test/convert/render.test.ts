import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderExposition } from '../../src/convert/render.js';
import { toExposition, toRegistry, validate, type ValidateOptions } from '../../src/index.js';
import { promtoolCheck } from '../support/promtool.js';

const throughPromClient = async (document: unknown, options: ValidateOptions = { job: 'j' }): Promise<string> =>
  toExposition(await toRegistry(validate(document, options)));
const direct = async (document: unknown, options: ValidateOptions = { job: 'j' }): Promise<string> =>
  renderExposition(validate(document, options));

const gauge = (name: string, value: unknown, labels?: Record<string, string>) => ({ name, description: `${name} help`, value, metric_type: 'gauge', labels });

const documents: Record<string, unknown> = {
  'one gauge without labels': [{ name: 'simple', description: 'generated random integer', value: '6', metric_type: 'gauge' }],
  'numbers as JavaScript prints them, and NaN and infinities': [
    gauge('v', 0.1, { k: 'a' }),
    gauge('v', -0, { k: 'b' }),
    gauge('v', 1e21, { k: 'c' }),
    gauge('v', 1.5e-7, { k: 'd' }),
    gauge('v', '1.5e3', { k: 'e' }),
    gauge('v', 'NaN', { k: 'f' }),
    gauge('v', '+Inf', { k: 'g' }),
    gauge('v', '-Inf', { k: 'h' }),
    gauge('v', -123456789.125, { k: 'i' }),
  ],
  'escapes in HELP and label values, and any Unicode': [
    { name: 'q', description: 'help with \\ and \nnewline and "quotes"', value: 1, metric_type: 'gauge', labels: { v: 'a"b\\c\nd' } },
    { name: 'q', description: 'help with \\ and \nnewline and "quotes"', value: 2, metric_type: 'gauge', labels: { v: 'Zürich 東京 🚀', w: '' } },
  ],
  'label sets that differ within a family, in file order': [
    gauge('m', 1),
    gauge('m', 2, { b: 'x', a: 'y' }),
    gauge('m', 3, { a: 'z' }),
  ],
  'counters, with and without labels': [
    { name: 'rows_total', description: 'rows', value: '12', metric_type: 'counter' },
    { name: 'runs_total', description: 'runs', value: 0, metric_type: 'counter', labels: { step: 'a' } },
    { name: 'runs_total', description: 'runs', value: 2.5, metric_type: 'counter', labels: { step: 'b' } },
  ],
  'info beside its record labels': [
    { name: 'build', description: 'build facts', value: { version: '1.2', commit: 'abc' }, metric_type: 'info', labels: { app: 'm' } },
    { name: 'build', description: 'build facts', value: { version: '1.3' }, metric_type: 'info', labels: { app: 'n' } },
  ],
  'summaries and histograms between gauges, in file order': [
    gauge('first', 1),
    { name: 'latency_seconds', description: 'latency', value: [0.1, 0.2, 0.3], metric_type: 'summary', labels: { path: '/a' } },
    { name: 'size_bytes', description: 'sizes', value: [1, 7, 70], metric_type: 'histogram', buckets: [5, 50] },
    gauge('last', 2),
    { name: 'latency_seconds', description: 'latency', value: 4, metric_type: 'summary', labels: { path: '/b' } },
  ],
  'the object form with common labels': {
    labels: { model: 'churn', env: 'dev' },
    metrics: [gauge('acc', 0.9, { env: 'prod' }), gauge('loss', 0.1), { name: 'b', description: 'b', value: { v: '1' }, metric_type: 'info' }],
  },
};

/** A deterministic mix of many records, to catch what a handful of examples would not. */
function manyRecords(count: number): unknown[] {
  let seed = 7;
  const next = (): number => (seed = (seed * 48271) % 2147483647);
  return Array.from({ length: count }, (_, i) => {
    const family = `fam_${next() % 50}`;
    return gauge(family, (next() % 100000) / 7 - 5000, { series: String(i), shard: `s${next() % 3}`, note: i % 11 === 0 ? 'x"y\\z' : '' });
  });
}

/** A summary's quantile lines: prom-client estimates them, renderExposition computes them exactly. */
const withoutQuantiles = (text: string): string => text.replace(/^.*quantile=".*\n/gm, '');

describe('renderExposition', () => {
  it.each(Object.entries(documents))('writes the same bytes as a prom-client Registry, quantiles apart: %s', async (_, document) => {
    const expected = await throughPromClient(document);
    expect(expected.length).toBeGreaterThan(0);
    expect(withoutQuantiles(await direct(document))).toBe(withoutQuantiles(expected));
  });

  it('writes a summary’s exact nearest-rank quantiles, its own list or the default, then _sum and _count, quantile first as prom-client does', async () => {
    const text = await direct([
      { name: 'latency_seconds', description: 'latency', value: [0.3, 0.1, 0.4, 0.1, 0.5, 0.9, 0.2, 0.6], metric_type: 'summary', quantiles: [0, 0.25, 0.5, 0.9, 1], labels: { path: '/a' } },
      { name: 'latency_seconds', description: 'latency', value: 7, metric_type: 'summary', quantiles: [0, 0.25, 0.5, 0.9, 1], labels: { path: '/b' } },
      { name: 'sums_only', description: 'no quantiles', value: [1, 2], metric_type: 'summary', quantiles: [] },
      { name: 'defaults', description: 'default quantiles', value: Array.from({ length: 1000 }, (_, i) => 1000 - i), metric_type: 'summary' },
    ]);
    // Sorted: 0.1 0.1 0.2 0.3 0.4 0.5 0.6 0.9; ranks ⌈φ·8⌉ = 1 (φ=0 takes the first), 2, 4, 8, 8.
    expect(text).toBe(
      [
        '# HELP latency_seconds latency',
        '# TYPE latency_seconds summary',
        'latency_seconds{quantile="0",path="/a"} 0.1',
        'latency_seconds{quantile="0.25",path="/a"} 0.1',
        'latency_seconds{quantile="0.5",path="/a"} 0.3',
        'latency_seconds{quantile="0.9",path="/a"} 0.9',
        'latency_seconds{quantile="1",path="/a"} 0.9',
        'latency_seconds_sum{path="/a"} 3.1',
        'latency_seconds_count{path="/a"} 8',
        ...['0', '0.25', '0.5', '0.9', '1'].map((q) => `latency_seconds{quantile="${q}",path="/b"} 7`),
        'latency_seconds_sum{path="/b"} 7',
        'latency_seconds_count{path="/b"} 1',
        '',
        '# HELP sums_only no quantiles',
        '# TYPE sums_only summary',
        'sums_only_sum 3',
        'sums_only_count 2',
        '',
        '# HELP defaults default quantiles',
        '# TYPE defaults summary',
        // 1 … 1000: the φ-quantile is ⌈φ·1000⌉ itself.
        ...[0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999].map((q) => `defaults{quantile="${q}"} ${Math.round(q * 1000)}`),
        'defaults_sum 500500',
        'defaults_count 1000',
        '',
      ].join('\n'),
    );
    promtoolCheck(text);
  });

  it('writes text promtool accepts, escapes, special values and mixed types included', async () => {
    const text = await direct([
      ...(documents['escapes in HELP and label values, and any Unicode'] as unknown[]),
      ...(documents['numbers as JavaScript prints them, and NaN and infinities'] as unknown[]),
      ...(documents['summaries and histograms between gauges, in file order'] as unknown[]),
      ...(documents['info beside its record labels'] as unknown[]),
    ]);
    expect(text).toContain('v{k="f"} NaN\n');
    promtoolCheck(text);
  });

  it('spells every value as the text format does, through either writer: NaN, +Inf, -Inf, or a number that reads back the same', async () => {
    // The format's own spellings, case and sign included; anything else must be a float Go's ParseFloat reads.
    const decimal = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double(), { minLength: 1, maxLength: 20 }), async (values) => {
        const document = values.map((value, i) => gauge('v', Number.isFinite(value) ? value : String(value).replace('Infinity', 'Inf').replace(/^Inf/, '+Inf'), { i: String(i) }));
        for (const text of [await direct(document), await throughPromClient(document)]) {
          const written = text.split('\n').filter((line) => line.startsWith('v{')).map((line) => line.slice(line.lastIndexOf(' ') + 1));
          expect(written).toHaveLength(values.length);
          written.forEach((token, i) => {
            const value = values[i]!;
            if (Number.isNaN(value)) expect(token).toBe('NaN');
            else if (value === Infinity) expect(token).toBe('+Inf');
            else if (value === -Infinity) expect(token).toBe('-Inf');
            else {
              expect(token).toMatch(decimal);
              expect(Number(token)).toBe(value === 0 ? 0 : value);
            }
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('writes any histogram byte for byte as prom-client does: bucket counts, sum and count', async () => {
    // Observations on the bounds, between them and beyond both ends; bounds of the record's own or the default.
    const bound = fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double({ min: -5, max: 20, noNaN: true }));
    const bounds = fc.option(fc.uniqueArray(bound, { minLength: 1, maxLength: 8, comparator: 'SameValueZero' }).map((list) => list.sort((a, b) => a - b)), { nil: undefined });
    const observation = fc.oneof(bound, fc.constantFrom(0.005, 0.01, 0.1, 1, 10, 10.0000001), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const series = fc.array(fc.array(observation, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(bounds, series, async (buckets, values) => {
        const document = values.map((value, i) => ({ name: 'h', description: 'd', value, metric_type: 'histogram', labels: { s: String(i) }, ...(buckets && { buckets }) }));
        const text = await direct(document);
        // The definition, counted the slow way: le="b" holds the observations ≤ b.
        values.forEach((observations, i) => {
          for (const b of buckets ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) {
            expect(text).toContain(`h_bucket{le="${b}",s="${i}"} ${observations.filter((o) => o <= b).length}\n`);
          }
        });
        // prom-client 15 files every observation above the last bound under a bound of -1 (its "not found" is -1).
        if (!buckets?.includes(-1)) expect(text).toBe(await throughPromClient(document));
      }),
      { numRuns: 300 },
    );
  });

  it('counts a histogram with a bound of -1 correctly, where prom-client files larger observations under it', async () => {
    const document = [{ name: 'h', description: 'd', value: [1, 0], metric_type: 'histogram', buckets: [-1, 0] }];
    expect(await direct(document)).toContain('h_bucket{le="-1"} 0\nh_bucket{le="0"} 1\nh_bucket{le="+Inf"} 2\n');
    expect(await throughPromClient(document)).toContain('h_bucket{le="-1"} 1\n');
  });

  it('writes the same bytes as a prom-client Registry for 2,000 mixed series', async () => {
    const document = manyRecords(2000);
    expect(await direct(document)).toBe(await throughPromClient(document));
  });

  it('writes the same bytes with --label labels under the file’s own', async () => {
    const document = { labels: { env: 'file' }, metrics: [gauge('g', 1), gauge('g', 2, { k: 'b' })] };
    const options = { job: 'j', labels: { env: 'flag', region: 'eu' } };
    expect(await direct(document, options)).toBe(await throughPromClient(document, options));
  });

  it('renders a summary and a histogram whose HELP is empty, which the schema allows and prom-client refuses', async () => {
    const text = await direct([
      { name: 'lat_seconds', description: '', value: [1, 2], metric_type: 'summary' },
      { name: 'size_bytes', description: '', value: 3, metric_type: 'histogram', buckets: [5] },
    ]);
    expect(text).toContain('# HELP lat_seconds \n# TYPE lat_seconds summary\n');
    expect(text).toContain('size_bytes_bucket{le="5"} 1\n');
    promtoolCheck(text);
  });

  it('keeps series whose label values mimic the separators of others apart', async () => {
    const text = await direct([gauge('g', 1, { a: '1,b:2' }), gauge('g', 2, { a: '1', b: '2' })]);
    expect(text).toBe('# HELP g g help\n# TYPE g gauge\ng{a="1,b:2"} 1\ng{a="1",b="2"} 2\n');
  });
});
