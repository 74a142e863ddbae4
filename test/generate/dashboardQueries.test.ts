import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dataquery } from '@grafana/grafana-foundation-sdk/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSampleNumber, sameSampleValue, seriesKey } from '../../src/sink/pushgateway/samples.js';
import { samplesFromExposition } from '../support/exposition.js';
import { tempFile } from '../support/files.js';
import { startPrometheus, type InstantSample, type Prometheus } from '../support/prometheus.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runMain } from '../support/runMain.js';

/**
 * Every query of every panel of the generated dashboards, with its variables filled in as Grafana fills
 * them, run against a real Prometheus that scraped real Pushgateways after pushes through dist/app.js.
 * Two namespaces (one gateway each, the namespace stamped on every series as workflows/ scrapes it),
 * and in the dashboard's namespace a second job pushing the same metric names with other values: a
 * query that leaked across jobs or namespaces would return other series or other values.
 */

const TRAINING = JSON.parse(readFileSync('examples/training-run.json', 'utf8')) as { labels: Record<string, string>; metrics: Record<string, unknown>[] };

/** The same file with every value changed: what another job or team pushes under the same names. */
function otherValues(factor: number): string {
  const metrics = TRAINING.metrics.map((metric) => {
    const value = metric.value;
    if (Array.isArray(value)) return { ...metric, value: value.map((v) => Number(v) * factor) };
    if (typeof value === 'object' && value !== null) return { ...metric, value: { ...value, version: `${factor}.0.0` } };
    return { ...metric, value: Number(value) * factor };
  });
  return tempFile({ ...TRAINING, metrics });
}

interface Push {
  namespace: 'team-a' | 'team-b';
  job: string;
  args: string[];
}

const outcome = (job: string, seconds: number, succeeded: 0 | 1): string[] => [
  '--job', job, '--metric', `workflow_duration_seconds=${seconds}`, '--metric', `workflow_succeeded=${succeeded}`,
  '--label', `status=${succeeded ? 'Succeeded' : 'Failed'}`,
];

const PUSHES: Push[] = [
  { namespace: 'team-a', job: 'train', args: ['examples/training-run.json', 'train', '--grouping', 'instance=a'] },
  { namespace: 'team-a', job: 'other', args: [otherValues(3), 'other', '--grouping', 'instance=a'] },
  { namespace: 'team-a', job: 'timed-job', args: ['examples/timed-job.json', 'timed-job'] },
  { namespace: 'team-a', job: 'train-workflow', args: outcome('train-workflow', 12.5, 1) },
  { namespace: 'team-a', job: 'other-workflow', args: outcome('other-workflow', 30, 0) },
  { namespace: 'team-a', job: 'timed-job-workflow', args: outcome('timed-job-workflow', 7, 1) },
  { namespace: 'team-b', job: 'train', args: [otherValues(5), 'train', '--grouping', 'instance=a'] },
  { namespace: 'team-b', job: 'train-workflow', args: outcome('train-workflow', 99, 0) },
];

/**
 * The scrape of workflows/prometheus/prometheus.yml for `namespace` (honor_labels, then the namespace
 * stamped on every series), with the gateway of the test as a static target instead of discovered.
 */
function scrapeOf(namespace: string, port: number): Record<string, unknown> {
  const config = parse(readFileSync('workflows/prometheus/prometheus.yml', 'utf8')) as { scrape_configs: Record<string, unknown>[] };
  const job = config.scrape_configs.find((scrape) => scrape.job_name === `pushgateway-${namespace}`);
  expect(job, `the scrape job of ${namespace}`).toBeDefined();
  const { job_name, honor_labels, metric_relabel_configs } = job!;
  return { job_name, honor_labels, metric_relabel_configs, static_configs: [{ targets: [`127.0.0.1:${port}`] }] };
}

let gateways: Record<Push['namespace'], Pushgateway>;
let prometheus: Prometheus;
let pushedAt: number;
/** `namespace/job` → the samples its push sent, from the app's own --dry-run of the same arguments. */
const sent = new Map<string, ReturnType<typeof samplesFromExposition>>();

