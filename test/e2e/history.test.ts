import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { startPrometheus, type Prometheus } from '../support/prometheus.js';
import { backfillOpenMetrics } from '../support/promtool.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';

/**
 * `expect.history` against a real history: twelve hours of a job's runs, as Prometheus would have scraped
 * them from a Pushgateway (each run's value held until the next push, with push_time_seconds), backfilled
 * with promtool into the folder Prometheus starts on. Prometheus then scrapes a real gateway and evaluates
 * the rules the built app generated; the built app pushes with --gate and --baseline-from that Prometheus.
 */
const JOB = 'hist';
const HISTORY = [0.9, 0.91, 0.92, 0.9, 0.91, 0.92]; // median 0.91
const file = (accuracy: number) => ({
  labels: { model: 'churn' },
  metrics: [
    {
      name: 'model_accuracy_ratio',
      description: 'Accuracy on the hold-out set',
      value: accuracy,
      metric_type: 'gauge',
      expect: { history: { window: '1d', maxDrop: 0.05, maxRise: 0.5 } },
    },
  ],
});

/** One run every two hours over the last twelve, scraped every minute, ending ten minutes ago. */
function history(now: number): string {
  const scrape = 60;
  const end = now - 600;
  const start = end - HISTORY.length * 7200;
  const values: string[] = [];
  const pushTimes: string[] = [];
  for (let t = start; t < end; t += scrape) {
    const run = Math.floor((t - start) / 7200);
    values.push(`model_accuracy_ratio{job="${JOB}",model="churn"} ${HISTORY[run]} ${t}`);
    pushTimes.push(`push_time_seconds{job="${JOB}"} ${start + run * 7200} ${t}`);
  }
  return ['# TYPE model_accuracy_ratio gauge', ...values, '# TYPE push_time_seconds gauge', ...pushTimes, '# EOF', ''].join('\n');
}

const ALERT = 'HistModelAccuracyRatioBelowBaseline';
const firing = `ALERTS{alertname="${ALERT}",alertstate="firing"}`;

let gateway: Pushgateway;
let prometheus: Prometheus;
let dataDir: string;

async function push(accuracy: number, ...flags: string[]) {
  return runApp([tempFile(file(accuracy)), JOB, '--gateway', gateway.url, '--gate', ...flags]);
}

/** The queries the generated dashboard adds for the band, `$namespace` empty (this Prometheus stamps none) and `$job` the job. */
async function bandQueries(): Promise<{ expr: string; legend: string }[]> {
  const run = await runApp(['dashboard', tempFile(file(0.91)), JOB]);
  expect(run.code, run.stderr).toBe(0);
  const dashboard = JSON.parse(run.stdout) as { panels: { targets?: { expr: string; legendFormat?: string }[] }[] };
  return dashboard.panels
    .flatMap((panel) => panel.targets ?? [])
    .filter((query) => query.expr.includes(':baseline'))
    .map((query) => ({ expr: query.expr.replaceAll('$namespace', '').replaceAll('$job', JOB), legend: query.legendFormat ?? '' }));
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'simplepipe-history-'));
  backfillOpenMetrics(history(Math.floor(Date.now() / 1000)), dataDir);
  const rules = await runApp(['rules', tempFile(file(0.91)), JOB, '--format', 'prometheus']);
  expect(rules.code, rules.stderr).toBe(0);
  gateway = await startPushgateway();
  prometheus = await startPrometheus({ targets: [`127.0.0.1:${gateway.port}`], ruleFiles: { 'hist.yml': rules.stdout }, dataDir, interval: '1s' });
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await gateway?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('expect.history over a backfilled history', () => {
  it('the gate reads the baseline the history gives (the median of its runs), before the push', async () => {
    const [baseline] = await prometheus.query(`quantile_over_time(0.5, model_accuracy_ratio{job="${JOB}"}[1d])`);
    expect(Number(baseline?.value[1])).toBeCloseTo(0.91, 5);
  });

  it('validate --gate --baseline-from judges a file against it and pushes nothing', async () => {
    const far = await runApp(['validate', tempFile(file(0.7)), '--job', JOB, '--gate', '--baseline-from', prometheus.url]);
    expect(far.code, far.stderr).toBe(79);
    expect(far.stderr).toMatch(/^ {2}model_accuracy_ratio\{model="churn"\} 0\.7: -23\.1% against its baseline 0\.91 /m);
    const near = await runApp(['validate', tempFile(file(0.92)), '--job', JOB, '--gate', '--baseline-from', prometheus.url]);
    expect(near.code, near.stderr).toBe(0);
    expect(await gateway.group({ job: JOB })).toBeUndefined();
  });

  it('a run far below it: --gate --baseline-from exits 79 with the metrics pushed, and the generated rule fires', async () => {
    const run = await push(0.7, '--baseline-from', prometheus.url);
    expect(run.code, run.stderr).toBe(79);
    expect(run.stderr).toContain('1 expectation of the metric file is not met; the metrics were pushed');
    expect(run.stderr).toMatch(
      /^ {2}model_accuracy_ratio\{model="churn"\} 0\.7: -23\.1% against its baseline 0\.91 \(the median of its runs in the 1d before\), expected at most 5% below \(history\.maxDrop\)$/m,
    );
    const group = await gateway.group({ job: JOB });
    expect(group?.model_accuracy_ratio).toMatchObject({ metrics: [{ value: '0.7' }] });

    const alerts = await prometheus.eventually(firing, { timeoutMs: 90_000 });
    expect(alerts.map((alert) => alert.metric)).toEqual([{ __name__: 'ALERTS', alertname: ALERT, alertstate: 'firing', job: JOB, model: 'churn', severity: 'warning' }]);
    // The recorded baseline left the current run out: the median of the backfilled runs.
    const [recorded] = await prometheus.query(`simplepipe:model_accuracy_ratio:baseline{job="${JOB}"}`);
    expect(Number(recorded?.value[1])).toBeCloseTo(0.91, 5);

    // The dashboard's band, its variables filled in as Grafana fills them: the baseline and 5% below, 50% above.
    const band = await bandQueries();
    expect(band.map(({ legend }) => legend)).toEqual(['baseline (median of 1d)', 'baseline −5%', 'baseline +50%']);
    const values = await Promise.all(band.map(async ({ expr }) => Number((await prometheus.query(expr))[0]?.value[1])));
    expect(values[0]).toBeCloseTo(0.91, 5);
    expect(values[1]).toBeCloseTo(0.91 * 0.95, 5);
    expect(values[2]).toBeCloseTo(0.91 * 1.5, 5);
  }, 120_000);

  it('without --baseline-from, --gate checks the fixed bounds only: the same far value passes', async () => {
    const run = await push(0.7);
    expect(run.code, run.stderr).toBe(0);
  });

  it('a run near it: --gate --baseline-from exits 0, and the rule stops firing', async () => {
    const run = await push(0.9, '--baseline-from', prometheus.url);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/model_accuracy_ratio: baseline 0\.9\d*/);
    const alerts = await prometheus.eventually(firing, { timeoutMs: 90_000, until: (result) => result.length === 0 });
    expect(alerts).toEqual([]);
  }, 120_000);
});
