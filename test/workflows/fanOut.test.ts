import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushgateway, type GatewayFamily, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { evaluateExpressions, inputValues, spec, substitute, taskTemplate, template, type Template } from './argoTemplates.js';
import { findManifest } from './manifests.js';

/**
 * workflows/example-fan-out.workflow.yaml replayed on this machine as Argo would run it: for each item of the
 * fanned-out task, the score step's script run by Node, then the push-metrics container's args handed to the
 * built app, against a real gateway. Each split must land in a group of its own.
 */
const workflow = findManifest('Workflow', 'fan-out-');
const pushMetrics = template(findManifest('WorkflowTemplate', 'push-metrics'), 'push-metrics');
const fanned = template(workflow, spec(workflow).entrypoint!).dag!.tasks.find((task) => task.withItems)!;
const perItem = taskTemplate(workflow, fanned);
const runTask = perItem.dag!.tasks.find((task) => task.name === 'run')!;
const pushTask = perItem.dag!.tasks.find((task) => task.templateRef?.template === 'push-metrics')!;

let gateway: Pushgateway;
let dir: string;
beforeAll(async () => {
  gateway = await startPushgateway();
  dir = mkdtempSync(join(tmpdir(), 'simplepipe-fan-out-'));
});
afterAll(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The container's args with Argo's `{{...}}` resolved, the artifact's path replaced by `input`; `app.js` dropped. */
function containerArgs(target: Template, inputs: Record<string, string>, input: string): string[] {
  const artifactPath = target.inputs!.artifacts![0]!.path!;
  const [script, ...args] = target.container!.args!.map((arg) => substitute(evaluateExpressions(arg, inputs), inputs).replaceAll(artifactPath, input));
  expect(script).toBe('app.js');
  return args;
}

async function replaySplit(item: string, globals: Record<string, string>): Promise<{ args: string[]; code: number | null; stderr: string }> {
  const splitInputs = inputValues(fanned, perItem, { ...globals, item });
  const scoped = { ...globals, ...splitInputs };
  const score = taskTemplate(workflow, runTask);
  const scoreInputs = inputValues(runTask, score, scoped);
  const output = score.outputs!.artifacts![0]!.path!;
  const file = join(dir, `${item}.json`);
  const script = join(dir, `${item}.js`);
  writeFileSync(script, substitute(score.script!.source, { ...globals, ...scoreInputs }).replaceAll(output, file));
  const produced = await runApp([], { script });
  expect(produced.code, produced.stderr).toBe(0);

  const args = containerArgs(pushMetrics, inputValues(pushTask, pushMetrics, scoped), file);
  const run = await runApp(args);
  return { args, code: run.code, stderr: run.stderr };
}

describe('the fan-out example, replayed', () => {
  it('pushes each split of one job into a group of its own, with the labels and the TTL the template passes', async () => {
    const globals = { 'workflow.name': 'fan-out-replay', 'workflow.parameters.job': 'churn-evaluation', 'workflow.parameters.gateway': gateway.url };
    expect(fanned.withItems!.length).toBeGreaterThan(1);
    const runs = await Promise.all(fanned.withItems!.map((item) => replaySplit(item, globals)));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);

    const groups = (await gateway.groups()).filter((group) => group.labels.job === 'churn-evaluation');
    expect(groups.map((group) => group.labels.split).sort()).toEqual([...fanned.withItems!].sort());
    for (const group of groups) {
      const rows = (group.rows_scored_total as GatewayFamily).metrics;
      expect(rows).toEqual([{ labels: { instance: '', job: 'churn-evaluation', split: group.labels.split, model: 'churn-classifier' }, value: expect.any(String) }]);
      expect((group.simplepipe_group_ttl_seconds as GatewayFamily).metrics[0]!.value).toBe('604800');
    }
    expect(new Set(groups.map((group) => (group.rows_scored_total as GatewayFamily).metrics[0]!.value)).size).toBe(3);
  });
});

describe('the push-metrics template’s parameters', () => {
  const defaults = Object.fromEntries((pushMetrics.inputs!.parameters ?? []).map((p) => [`inputs.parameters.${p.name}`, p.value ?? '']));

  it('take grouping labels, labels, the input format and extra arguments, and by default change nothing', () => {
    expect(pushMetrics.inputs!.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['grouping', 'labels', 'format', 'extra_args']));
    expect(containerArgs(pushMetrics, { ...defaults, 'inputs.parameters.job': 'j' }, 'in.json')).toEqual([
      'in.json',
      'j',
      '--gateway=http://pushgateway:9091',
      '--grouping={}',
      '--label={}',
      '--format=auto',
      '--args-json=[]',
    ]);
  });

  it('hand each extra argument over whole, spaces and quotes kept, and read a JSON Lines file when told', async () => {
    const file = join(dir, 'lines.txt');
    writeFileSync(file, '{"name": "lines_total", "description": "d", "value": 3, "metric_type": "counter"}\n');
    const inputs = {
      ...defaults,
      'inputs.parameters.job': 'params',
      'inputs.parameters.gateway': gateway.url,
      'inputs.parameters.grouping': '{"shard": "a b", "run": "7"}',
      'inputs.parameters.labels': '{"note": "say \\"hi\\""}',
      'inputs.parameters.format': 'jsonl',
      'inputs.parameters.extra_args': '["--label", "team=x y", "--ttl", "2h", "--verify"]',
    };
    const run = await runApp(containerArgs(pushMetrics, inputs, file));
    expect(run.code, run.stderr).toBe(0);
    const group = await gateway.group({ job: 'params', shard: 'a b', run: '7' });
    expect((group!.lines_total as GatewayFamily).metrics[0]!.labels).toMatchObject({ note: 'say "hi"', team: 'x y' });
    expect((group!.simplepipe_group_ttl_seconds as GatewayFamily).metrics[0]!.value).toBe('7200');
  });

  it('refuse extra arguments that are not a JSON array of strings, and labels that are not a JSON object of strings (64)', async () => {
    for (const [name, value] of [
      ['extra_args', '--verify'],
      ['extra_args', '[1]'],
      ['labels', '{"a": 1}'],
      ['grouping', '{"a": '],
    ]) {
      const run = await runApp(containerArgs(pushMetrics, { ...defaults, 'inputs.parameters.job': 'bad', [`inputs.parameters.${name}`]: value! }, join(dir, 'none.json')));
      expect(run.code, `${name}=${value}: ${run.stderr}`).toBe(64);
    }
  });
});