beforeAll(async () => {
  const [a, b] = await Promise.all([startPushgateway(), startPushgateway()]);
  gateways = { 'team-a': a, 'team-b': b };
  prometheus = await startPrometheus({
    scrapeConfigs: Object.entries(gateways).map(([namespace, gateway]) => scrapeOf(namespace, gateway.port)),
  });
  pushedAt = Date.now() / 1000;
  for (const push of PUSHES) {
    const dryRun = await runMain([...push.args, '--dry-run']);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    sent.set(`${push.namespace}/${push.job}`, samplesFromExposition(dryRun.stdout));
    const run = await runMain([...push.args, '--gateway', gateways[push.namespace].url]);
    expect(run.code, run.stderr).toBe(0);
  }
  const scraped = await prometheus.eventually('count(push_time_seconds)', { until: (r) => r[0]?.value[1] === String(PUSHES.length) });
  expect(scraped[0]?.value[1]).toBe(String(PUSHES.length));
});

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all(Object.values(gateways ?? {}).map((gateway) => gateway.stop()));
});

async function generate(args: string[]): Promise<Dashboard> {
  const run = await runMain(['dashboard', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Dashboard;
}

const isRow = (panel: Panel | RowPanel): panel is RowPanel => panel.type === 'row';
/** Every panel but the rows, those inside a collapsed row too. */
const panelsOf = (dashboard: Dashboard): Panel[] => (dashboard.panels ?? []).flatMap((p) => (isRow(p) ? p.panels : [p]));

/** Grafana's substitution of single-valued variables: `$name` and `${name}`; unknown names stay as written. */
/** `last_over_time(x{...}[window])` → `x{...}`, wherever it occurs. */
function withoutLastOverTime(expr: string): string {
  return expr.replace(/last_over_time\(([^[()]*)\[[^\]]+\]\)/g, '$1');
}

/** Grafana's range variables, as it fills them for a dashboard of the last hour. */
const RANGE_VARIABLES = { __range: '3600s', __rate_interval: '1m' };

function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => values[(braced ?? bare)!] ?? whole);
}

/**
 * The value each variable takes: `initial` if given, else its selection when the dashboard opens. Each
 * value is checked against what the variable's label_values query lists in Prometheus.
 */
async function variableValues(dashboard: Dashboard, namespace: string): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const variable of dashboard.templating.list ?? []) {
    if (variable.type === 'datasource') {
      expect(variable.query).toBe('prometheus');
      continue;
    }
    const definition = /^label_values\((.+), (\w+)\)$/.exec(String(variable.query));
    expect(definition, `variable ${variable.name}`).not.toBeNull();
    const [, match, label] = definition!;
    expect(label).toBe(variable.name);
    const options = await prometheus.labelValues(label!, interpolate(match!, values));
    values[variable.name] = variable.name === 'namespace' ? namespace : String(variable.current?.value);
    expect(options, `options of $${variable.name}`).toContain(values[variable.name]);
  }
  return values;
}

interface Checked {
  expr: string;
  result: InstantSample[];
}

/** Runs every target of every panel; the datasource of each panel and target is the dashboard's variable. */
async function runEveryQuery(dashboard: Dashboard, values: Record<string, string>): Promise<Checked[]> {
  const checked: Checked[] = [];
  for (const panel of panelsOf(dashboard)) {
    expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
    expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    for (const target of (panel.targets ?? []) as unknown as Dataquery[]) {
      expect(target.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      const expr = interpolate(target.expr, { ...RANGE_VARIABLES, ...values });
      expect(expr, `${panel.title}: a variable left unfilled`).not.toMatch(/\$(?!1\b)/);
      checked.push({ expr, result: await prometheus.query(expr) });
    }
  }
  return checked;
}

/** `{a="x", b="y"}` → its matchers; only `=` matchers are read (the job dashboards use no other). */
function equalities(selector: string): Record<string, string> {
  return Object.fromEntries([...selector.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

function withoutLabels(metric: Record<string, string>, drop: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metric).filter(([name]) => name !== '__name__' && !Object.hasOwn(drop, name)));
}

/** The samples the push of `selector`'s namespace and job sent, by series key. */
function sentFor(selector: Record<string, string>): Map<string, number> {
  const samples = sent.get(`${selector.namespace}/${selector.job}`);
  expect(samples, `a push of ${selector.namespace}/${selector.job}`).toBeDefined();
  return new Map(samples!.map((sample) => [sample.series, sample.value]));
}

/** Each returned series carries exactly the selector's labels: nothing from another job, group or namespace. */
function expectOnlySelected(result: InstantSample[], selector: Record<string, string>, expr: string): void {
  for (const sample of result) for (const [label, value] of Object.entries(selector)) expect(sample.metric[label], `${expr}: ${label}`).toBe(value);
}

const value = (sample: InstantSample): number => parseSampleNumber(sample.value[1]);

/** Buckets of one histogram series as pushed: upper bound → cumulative count, ascending. */
function bucketsOf(expected: Map<string, number>, name: string, labels: Record<string, string>): [number, number][] {
  const buckets: [number, number][] = [];
  for (const [series, count] of expected) {
    const le = /"le","([^"]+)"/.exec(series)?.[1];
    if (le !== undefined && seriesKey(`${name}_bucket`, { ...labels, le }) === series) buckets.push([parseSampleNumber(le), count]);
  }
  return buckets.sort((x, y) => x[0] - y[0]);
}

