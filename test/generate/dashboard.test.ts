import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dataquery } from '@grafana/grafana-foundation-sdk/prometheus';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { dashboardJson, jobDashboard, jobDashboardUid, overviewDashboard } from '../../src/generate/dashboard.js';
import { rangeSteps } from '../../src/generate/dashboard/fieldStyle.js';
import type { MetricRecord } from '../../src/records.js';
import { validate } from '../../src/validate/index.js';

const SELECTOR = '{namespace="$namespace", job="$job"}';
const inRange = (series: string) => `last_over_time(${series}[$__range])`;
const inStep = (series: string) => `last_over_time(${series}[$__rate_interval])`;

const ALL_TYPES: MetricRecord[] = [
  { name: 'queue_depth', description: 'Items waiting', value: 3, metric_type: 'gauge' },
  { name: 'input_bytes_total', description: 'Bytes read', value: 1024, metric_type: 'counter' },
  { name: 'batch_seconds', description: 'Time per batch', value: [0.2, 0.7], metric_type: 'histogram', buckets: [0.5, 1] },
  { name: 'latency_seconds', description: 'Prediction latency', value: [0.01, 0.02], metric_type: 'summary' },
  { name: 'model_build', description: 'Facts about the model', value: { version: '1.0' }, metric_type: 'info' },
];

const isRow = (panel: Panel | RowPanel): panel is RowPanel => panel.type === 'row';
/** Every panel but the rows, those inside a collapsed row too, top to bottom. */
const panelsOf = (dashboard: Dashboard): Panel[] => (dashboard.panels ?? []).flatMap((p) => (isRow(p) ? p.panels : [p]));
const queries = (panel: Panel) => (panel.targets ?? []) as unknown as Dataquery[];
const exprs = (panel: Panel) => queries(panel).map((query) => query.expr);

function dashboardOf(records: MetricRecord[], job = 'train', grouping?: Record<string, string>): Dashboard {
  return jobDashboard(validate(records, { job, grouping }), { job, grouping });
}

/** The panels whose queries read the family `name` (its own series, or `_bucket`, `_sum`, `_count`). */
function panelsReading(dashboard: Dashboard, name: string): Panel[] {
  return panelsOf(dashboard).filter((panel) => exprs(panel).some((expr) => new RegExp(`\\b${name}(_bucket|_sum|_count)?\\{`).test(expr)));
}

