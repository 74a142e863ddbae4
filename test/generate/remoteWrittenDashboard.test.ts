import { readFileSync } from 'node:fs';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dataquery } from '@grafana/grafana-foundation-sdk/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { startPrometheus, type InstantSample, type Prometheus } from '../support/prometheus.js';
import { runMain } from '../support/runMain.js';

/**
 * A job written by remote write has one sample per series and run, and no staleness: a bare selector
 * finds it for Prometheus's five minutes of lookback only. Two runs of examples/training-run.json are
 * written 20 minutes apart (each with its own `dataset`, so each run is its own series); every query of
 * the dashboard's metric panels is then run at 10 minutes after the second write, with `time` set
 * ahead, as Grafana fills its variables for a dashboard of the last hour and of the last 7 days.
 */

const TRAINING = JSON.parse(readFileSync('examples/training-run.json', 'utf8')) as { labels: Record<string, string>; metrics: Record<string, unknown>[] };
const FACTOR = 2;
/** The second run: other values, and another dataset label. */
const SECOND_RUN = {
  labels: { ...TRAINING.labels, dataset: '2026-12' },
  metrics: TRAINING.metrics.map((metric) => {
    const { value } = metric;
    if (Array.isArray(value)) return { ...metric, value: value.map((v) => Number(v) * FACTOR) };
    if (typeof value === 'object' && value !== null) return metric;
    return { ...metric, value: Number(value) * FACTOR };
  }),
};
const DATASETS = [TRAINING.labels.dataset, SECOND_RUN.labels.dataset];

let prometheus: Prometheus;
/** When the second run was written, Unix seconds; the first was written 20 minutes before. */
let written: number;
let dashboard: Dashboard;
const LATER = 10 * 60;
/** Grafana's step for 7 days on a graph about 1,000 pixels wide; it aligns the range to it. */
const STEP = 600;

beforeAll(async () => {
  prometheus = await startPrometheus({ remoteWriteReceiver: true });
  // A minute after a multiple of Grafana's 10-minute step, so that on a graph the next step comes 9 minutes
  // later, past the lookback: a bare selector would draw neither run.
  written = Math.floor(Date.now() / 1000 / STEP) * STEP - STEP + 60;
  const runs = [
    ['examples/training-run.json', written - 20 * 60],
    [tempFile(SECOND_RUN), written],
  ] as const;
  for (const [file, at] of runs) {
    const run = await runMain([file, 'train', '--remote-write', `${prometheus.url}/api/v1/write`, '--timestamp', String(at)]);
    expect(run.code, run.stderr).toBe(0);
  }
  const generated = await runMain(['dashboard', 'examples/training-run.json', 'train']);
  expect(generated.code, generated.stderr).toBe(0);
  dashboard = JSON.parse(generated.stdout) as Dashboard;
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

const isRow = (panel: Panel | RowPanel): panel is RowPanel => panel.type === 'row';
/** The panels of the file's metrics: those after the health row, which reads the Pushgateway's own series. */
function metricTargets(): { title: string; query: Dataquery }[] {
  const rows = (dashboard.panels ?? []).filter(isRow);
  const panels = (dashboard.panels ?? []).flatMap((panel) => (isRow(panel) ? panel.panels : [panel]));
  const firstMetric = panels.findIndex((panel) => panel.gridPos!.y > rows.find((row) => row.title !== 'Pipeline health')!.gridPos!.y);
  return panels.slice(firstMetric).flatMap((panel) => (panel.targets as unknown as Dataquery[]).map((query) => ({ title: panel.title ?? '', query })));
}

/** Grafana's substitution; remote write stamps no namespace, so the namespace variable is empty. */
function filled(expr: string, range: Record<string, string>): string {
  const values: Record<string, string> = { namespace: '', job: 'train', ...range };
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => values[(braced ?? bare)!] ?? whole);
}

async function queryRange(expr: string, start: number, end: number, step: number): Promise<{ metric: Record<string, string>; values: [number, string][] }[]> {
  const params = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) });
  const json = (await (await fetch(`${prometheus.url}/api/v1/query_range?${params}`)).json()) as { status: string; data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
  expect(json.status, expr).toBe('success');
  return json.data.result;
}

