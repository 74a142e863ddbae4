import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempFile } from '../support/files.js';
import { runMain } from '../support/runMain.js';

describe('rules --namespace without a file: the rules that watch the namespace’s gateway', () => {
  it('0: one rule group, every selector in the namespace, the same bytes each time', async () => {
    const run = await runMain(['rules', '--namespace', 'team-x', '--format', 'prometheus']);
    expect(run.code, run.stderr).toBe(0);
    const { groups } = parse(run.stdout) as { groups: { name: string; rules: { alert: string; expr: string }[] }[] };
    expect(groups.map((group) => group.name)).toEqual(['simplepipe/namespace/team-x']);
    expect(groups[0]!.rules.map((rule) => rule.alert)).toEqual(['PushgatewayDown', 'PushgatewayNotScraped', 'PushgatewayGroupPastTtl', 'PushgatewayGroupPastEvery']);
    for (const rule of groups[0]!.rules) expect(rule.expr).toContain('namespace="team-x"');
    expect((await runMain(['rules', '--namespace', 'team-x', '--format', 'prometheus'])).stdout).toBe(run.stdout);
  });

  it('64: flags that describe a file, with no file; an empty namespace', async () => {
    const run = await runMain(['rules', '--namespace', 'team-x', '--grouping', 'a=b']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/take no --grouping/);
    expect((await runMain(['rules', '--namespace', ''])).code).toBe(64);
  });

  it('with a file, --namespace still means the job’s own rules in that namespace', async () => {
    const file = tempFile({ expect: { every: '1h' }, metrics: [{ name: 'rows_total', description: 'd', value: 1, metric_type: 'counter' }] });
    const run = await runMain(['rules', file, 'train', '--namespace', 'team-x', '--format', 'prometheus']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('TrainGroupStale');
  });
});