describe('a job’s dashboard', () => {
  const dashboard = dashboardOf(ALL_TYPES);

  it('draws gauges and counters as the value per run over time and the last value in range', () => {
    for (const name of ['queue_depth', 'input_bytes_total']) {
      const [overTime, latest] = panelsReading(dashboard, name);
      expect(overTime!.type).toBe('timeseries');
      expect(exprs(overTime!)).toEqual([inStep(`${name}${SELECTOR}`)]);
      expect(queries(overTime!)[0]!.range).toBe(true);
      expect(latest!.type).toBe('stat');
      expect(exprs(latest!)).toEqual([inRange(`${name}${SELECTOR}`)]);
      expect(queries(latest!)[0]!.instant).toBe(true);
    }
  });

  it('draws a histogram as its observations per bucket, quantiles and mean per run, and its observation count', () => {
    const [buckets, quantiles, count] = panelsReading(dashboard, 'batch_seconds');
    expect(buckets!.type).toBe('bargauge');
    expect(buckets!.title).toBe('Time per batch, observations per bucket (batch_seconds)');
    const le = (bound: string) => `sum(${inRange(`batch_seconds_bucket{namespace="$namespace", job="$job", le="${bound}"}`)})`;
    expect(exprs(buckets!)).toEqual([le('0.5'), `${le('1')} - ${le('0.5')}`, `${le('+Inf')} - ${le('1')}`]);
    expect(queries(buckets!).map((q) => [q.legendFormat, q.instant, q.format])).toEqual([
      ['<= 0.5', true, undefined],
      ['(0.5, 1]', true, undefined],
      ['> 1', true, undefined],
    ]);
    expect(quantiles!.type).toBe('timeseries');
    expect(exprs(quantiles!)).toEqual([
      `histogram_quantile(0.5, ${inStep(`batch_seconds_bucket${SELECTOR}`)})`,
      `histogram_quantile(0.9, ${inStep(`batch_seconds_bucket${SELECTOR}`)})`,
      `histogram_quantile(0.99, ${inStep(`batch_seconds_bucket${SELECTOR}`)})`,
      `${inStep(`batch_seconds_sum${SELECTOR}`)} / ${inStep(`batch_seconds_count${SELECTOR}`)}`,
    ]);
    expect(queries(quantiles!).map((q) => q.refId)).toEqual(['A', 'B', 'C', 'D']);
    expect(exprs(count!)).toEqual([inRange(`batch_seconds_count${SELECTOR}`)]);
  });

  it('names the queries of a histogram with more than 26 buckets apart: A to Z, then AA', () => {
    const bounds = Array.from({ length: 30 }, (_, i) => i + 1);
    const [buckets] = panelsReading(dashboardOf([{ name: 'wide', description: 'w', value: [1], metric_type: 'histogram', buckets: bounds }]), 'wide');
    const refIds = queries(buckets!).map((q) => q.refId);
    expect(refIds.slice(24, 28)).toEqual(['Y', 'Z', 'AA', 'AB']);
    expect(new Set(refIds).size).toBe(31);
  });

  it('draws a summary as its quantiles and mean per run, and its observation count', () => {
    const [quantiles, count] = panelsReading(dashboard, 'latency_seconds');
    expect(quantiles!.type).toBe('timeseries');
    expect(exprs(quantiles!)).toEqual([inStep(`latency_seconds${SELECTOR}`), `${inStep(`latency_seconds_sum${SELECTOR}`)} / ${inStep(`latency_seconds_count${SELECTOR}`)}`]);
    expect(queries(quantiles!)[0]!.legendFormat).toContain('{{quantile}}');
    expect(exprs(count!)).toEqual([inRange(`latency_seconds_count${SELECTOR}`)]);
  });

  it('draws an info metric as a table of its labels', () => {
    const [table] = panelsReading(dashboard, 'model_build_info');
    expect(table!.type).toBe('table');
    expect(queries(table!)[0]).toMatchObject({ expr: inRange(`model_build_info${SELECTOR}`), format: 'table', instant: true });
    expect(table!.transformations).toEqual([{ id: 'organize', options: { excludeByName: { Time: true, Value: true, __name__: true } } }]);
  });

  it('describes each metric’s panels with its HELP text, and takes its unit from its name', () => {
    for (const record of ALL_TYPES) {
      const name = record.metric_type === 'info' ? `${record.name}_info` : record.name;
      for (const panel of panelsReading(dashboard, name)) expect(panel.description, panel.title).toBe(record.description);
    }
    expect(panelsReading(dashboard, 'input_bytes_total')[0]!.fieldConfig?.defaults.unit).toBe('bytes');
    expect(panelsReading(dashboard, 'latency_seconds')[0]!.fieldConfig?.defaults.unit).toBe('s');
    expect(panelsReading(dashboard, 'queue_depth')[0]!.fieldConfig?.defaults.unit).toBeUndefined();
  });

  it('gives the standard metrics their titles, ranges and outcomes', () => {
    const standard = dashboardOf([
      { name: 'model_accuracy_ratio', description: 'accuracy', value: 0.9, metric_type: 'gauge' },
      { name: 'workflow_succeeded', description: 'success', value: 1, metric_type: 'gauge' },
    ]);
    const [accuracy] = panelsReading(standard, 'model_accuracy_ratio');
    expect(accuracy!.title).toBe('Model accuracy (model_accuracy_ratio)');
    expect(accuracy!.fieldConfig?.defaults).toMatchObject({ unit: 'percentunit', min: 0, max: 1 });
    const [, outcome] = panelsReading(standard, 'workflow_succeeded').filter((p) => exprs(p)[0]!.includes('job="$job"'));
    expect(outcome!.fieldConfig?.defaults.mappings).toEqual([
      { type: 'value', options: { '0': { text: 'Failed', color: 'red', index: 0 }, '1': { text: 'Succeeded', color: 'green', index: 1 } } },
    ]);
  });

  it('opens with the pipeline’s health: last push age, last push failed, the exit handler’s outcome and duration', () => {
    const rows = (dashboard.panels ?? []).filter(isRow).map((row) => row.title);
    expect(rows).toEqual(['Pipeline health', 'Metrics 1 to 3: queue_depth to batch_seconds', 'Metrics 4 to 5: latency_seconds to model_build_info']);
    expect(dashboardOf(ALL_TYPES.slice(0, 3)).panels!.filter(isRow).map((row) => row.title)).toEqual(['Pipeline health', 'Metrics']);
    const health = panelsOf(dashboard).slice(0, 4);
    expect(health.map((panel) => exprs(panel)[0])).toEqual([
      `time() - push_time_seconds${SELECTOR}`,
      `push_failure_time_seconds${SELECTOR} > bool push_time_seconds${SELECTOR}`,
      'workflow_succeeded{namespace="$namespace", job="${job}-workflow"}',
      'workflow_duration_seconds{namespace="$namespace", job="${job}-workflow"}',
    ]);
  });

  it('reads every query from the data source variable, and makes namespace, job and each grouping label a variable', () => {
    const grouped = dashboardOf(ALL_TYPES, 'train', { instance: 'a', run: '42' });
    const variables = grouped.templating.list ?? [];
    expect(variables.map((v) => [v.name, v.type, v.current?.value])).toEqual([
      ['datasource', 'datasource', undefined],
      ['namespace', 'query', undefined],
      ['job', 'query', 'train'],
      ['instance', 'query', 'a'],
      ['run', 'query', '42'],
    ]);
    expect(variables.map((v) => v.query)).toEqual([
      'prometheus',
      'label_values(queue_depth, namespace)',
      'label_values(queue_depth{namespace="$namespace"}, job)',
      'label_values(queue_depth{namespace="$namespace", job="$job"}, instance)',
      'label_values(queue_depth{namespace="$namespace", job="$job", instance="$instance"}, run)',
    ]);
    for (const panel of panelsOf(grouped)) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const query of queries(panel)) {
        expect(query.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        if (!query.expr.includes('-workflow')) expect(query.expr).toContain('{namespace="$namespace", job="$job", instance="$instance", run="$run"');
      }
    }
  });

  it('takes a grouping label "namespace" as the namespace variable, and refuses one named "datasource"', () => {
    const dashboard = dashboardOf(ALL_TYPES, 'train', { namespace: 'team-a' });
    expect((dashboard.templating.list ?? []).map((v) => [v.name, v.current?.value])).toEqual([
      ['datasource', undefined],
      ['namespace', 'team-a'],
      ['job', 'train'],
    ]);
    expect(() => dashboardOf(ALL_TYPES, 'train', { datasource: 'x' })).toThrow(ConfigError);
  });

  it('numbers its panels uniquely and lays each family on one line of the 24-column grid', () => {
    const ids = [...(dashboard.panels ?? []).filter(isRow), ...panelsOf(dashboard)].map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    for (const panel of panelsOf(dashboard)) expect(panel.gridPos!.x + panel.gridPos!.w).toBeLessThanOrEqual(24);
    for (const record of ALL_TYPES) {
      const name = record.metric_type === 'info' ? `${record.name}_info` : record.name;
      const lines = panelsReading(dashboard, name).map((panel) => panel.gridPos!);
      expect(new Set(lines.map((pos) => pos.y)).size, name).toBe(1);
      expect(lines.reduce((sum, pos) => sum + pos.w, 0), name).toBe(24);
    }
  });

  it('carries a Grafana schemaVersion and a uid that depends on the job alone', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.uid).toBe(jobDashboardUid('train'));
    expect(dashboardOf(ALL_TYPES.slice(0, 1)).uid).toBe(dashboard.uid);
    expect(dashboardOf(ALL_TYPES, 'other').uid).not.toBe(dashboard.uid);
    expect(overviewDashboard().uid).toBe('simplepipe-overview');
  });
});

