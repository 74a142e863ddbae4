import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runMain } from '../support/runMain.js';

/** --gate with the fixed bounds of `expect`, against a real Pushgateway. */
const training = (accuracy: number | string, rows = 200000) => ({
  labels: { model: 'churn' },
  metrics: [
    { name: 'model_accuracy_ratio', description: 'Accuracy', value: accuracy, metric_type: 'gauge', expect: { min: 0.9, max: 1 } },
    { name: 'rows_processed_total', description: 'Rows read', value: rows, metric_type: 'counter', expect: { min: 1 } },
    { name: 'run_seconds', description: 'Run time', value: 4, metric_type: 'gauge' },
  ],
});

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const pushedValue = async (job: string, metric: string) => {
  const family = (await gateway.group({ job }))?.[metric] as { metrics: { value?: string }[] } | undefined;
  return family?.metrics[0]?.value;
};

describe('push --gate', () => {
  it('exits 79 after pushing a value outside its bounds, one line per broken bound: metric, labels, value, bound', async () => {
    const run = await runMain([tempFile(training(0.85, 0)), 'gated', '--gateway', gateway.url, '--gate']);
    expect(run.code, run.stderr).toBe(79);
    expect(run.stderr).toContain('simplepipe: error: 2 expectations of the metric file are not met; the metrics were pushed: exit=79\n');
    expect(run.stderr).toContain('  model_accuracy_ratio{model="churn"} 0.85: expected at least 0.9 (min)\n');
    expect(run.stderr).toContain('  rows_processed_total{model="churn"} 0: expected at least 1 (min)\n');
    // Pushed first, so the dashboards show the run that stopped the workflow.
    expect(await pushedValue('gated', 'model_accuracy_ratio')).toBe('0.85');
    expect(await pushedValue('gated', 'run_seconds')).toBe('4');
  });

  it('NaN breaks both bounds, as the generated rules judge it', async () => {
    const run = await runMain([tempFile(training('NaN')), 'gated-nan', '--gateway', gateway.url, '--gate']);
    expect(run.code).toBe(79);
    expect(run.stderr).toContain('  model_accuracy_ratio{model="churn"} NaN: expected at least 0.9 (min)\n');
    expect(run.stderr).toContain('  model_accuracy_ratio{model="churn"} NaN: expected at most 1 (max)\n');
  });

  it('exits 0 for values within their bounds, the bounds inclusive', async () => {
    const run = await runMain([tempFile(training(0.9, 1)), 'gated-ok', '--gateway', gateway.url, '--gate']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('every value meets its "expect"');
  });

  it('without --gate, the same values push with exit 0, as before', async () => {
    const run = await runMain([tempFile(training(0.85, 0)), 'ungated', '--gateway', gateway.url]);
    expect(run.code, run.stderr).toBe(0);
  });

  it('bad data is still 65 with nothing pushed: the gate judges only what was sent', async () => {
    const run = await runMain([tempFile(training(-1, -1)), 'gated-bad', '--gateway', gateway.url, '--gate']);
    expect(run.code).toBe(65);
    expect(await gateway.group({ job: 'gated-bad' })).toBeUndefined();
  });

  it('a Prometheus that does not answer is 75 with nothing pushed: the baseline is asked before the push', async () => {
    const file = { metrics: [{ name: 'loss', description: 'Loss', value: 1, metric_type: 'gauge', expect: { history: { window: '1d', maxRise: 0.1 } } }] };
    const run = await runMain([tempFile(file), 'gated-unreachable', '--gateway', gateway.url, '--gate', '--baseline-from', 'http://127.0.0.1:1', '--retries', '0']);
    expect(run.code, run.stderr).toBe(75);
    expect(await gateway.group({ job: 'gated-unreachable' })).toBeUndefined();
  });

  it('--baseline-from or --run-label without --gate is a usage error', async () => {
    expect((await runMain([tempFile(training(0.95)), 'j', '--gateway', gateway.url, '--baseline-from', 'http://127.0.0.1:1'])).code).toBe(64);
    const run = await runMain([tempFile(training(0.95)), 'j', '--gateway', gateway.url, '--gate', '--run-label', 'model']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/--run-label needs --baseline-from/);
  });
});

describe('validate --gate', () => {
  it('checks the values without pushing: 79 outside, 0 within', async () => {
    const bad = await runMain(['validate', tempFile(training(0.5)), '--gate']);
    expect(bad.code).toBe(79);
    expect(bad.stderr).toContain('simplepipe: error: 1 expectation of the metric file is not met: exit=79\n  model_accuracy_ratio{model="churn"} 0.5: expected at least 0.9 (min)');
    expect((await runMain(['validate', tempFile(training(0.95)), '--gate'])).code).toBe(0);
    expect((await runMain(['validate', tempFile(training(0.5))])).code).toBe(0);
  });

  it('--baseline-from needs --job, to know whose history it is', async () => {
    const run = await runMain(['validate', tempFile(training(0.95)), '--gate', '--baseline-from', 'http://127.0.0.1:1']);
    expect(run.code).toBe(64);
  });
});
