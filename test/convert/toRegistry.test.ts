import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DataError, toExposition, toRegistry, validate } from '../../src/index.js';
import { promtoolCheck } from '../support/promtool.js';

const render = async (document: unknown): Promise<string> => toExposition(await toRegistry(validate(document, { job: 'j' })));

describe('toRegistry and toExposition', () => {
  it('renders Simplepipe’s example as one gauge line', async () => {
    const text = await render([{ name: 'simple', description: 'generated random integer', value: '6', metric_type: 'gauge' }]);
    expect(text).toBe('# HELP simple generated random integer\n# TYPE simple gauge\nsimple 6\n');
  });

  it('escapes quotes, backslashes and newlines in label values and HELP', async () => {
    const text = await render([
      { name: 'q', description: 'help with \\ and \nnewline', value: 1, metric_type: 'gauge', labels: { v: 'a"b\\c\nd' } },
    ]);
    expect(text).toContain('# HELP q help with \\\\ and \\nnewline\n');
    expect(text).toContain('q{v="a\\"b\\\\c\\nd"} 1\n');
    promtoolCheck(text);
  });

  it('renders label text that mimics exposition lines as one escaped value', async () => {
    const text = await render([{ name: 'x', description: 'd', value: 1, metric_type: 'gauge', labels: { v: '"} 1\nfake 1' } }]);
    expect(text.split('\n').filter((line) => line.startsWith('fake'))).toEqual([]);
    promtoolCheck(text);
  });

  it('exposes info as <name>_info{...} 1, as the Python client does', async () => {
    const text = await render([{ name: 'build', description: 'build facts', value: { version: '1.2' }, metric_type: 'info', labels: { app: 'm' } }]);
    expect(text).toBe('# HELP build_info build facts\n# TYPE build_info gauge\nbuild_info{app="m",version="1.2"} 1\n');
  });

  it('renders counters, summaries and histograms that promtool accepts', async () => {
    const text = await render([
      { name: 'rows_processed_total', description: 'rows', value: '12', metric_type: 'counter' },
      { name: 'latency_seconds', description: 'latency', value: [0.1, 0.2, 0.3], metric_type: 'summary' },
      { name: 'size_bytes', description: 'sizes', value: [1, 7, 70], metric_type: 'histogram', buckets: [5, 50] },
      { name: 'odd', description: 'specials', value: 'NaN', metric_type: 'gauge', labels: { k: 'nan' } },
      { name: 'odd', description: 'specials', value: '-Inf', metric_type: 'gauge', labels: { k: 'neg' } },
    ]);
    expect(text).toContain('rows_processed_total 12\n');
    expect(text).toContain('latency_seconds_count 3\n');
    expect(text).toContain('size_bytes_bucket{le="5"} 1\nsize_bytes_bucket{le="50"} 2\nsize_bytes_bucket{le="+Inf"} 3\n');
    expect(text).toContain('odd{k="neg"} -Inf\n');
    expect(text).not.toMatch(/\r/);
    expect(text.endsWith('\n')).toBe(true);
    promtoolCheck(text);
  });

  it('writes no timestamps', async () => {
    const text = await render([{ name: 'g', description: 'd', value: 1, metric_type: 'gauge', labels: { a: 'b' } }]);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^\S+ \S+$/);
  });

  it('builds a fresh registry each time, never the global one', async () => {
    const records = validate([{ name: 'g', description: 'd', value: 1, metric_type: 'gauge' }]);
    const [first, second] = await Promise.all([toRegistry(records), toRegistry(records)]);
    expect(first).not.toBe(second);
    expect(register.getSingleMetric('g')).toBeUndefined();
  });

  it.each(['gauge', 'counter', 'summary', 'histogram'])('refuses label sets prom-client would merge into one series: %s', async (type) => {
    const records = validate([
      { name: 'g', description: 'd', value: 1, metric_type: type, labels: { a: '1,b:2' } },
      { name: 'g', description: 'd', value: 2, metric_type: type, labels: { a: '1', b: '2' } },
    ]);
    await expect(toRegistry(records)).rejects.toThrow(/2 series became 1/);
  });

  it('keeps distinct series of every type apart, and says so by not refusing them', async () => {
    const records = validate(
      ['gauge', 'counter', 'summary', 'histogram'].flatMap((type) => [
        { name: type, description: 'd', value: 1, metric_type: type, labels: { a: '1' } },
        { name: type, description: 'd', value: 2, metric_type: type, labels: { a: '2' } },
      ]),
    );
    const registry = await toRegistry(records);
    expect(registry.getMetricsAsArray().map((metric) => metric.name)).toEqual(['gauge', 'counter', 'summary', 'histogram']);
  });

  it('refuses, with a DataError, a metric name prom-client would mistake for an object property', async () => {
    const records = validate([{ name: 'constructor', description: 'd', value: 1, metric_type: 'gauge' }]);
    await expect(toRegistry(records)).rejects.toThrow(DataError);
    await expect(toRegistry(records)).rejects.toThrow(/cannot hold a metric named "constructor"/);
  });
});