describe('expected ranges, drawn as thresholds', () => {
  const withExpectations = jobDashboard(validate(ALL_TYPES, { job: 'train' }), {
    job: 'train',
    expectedRanges: new Map([['queue_depth', { min: 1, max: 10 }]]),
    maxPushAgeSeconds: 86_400,
  });

  it('colour a metric red below min and above max, green within, and draw the bounds on its graph', () => {
    const [overTime, latest] = panelsReading(withExpectations, 'queue_depth');
    const steps = [
      { value: null, color: 'red' },
      { value: 1, color: 'green' },
      { value: 10, color: 'red' },
    ];
    expect(overTime!.fieldConfig?.defaults.thresholds?.steps).toEqual(steps);
    expect(overTime!.fieldConfig?.defaults.custom?.thresholdsStyle).toEqual({ mode: 'dashed+area' });
    expect(latest!.fieldConfig?.defaults.thresholds?.steps).toEqual(steps);
    expect(panelsReading(withExpectations, 'input_bytes_total')[0]!.fieldConfig?.defaults.custom?.thresholdsStyle).toBeUndefined();
  });

  it('colour the time since the last push red once it is older than the expected gap', () => {
    const [age] = panelsOf(withExpectations);
    expect(age!.fieldConfig?.defaults.thresholds?.steps).toEqual([
      { value: null, color: 'green' },
      { value: 86_400, color: 'red' },
    ]);
    expect(panelsOf(dashboardOf(ALL_TYPES))[0]!.fieldConfig?.defaults.thresholds?.steps).toEqual([{ value: null, color: 'text' }]);
  });

  it('keep each bound as the file wrote it, whatever the number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), (min, max) => {
        const steps = rangeSteps({ min, max });
        expect(steps.map((step) => step.value)).toEqual([null, min, max]);
        // JSON writes the shortest text that reads back as the same number (-0 as 0, which equals it).
        expect(JSON.parse(JSON.stringify(steps))[2].value === max).toBe(true);
      }),
    );
    expect(JSON.stringify(rangeSteps({ max: 86_400 }))).toContain('"value":86400,');
    expect(rangeSteps({ min: 0.9 })).toEqual([
      { value: null, color: 'red' },
      { value: 0.9, color: 'green' },
    ]);
  });
});