const datasetsOf = (result: InstantSample[] | { metric: Record<string, string> }[]) => [...new Set(result.map((sample) => sample.metric.dataset))].sort();

describe('the dashboard of a job written by remote write, ten minutes after its last run', () => {
  it('finds nothing with a bare selector: the runs are past Prometheus’s lookback', async () => {
    expect(await prometheus.query('model_accuracy_ratio{job="train"}', { time: written + LATER })).toEqual([]);
    expect(await prometheus.query('model_accuracy_ratio{job="train"}', { time: written })).toHaveLength(1);
  });

  it('shows every latest value, table and bucket of both runs in the last hour', async () => {
    const instant = metricTargets().filter(({ query }) => query.instant);
    expect(instant.length).toBeGreaterThan(5);
    for (const { title, query } of instant) {
      const expr = filled(query.expr, { __range: '3600s', __rate_interval: '1m' });
      const result = await prometheus.query(expr, { time: written + LATER });
      expect(result.length, `${title}: ${expr}`).toBeGreaterThan(0);
      // The bucket counts are sums over the runs; every other latest value is one per run.
      if (!expr.startsWith('sum(')) expect(datasetsOf(result), `${title}: ${expr}`).toEqual(DATASETS);
    }
  });

  it('shows each run’s own value: the last sample of its series within the range', async () => {
    const [, latest] = metricTargets().filter(({ query }) => query.expr.includes('model_accuracy_ratio{'));
    const result = await prometheus.query(filled(latest!.query.expr, { __range: '3600s' }), { time: written + LATER });
    expect(Object.fromEntries(result.map((sample) => [sample.metric.dataset, Number(sample.value[1])]))).toEqual({ '2026-11': 0.913, '2026-12': 0.913 * FACTOR });
  });

  it('counts each bucket’s observations of both runs: 0.8, 0.95 in (0.5, 1] and 1.1, 1.4 in (1, 2], twice as large the second time', async () => {
    const buckets = metricTargets().filter(({ query }) => query.expr.startsWith('sum(last_over_time(batch_seconds_bucket'));
    const counts = await Promise.all(buckets.map(async ({ query }) => Number((await prometheus.query(filled(query.expr, { __range: '3600s' }), { time: written + LATER }))[0]!.value[1])));
    // First run: 0.8, 1.1, 0.95, 1.4 → (0.5, 1]: 2, (1, 2]: 2. Second: 1.6, 2.2, 1.9, 2.8 → (1, 2]: 2, > 2: 2.
    expect(Object.fromEntries(buckets.map(({ query }, i) => [query.legendFormat, counts[i]]))).toEqual({ '<= 0.5': 0, '(0.5, 1]': 2, '(1, 2]': 4, '> 2': 2 });
  });

  it('draws both runs on every graph of the last 7 days, at Grafana’s 10-minute step', async () => {
    const ranged = metricTargets().filter(({ query }) => query.range);
    expect(ranged.length).toBeGreaterThan(3);
    const end = Math.ceil((written + LATER) / STEP) * STEP;
    const seen = (expr: string) => queryRange(expr, end - 7 * 86_400, end, STEP).then(datasetsOf);
    expect(await seen('model_accuracy_ratio{job="train"}'), 'a bare selector misses both runs').toEqual([]);
    // Grafana's $__rate_interval for a 10-minute step and its default 15-second scrape interval.
    for (const { title, query } of ranged) {
      const expr = filled(query.expr, { __range: `${7 * 86_400}s`, __rate_interval: `${STEP + 15}s` });
      expect(await seen(expr), `${title}: ${expr}`).toEqual(DATASETS);
    }
  });
});
