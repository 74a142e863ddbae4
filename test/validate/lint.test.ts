import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderExposition } from '../../src/convert/render.js';
import { DataError, validate, type DataIssue, type MetricRecord } from '../../src/index.js';
import { promtoolLint } from '../support/promtool.js';

/** simplepipe's naming warnings on a document, in promtool's `<metric> <text>` form, each once and sorted. */
function lintLines(document: unknown): string[] {
  const lines: string[] = [];
  validate(document, { warn: (warnings) => lines.push(...warnings.map((w) => w.message.replace(/^"([^"]+)": /, '$1 '))) });
  return [...new Set(lines)].sort();
}

const record = (name: string, metric_type: string, extra: Partial<MetricRecord> = {}): Record<string, unknown> => {
  const value = metric_type === 'info' ? { v: '1' } : metric_type === 'summary' || metric_type === 'histogram' ? [1, 2] : 1;
  return { name, description: 'd', metric_type, value, ...extra };
};

/** One family per rule promtool knows, each rule broken once, and names that look close but break none. */
const corpus = [
  record('rows_read', 'counter'),
  record('rows_read_total', 'counter'),
  record('temperature_total', 'gauge'),
  record('latency_seconds_total', 'summary'),
  record('queue_bucket', 'gauge'),
  record('queue_bucket_a', 'summary'),
  record('jobs_count', 'gauge'),
  record('size_count', 'summary'),
  record('size_sum', 'counter'),
  record('wait_sum', 'histogram'),
  record('disk_milliseconds', 'gauge'),
  record('disk_kilobytes', 'gauge'),
  record('uptime_hours', 'gauge'),
  record('thermometers', 'gauge'),
  record('air_fahrenheit', 'gauge'),
  record('road_millimetres', 'gauge'),
  record('run_ms', 'gauge'),
  record('run_s_total', 'counter'),
  record('payload_kb', 'gauge'),
  record('age_d', 'gauge'),
  record('retention_sec_max', 'gauge'),
  record('cache_gauge', 'gauge'),
  record('hits_counter_total', 'counter'),
  record('a_summary_b', 'summary'),
  record('step_histogram', 'histogram'),
  record('queue_gauge_histogram', 'gauge'),
  record('job:rows:rate5m', 'gauge'),
  record('modelAccuracy', 'gauge'),
  record('MODEL_accuracy', 'gauge'),
  record('build', 'info', { labels: { gitCommit: 'abc' } }),
  record('rows_le', 'gauge', { labels: { le: '1', quantile: '0.5' } }),
  record('rows_le', 'gauge', { labels: { le: '2', quantile: '0.5', shardId: 'x' } }),
  record('latency_quantiles', 'histogram', { labels: { quantile: '0.5' } }),
  record('size_bytes', 'summary', { labels: { le: '1' } }),
  record('model_accuracy_ratio', 'gauge', { labels: { model_name: 'churn' } }),
];

describe('the naming lints', () => {
  it('report what promtool check metrics reports on the same exposition: a corpus of each rule', async () => {
    const document = { labels: { runId: '7' }, metrics: corpus };
    const expected = promtoolLint(await renderExposition(validate(document)));
    expect(expected.length).toBeGreaterThan(30);
    expect(lintLines(document)).toEqual(expected);
  });

  // Names made of parts that trip each rule, or nearly do; at most one unit word, since promtool picks
  // among several at random (a Go map's order).
  const units = ['seconds', 'milliseconds', 'bytes', 'kilobytes', 'hours', 'metres', 'kelvins', 'celsius'];
  const parts = ['rows', 'Rows', 'stepTime', 'ms', 's', 'kb', 'd', 'sec', 'm', 'total', 'count', 'sum', 'bucket', 'counter', 'gauge',
    'histogram', 'summary', 'info', 'thermometers', 'job:rate', 'x9', 'us', ...units];
  const name = fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 4 })
    .filter((list) => new Set(list.filter((part) => units.includes(part))).size <= 1)
    .map((list) => list.join('_'));
  const labelName = fc.constantFrom('le', 'quantile', 'modelName', 'step', 'shardID', 'a_b');
  const family = fc.record({
    name,
    type: fc.constantFrom('gauge', 'counter', 'summary', 'histogram', 'info'),
    labels: fc.uniqueArray(labelName, { maxLength: 2 }),
  });

  it('report what promtool check metrics reports, for any mix of names, types and labels', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(family, { minLength: 1, maxLength: 6, selector: (f) => f.name }), async (families) => {
        const records = families.map((f) => {
          // A histogram's le and a summary's quantile are refused by validation, not linted.
          const labels = f.labels.filter((l) => !(l === 'le' && f.type === 'histogram') && !(l === 'quantile' && f.type === 'summary'));
          return record(f.name, f.type, labels.length === 0 ? {} : { labels: Object.fromEntries(labels.map((l) => [l, 'v'])) });
        });
        let valid;
        try {
          valid = validate(records);
        } catch {
          fc.pre(false); // a sample name one family shares with another (x_count beside a summary x): not a naming matter
        }
        expect(lintLines(records)).toEqual(promtoolLint(await renderExposition(valid!)));
      }),
      { numRuns: 80 },
    );
  });

  it('point at the name, or at the label where it was given, and never rewrite a name', () => {
    const warnings: DataIssue[] = [];
    const records = validate(
      {
        labels: { runId: '7' },
        metrics: [record('rows', 'counter'), record('build', 'info', { value: { gitCommit: 'a' } } as Partial<MetricRecord>), record('g_total', 'gauge', { labels: { shardId: '1' } })],
      },
      { labels: { flagLabel: 'x' }, warn: (list) => warnings.push(...list) },
    );
    expect(records.map((r) => r.name)).toEqual(['rows', 'build_info', 'g_total']);
    expect(warnings).toEqual(
      expect.arrayContaining([
        { pointer: '/metrics/0/name', message: '"rows": counter metrics should have "_total" suffix' },
        { pointer: '/labels/runId', message: `"rows": label names should be written in 'snake_case' not 'camelCase'` },
        { pointer: 'labels flagLabel', message: `"rows": label names should be written in 'snake_case' not 'camelCase'` },
        { pointer: '/metrics/1/value/gitCommit', message: `"build_info": label names should be written in 'snake_case' not 'camelCase'` },
        { pointer: '/metrics/2/name', message: '"g_total": non-counter metrics should not have "_total" suffix' },
        { pointer: '/metrics/2/labels/shardId', message: `"g_total": label names should be written in 'snake_case' not 'camelCase'` },
      ]),
    );
  });

  it('name a label once per family, at the first valid record that has it: a refused record is not linted', () => {
    // A family's first record makes no object until a second comes (semantic.ts): what was linted on it must survive that.
    const problems = (document: unknown[]): DataIssue[] => {
      try {
        validate(document, { strict: true });
      } catch (thrown) {
        return (thrown as DataError).issues.filter((issue) => issue.message.includes('camelCase'));
      }
      return [];
    };
    const gauge = (value: unknown, labels: Record<string, string>) => record('g', 'gauge', { value, labels } as Partial<MetricRecord>);
    const camel = `"g": label names should be written in 'snake_case' not 'camelCase'`;
    expect(problems([gauge(1, { shardId: '1' }), gauge(2, { shardId: '2' }), gauge(3, { shardId: '3' })])).toEqual([{ pointer: '/0/labels/shardId', message: camel }]);
    expect(problems([gauge('1e999', { shardId: '1' }), gauge(2, { shardId: '2' }), gauge(3, { shardId: '3' })])).toEqual([{ pointer: '/1/labels/shardId', message: camel }]);
    expect(problems([gauge(1, { a: '1' }), gauge(2, { shardId: '2' }), gauge(3, { shardId: '3' }), gauge(4, { zoneId: '4' })])).toEqual([
      { pointer: '/1/labels/shardId', message: camel },
      { pointer: '/3/labels/zoneId', message: camel },
    ]);
  });

  it('are problems, exit 65, with strict', () => {
    const error = (() => {
      try {
        validate([record('rows', 'counter')], { strict: true });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).exitCode).toBe(65);
    expect((error as DataError).issues).toEqual([{ pointer: '/0/name', message: '"rows": counter metrics should have "_total" suffix' }]);
  });

  it('say nothing of a file that breaks no convention', () => {
    const warn = (list: readonly DataIssue[]): void => {
      throw new Error(`unexpected warnings: ${JSON.stringify(list)}`);
    };
    validate([record('rows_read_total', 'counter'), record('latency_seconds', 'histogram'), record('build', 'info')], { warn, strict: true });
  });
});