describe('uids', () => {
  it('are valid Grafana uids for any job name, and distinct jobs get distinct uids', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 }), (a, b) => {
        expect(jobDashboardUid(a)).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
        if (a !== b) expect(jobDashboardUid(a)).not.toBe(jobDashboardUid(b));
      }),
    );
  });
});

// Any valid file of any of the five types, with text from all of Unicode in HELP texts and label values.
const anyText = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
const anyRecord = fc
  .tuple(
    fc.constantFrom('gauge', 'counter', 'histogram', 'summary', 'info'),
    fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
    anyText,
    fc.option(anyText, { nil: undefined }),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
  )
  .map(([type, name, help, label, value]): MetricRecord => {
    const labels = label === undefined ? undefined : { l: label };
    const base = { name: `m_${type}_${name}`, description: help, ...(labels && { labels }) };
    if (type === 'info') return { ...base, metric_type: 'info', value: { v: String(value) } };
    if (type === 'histogram' || type === 'summary') return { ...base, metric_type: type, value: [value, value / 2] };
    return { ...base, metric_type: type as 'gauge' | 'counter', value };
  });
const anyFile = fc.uniqueArray(anyRecord, { minLength: 1, maxLength: 6, selector: (record) => record.name });

describe('the JSON text of any valid file’s dashboard', () => {
  it('is byte-identical when regenerated, printable ASCII, and parses back to the dashboard', () => {
    fc.assert(
      fc.property(anyFile, anyText, (records, job) => {
        const text = dashboardJson(dashboardOf(records, job));
        expect(dashboardJson(dashboardOf(structuredClone(records), job))).toBe(text);
        expect(text).toMatch(/^[\x20-\x7e\n]+$/);
        expect(text.endsWith('}\n')).toBe(true);
        // Only the SDK's marker methods on queries are not data.
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(dashboardOf(records, job))));
      }),
      { numRuns: 60 },
    );
  });

  it('writes keys sorted at every level', () => {
    const text = dashboardJson(dashboardOf(ALL_TYPES));
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (value === null || typeof value !== 'object') return;
      const keys = Object.keys(value).filter((key) => !/^\d+$/.test(key));
      expect(keys).toEqual([...keys].sort());
      Object.values(value).forEach(visit);
    };
    visit(JSON.parse(text));
  });
});
