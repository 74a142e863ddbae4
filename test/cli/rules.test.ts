import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempFile } from '../support/files.js';
import { promtoolCheckRules } from '../support/promtool.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runMain } from '../support/runMain.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const metrics = (withExpect: boolean) => ({
  labels: { model: 'churn-classifier' },
  ...(withExpect ? { expect: { every: '24h' } } : {}),
  metrics: [
    {
      name: 'model_accuracy_ratio',
      description: 'Accuracy on the hold-out set',
      value: 0.913,
      metric_type: 'gauge',
      ...(withExpect ? { expect: { min: 0.9, severity: 'critical' } } : {}),
    },
    { name: 'rows_processed_total', description: 'Rows read', value: 200000, metric_type: 'counter', ...(withExpect ? { expect: { min: 1 } } : {}) },
  ],
});

describe('node app.js rules', () => {
  it('0: prints a PrometheusRule that the Operator’s model and promtool accept, the same bytes each time', async () => {
    const file = tempFile(metrics(true));
    const run = await runMain(['rules', file, 'train']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/generated 5 alerting rules/);
    const resource = parse(run.stdout) as { spec: { groups: unknown[] } };
    expect(() => new PrometheusRule(resource as ConstructorParameters<typeof PrometheusRule>[0]).validate()).not.toThrow();
    expect(promtoolCheckRules({ groups: JSON.stringify({ groups: resource.spec.groups }) }).groups).toMatchObject({ ok: true });
    expect((await runMain(['rules', file, '--job', 'train'])).stdout).toBe(run.stdout);
  });

  it('0: --format prometheus prints a rule file for rule_files, with --grouping and --label in the selectors', async () => {
    const run = await runMain(['rules', tempFile(metrics(true)), 'train', '--format', 'prometheus', '--grouping', 'instance=a', '--label', 'env=prod']);
    expect(run.code, run.stderr).toBe(0);
    expect(promtoolCheckRules({ file: run.stdout }).file).toEqual({ ok: true, message: 'SUCCESS: 5 rules found' });
    expect(run.stdout).toContain(`model_accuracy_ratio{job="train",instance="a",env="prod",model="churn-classifier"}`);
  });

  it('65: a bad expect, with its JSON pointer, from rules, validate and push alike, and nothing pushed', async () => {
    const bad = metrics(true);
    bad.metrics[0]!.expect = { min: 1, max: 0.5, for: '5 minutes' } as never;
    const file = tempFile(bad);
    for (const args of [['rules', file, 'bad'], ['validate', file], [file, 'bad', '--gateway', gateway.url]]) {
      const run = await runMain(args);
      expect(run.code, args.join(' ')).toBe(65);
      expect(run.stderr).toMatch(/\/metrics\/0\/expect\/for: is not a Prometheus duration/);
    }
    const contradiction = metrics(true);
    contradiction.metrics[0]!.expect = { min: 1, max: 0.5 } as never;
    const run = await runMain([tempFile(contradiction), 'bad', '--gateway', gateway.url]);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain('/metrics/0/expect/min: is above "max" (0.5)');
    expect(await gateway.group({ job: 'bad' })).toBeUndefined();
  });

  it('0: reads every input form the push reads: JSON Lines, with a bad expect named by its line', async () => {
    const lines = metrics(true).metrics.map((record) => JSON.stringify(record));
    const run = await runMain(['rules', tempFile(`${lines.join('\n')}\n`, 'metrics.jsonl'), 'train', '--label', 'model=churn-classifier']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('model_accuracy_ratio{job="train",instance="",model="churn-classifier"} unless');
    const bad = [lines[0], JSON.stringify({ ...metrics(true).metrics[1], expect: { min: 2, max: 1 } })].join('\n');
    const refused = await runMain(['rules', tempFile(bad, 'metrics.jsonl'), 'train']);
    expect(refused.code).toBe(65);
    expect(refused.stderr).toMatch(/line 2.*expect\/min: is above "max"/);
  });

  it('65: a file that expects nothing; 64: a run label no series carries, or no job; 66: no such file', async () => {
    const nothing = await runMain(['rules', tempFile(metrics(false)), 'train']);
    expect(nothing.code).toBe(65);
    expect(nothing.stderr).toMatch(/no expectation/);
    const runLabel = await runMain(['rules', tempFile(metrics(true)), 'train', '--run-label', 'workflow']);
    expect(runLabel.code).toBe(64);
    expect(runLabel.stderr).toMatch(/--run-label workflow: no series of the metric file carries this label/);
    expect((await runMain(['rules', tempFile(metrics(true))])).code).toBe(64);
    expect((await runMain(['rules', '/no/such/file.json', 'train'])).code).toBe(66);
  });

  it('--every states how often the job pushes, for a file that cannot (a KFP file), and wins over the file’s own', async () => {
    const kfp = tempFile({ metrics: [{ name: 'accuracy-score', numberValue: 0.9, format: 'PERCENTAGE' }] });
    const fromFlag = await runMain(['rules', kfp, 'train', '--every', '2h', '--format', 'prometheus']);
    expect(fromFlag.code, fromFlag.stderr).toBe(0);
    expect(fromFlag.stdout).toContain(`expr: 'time() - push_time_seconds{job="train",instance=""} > 7200'`);
    const overridden = await runMain(['rules', tempFile(metrics(true)), 'train', '--every', '30m', '--format', 'prometheus']);
    expect(overridden.stdout).toContain('> 1800');
    expect(overridden.stdout).not.toContain('> 86400');
    const malformed = await runMain(['rules', kfp, 'train', '--every', '0']);
    expect(malformed.code).toBe(64);
    expect(malformed.stderr).toMatch(/--every <duration>.*must be longer than 0/);
  });

  it('the push ignores the records’ expect: the gateway holds the same group with and without it, but for the gauge of the file’s every', async () => {
    const withExpect = await runMain([tempFile(metrics(true)), 'train', '--dry-run']);
    const without = await runMain([tempFile(metrics(false)), 'train', '--dry-run']);
    expect(withExpect.code).toBe(0);
    const everyGauge = /\n# HELP simplepipe_group_every_seconds .*\n# TYPE simplepipe_group_every_seconds gauge\nsimplepipe_group_every_seconds 86400\n/;
    expect(withExpect.stdout).toMatch(everyGauge);
    expect(withExpect.stdout.replace(everyGauge, '')).toBe(without.stdout);

    expect((await runMain([tempFile(metrics(false)), 'plain', '--gateway', gateway.url])).code).toBe(0);
    expect((await runMain([tempFile(metrics(true)), 'expecting', '--gateway', gateway.url])).code).toBe(0);
    const families = async (job: string) => {
      const group = await gateway.group({ job });
      expect(group).toBeDefined();
      expect(group!.last_push_successful).toBe(true);
      const pushed = Object.entries(group!).filter(
        ([name]) => !['labels', 'last_push_successful', 'push_time_seconds', 'push_failure_time_seconds', 'simplepipe_group_every_seconds'].includes(name),
      );
      return JSON.stringify(pushed).replaceAll(`"job":"${job}"`, '"job":"?"').replace(/"time_stamp":"[^"]*"/g, '"time_stamp":"?"');
    };
    expect(await families('expecting')).toBe(await families('plain'));
  });
});