/**
 * What each form of query the generator writes must return, given what was pushed. A form without a
 * check here fails the test: a new kind of panel needs its own expectation.
 */
function expectPushedValues({ expr: query, result }: Checked): void {
  const now = Date.now() / 1000;
  let m: RegExpExecArray | null;
  expect(result.length, `${query} returned nothing`).toBeGreaterThan(0);
  // The last sample in range of a scraped series is its current one: the checks below read the bare selector.
  const expr = withoutLastOverTime(query);

  if ((m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})$/.exec(expr))) {
    const [, name, selectorText] = m;
    const selector = equalities(selectorText!);
    expectOnlySelected(result, selector, expr);
    const expected = [...sentFor(selector)].filter(([series]) => series.startsWith(`${name}[`));
    const actual = result.map((sample) => [seriesKey(name!, withoutLabels(sample.metric, selector)), value(sample)] as const);
    expect(actual.map(([series]) => series).sort(), expr).toEqual(expected.map(([series]) => series).sort());
    for (const [series, v] of actual) expect(sameSampleValue(v, new Map(expected).get(series)!), `${expr} ${series}: ${v}`).toBe(true);
  } else if ((m = /^time\(\) - push_time_seconds(\{[^}]*\})$/.exec(expr))) {
    const selector = equalities(m[1]!);
    expectOnlySelected(result, selector, expr);
    expect(result).toHaveLength(1);
    expect(value(result[0]!)).toBeGreaterThanOrEqual(0);
    expect(value(result[0]!)).toBeLessThanOrEqual(now - pushedAt + 5);
  } else if ((m = /^push_failure_time_seconds(\{[^}]*\}) > bool push_time_seconds\1$/.exec(expr))) {
    expectOnlySelected(result, equalities(m[1]!), expr);
    expect(result.map(value)).toEqual([0]);
  } else if ((m = /^sum\((\w+)_bucket\{([^}]*), le="([^"]+)"\}\)(?: - sum\(\1_bucket\{\2, le="([^"]+)"\}\))?$/.exec(expr))) {
    // One bucket's observations: the cumulative count at its bound less the one at the bound below.
    const [, name, selectorText, le, below] = m;
    const totals = new Map<number, number>();
    for (const [series, count] of sentFor(equalities(selectorText!))) {
      const bound = /"le","([^"]+)"/.exec(series);
      if (series.startsWith(`${name}_bucket[`) && bound) totals.set(parseSampleNumber(bound[1]!), (totals.get(parseSampleNumber(bound[1]!)) ?? 0) + count);
    }
    const expected = totals.get(parseSampleNumber(le!))! - (below === undefined ? 0 : totals.get(parseSampleNumber(below))!);
    expect(Number.isNaN(expected), `${expr}: a bound the push did not send`).toBe(false);
    expect(result.map(value), expr).toEqual([expected]);
  } else if ((m = /^histogram_quantile\(([\d.]+), (\w+)_bucket(\{[^}]*\})\)$/.exec(expr))) {
    const [, q, name, selectorText] = m;
    const selector = equalities(selectorText!);
    expectOnlySelected(result, selector, expr);
    const expected = sentFor(selector);
    for (const sample of result) {
      const buckets = bucketsOf(expected, name!, withoutLabels(sample.metric, selector));
      const total = buckets.at(-1)![1];
      // The quantile lies in the bucket where the cumulative count first reaches q × total; Prometheus
      // interpolates inside it, and answers the highest finite bound when that bucket is +Inf.
      const at = buckets.findIndex(([, count]) => count >= Number(q) * total);
      const lower = at === 0 ? 0 : buckets[at - 1]![0];
      const upper = buckets[at]![0] === Number.POSITIVE_INFINITY ? lower : buckets[at]![0];
      expect(value(sample), expr).toBeGreaterThanOrEqual(lower);
      expect(value(sample), expr).toBeLessThanOrEqual(upper);
    }
  } else if ((m = /^(\w+)_sum(\{[^}]*\}) \/ \1_count\2$/.exec(expr))) {
    const [, name, selectorText] = m;
    const selector = equalities(selectorText!);
    expectOnlySelected(result, selector, expr);
    const expected = sentFor(selector);
    for (const sample of result) {
      const labels = withoutLabels(sample.metric, selector);
      const mean = expected.get(seriesKey(`${name}_sum`, labels))! / expected.get(seriesKey(`${name}_count`, labels))!;
      expect(value(sample), expr).toBeCloseTo(mean, 12);
    }
  } else throw new Error(`no expectation for the query ${expr}: add one`);
}

