import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { runMain } from '../support/runMain.js';

const EXAMPLE = 'examples/training-run.json';

describe('the dashboard command of the built app', () => {
  it('0: prints the dashboard JSON, the same bytes on every run', async () => {
    const [first, second] = await Promise.all([runMain(['dashboard', EXAMPLE, 'train']), runMain(['dashboard', EXAMPLE, '--job', 'train'])]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
    const dashboard = JSON.parse(first.stdout) as { title: string; schemaVersion: number };
    expect(dashboard.title).toBe('train (simplepipe)');
    expect(dashboard.schemaVersion).toBeGreaterThan(0);
  });

  it('0: draws the file’s expected ranges and push interval as thresholds, and says when a family’s ranges disagree', async () => {
    const file = tempFile({
      expect: { every: '1h' },
      metrics: [
        { name: 'model_accuracy_ratio', description: 'd', value: 0.95, metric_type: 'gauge', expect: { min: 0.9 } },
        { name: 'shard_rows', description: 'd', value: 5, metric_type: 'gauge', labels: { shard: 'a' }, expect: { min: 1 } },
        { name: 'shard_rows', description: 'd', value: 6, metric_type: 'gauge', labels: { shard: 'b' }, expect: { min: 2 } },
      ],
    });
    const run = await runMain(['dashboard', file, 'train']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('simplepipe: warn: "shard_rows" has records expecting different ranges; its panel draws none (a panel has one set of thresholds)\n');
    type Panel = { title?: string; targets?: { expr?: string }[]; fieldConfig?: { defaults?: { thresholds?: { steps: { value: number | null; color: string }[] } } } };
    const panels = (JSON.parse(run.stdout) as { panels: Panel[] }).panels;
    const stepsOf = (predicate: (panel: Panel) => boolean) => panels.filter(predicate).map((panel) => panel.fieldConfig?.defaults?.thresholds?.steps);
    const querying = (metric: string) => (panel: Panel) => (panel.targets ?? []).some((target) => target.expr?.includes(metric));
    const accuracy = stepsOf(querying('model_accuracy_ratio'));
    expect(accuracy.length).toBeGreaterThan(0);
    for (const steps of accuracy) expect(steps).toEqual([{ value: null, color: 'red' }, { value: 0.9, color: 'green' }]);
    for (const steps of stepsOf(querying('shard_rows'))) expect(steps?.some((step) => step.color === 'red')).toBe(false);
    const age = stepsOf(querying('time() - push_time_seconds'));
    expect(age.length).toBeGreaterThan(0);
    for (const steps of age) expect(steps?.at(-1)?.color).toBe('red');
    // The bound as the file wrote it: an hour, not the float just above it.
    expect(age.flat().map((step) => step?.value)).toContain(3600);
  });

  it('0: reads the file from stdin, and adds --metric flags as a push does', async () => {
    const run = await runMain(['dashboard', '-', 'train', '--metric', 'extra_seconds=1'], { stdin: readFileSync(EXAMPLE) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('extra_seconds{namespace=\\"$namespace\\", job=\\"$job\\"}');
  });

  it('0: --format configmap wraps the same JSON in a ConfigMap with the sidecar’s label, or the one given', async () => {
    const [json, configMap, relabelled] = await Promise.all([
      runMain(['dashboard', EXAMPLE, 'train']),
      runMain(['dashboard', EXAMPLE, 'train', '--format', 'configmap']),
      runMain(['dashboard', '--overview', '--format', 'configmap', '--configmap-label', 'example.com/dashboards=team-a']),
    ]);
    expect(configMap.code, configMap.stderr).toBe(0);
    const parsed = parse(configMap.stdout) as { metadata: { name: string; labels: Record<string, string> }; data: Record<string, string> };
    expect(parsed.metadata.name).toBe('simplepipe-job-train');
    expect(parsed.metadata.labels.grafana_dashboard).toBe('1');
    expect(parsed.data['simplepipe-job-train.json']).toBe(json.stdout);
    const other = parse(relabelled.stdout) as { metadata: { name: string; labels: Record<string, string> } };
    expect(other.metadata).toMatchObject({ name: 'simplepipe-overview', labels: { 'example.com/dashboards': 'team-a' } });
  });

  it('0: --overview needs no file', async () => {
    const run = await runMain(['dashboard', '--overview']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { uid: string }).uid).toBe('simplepipe-overview');
  });

  it('64: no file, a file with --overview, or a label Kubernetes would refuse', async () => {
    const none = await runMain(['dashboard']);
    expect(none.code).toBe(64);
    expect(none.stderr).toMatch(/no input/);
    const both = await runMain(['dashboard', '--overview', EXAMPLE]);
    expect(both.code).toBe(64);
    expect(both.stderr).toMatch(/--overview takes no file/);
    const label = await runMain(['dashboard', '--overview', '--configmap-label', 'grafana dashboard=1']);
    expect(label.code).toBe(64);
    expect(label.stderr).toMatch(/--configmap-label.*not a Kubernetes label name/);
    for (const run of [none, both, label]) expect(run.stdout).toBe('');
  });

  it('65 naming the record and field: a file that would not push', async () => {
    const run = await runMain(['dashboard', tempFile([{ name: 'x', description: 'd', value: -1, metric_type: 'counter' }]), 'train']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/\/0\/value/);
    expect(run.stdout).toBe('');
  });

  it('66: a file that does not exist', async () => {
    const run = await runMain(['dashboard', 'no/such/metrics.json', 'train']);
    expect(run.code).toBe(66);
    expect(run.stdout).toBe('');
  });

  it('78: a grouping label a push would refuse, or one named like the data source variable', async () => {
    const invalid = await runMain(['dashboard', EXAMPLE, 'train', '--grouping', 'bad-name=1']);
    expect(invalid.code).toBe(78);
    expect(invalid.stderr).toMatch(/"bad-name" is not a valid label name/);
    const datasource = await runMain(['dashboard', EXAMPLE, 'train', '--grouping', 'datasource=1']);
    expect(datasource.code).toBe(78);
    expect(datasource.stderr).toMatch(/"datasource" cannot be a variable/);
  });
});