describe('the dashboard of a metric file, every query run against the pushed series', () => {
  it.each([
    ['examples/training-run.json', 'train', ['--grouping', 'instance=a']],
    ['examples/timed-job.json', 'timed-job', []],
  ])('%s as job %s: each query returns the series the push sent, with their values, and nothing else', async (file, job, flags) => {
    const dashboard = await generate([file, job, ...flags]);
    const values = await variableValues(dashboard, 'team-a');
    expect(values).toMatchObject({ namespace: 'team-a', job });
    const checked = await runEveryQuery(dashboard, values);
    for (const query of checked) expectPushedValues(query);
    const kinds = new Set(panelsOf(dashboard).map((p) => p.type));
    if (file.includes('training')) expect([...kinds].sort()).toEqual(['bargauge', 'stat', 'table', 'timeseries']);
  });

  it('the grouping label is a variable, and a group’s queries select only it', async () => {
    const dashboard = await generate(['examples/training-run.json', 'train', '--grouping', 'instance=a']);
    const variables = (dashboard.templating.list ?? []).map((variable) => variable.name);
    expect(variables).toEqual(['datasource', 'namespace', 'job', 'instance']);
    const exprs = panelsOf(dashboard).flatMap((p) => (p.targets as unknown as Dataquery[]).map((t) => t.expr));
    const ofGroup = exprs.filter((expr) => !expr.includes('-workflow'));
    for (const expr of ofGroup) expect(expr).toContain('instance="$instance"');
  });
});

describe('the overview dashboard, every query run against the pushed series', () => {
  it('shows each job of the namespace once, the exit handler’s outcome under its job, nothing of the other namespace', async () => {
    const dashboard = await generate(['--overview']);
    const values = await variableValues(dashboard, 'team-a');
    const checked = await runEveryQuery(dashboard, values);
    const jobs = PUSHES.filter((push) => push.namespace === 'team-a' && !push.job.endsWith('-workflow')).map((push) => push.job).sort();
    const outcomes = Object.fromEntries(
      PUSHES.filter((push) => push.namespace === 'team-a' && push.job.endsWith('-workflow')).map((push) => {
        const samples = sent.get(`team-a/${push.job}`)!;
        const of = (name: string) => samples.find((sample) => sample.series.startsWith(`${name}[`))!.value;
        return [push.job.replace(/-workflow$/, ''), { duration: of('workflow_duration_seconds'), succeeded: of('workflow_succeeded') }];
      }),
    );
    const now = Date.now() / 1000;
    for (const { expr, result } of checked) {
      expect(result.length, expr).toBeGreaterThan(0);
      const byJob = Object.fromEntries(result.map((sample) => [sample.metric.job!, value(sample)]));
      if (expr.startsWith('time() - max by (job) (push_time_seconds')) {
        expect(Object.keys(byJob).sort(), expr).toEqual(jobs);
        for (const age of Object.values(byJob)) expect(age).toBeLessThanOrEqual(now - pushedAt + 5);
      } else if (expr.startsWith('max by (job) (push_failure_time_seconds')) {
        expect(byJob, expr).toEqual(Object.fromEntries(jobs.map((job) => [job, 0])));
      } else if (expr.includes('workflow_duration_seconds')) {
        expect(byJob, expr).toEqual(Object.fromEntries(Object.entries(outcomes).map(([job, o]) => [job, o.duration])));
      } else if (expr.includes('workflow_succeeded')) {
        expect(byJob, expr).toEqual(Object.fromEntries(Object.entries(outcomes).map(([job, o]) => [job, o.succeeded])));
      } else throw new Error(`no expectation for the query ${expr}: add one`);
    }
    expect(checked.length).toBeGreaterThanOrEqual(4);
  });
});
