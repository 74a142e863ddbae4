import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricDocument } from '../../src/records.js';
import type { GatewayFamily } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { startScrapedGateway, type ScrapedGateway } from '../support/scrapedGateway.js';
import { allTasks, taskTemplate, type Task } from './argoTemplates.js';
import { REPO_ROOT } from './manifests.js';
import { producer, pusher, pusherArgs, replayProducer, workflowValues } from './replays.js';

let servers: ScrapedGateway;
beforeAll(async () => {
  servers = await startScrapedGateway({ remoteWriteReceiver: true });
});
afterAll(() => servers?.stop());

/** A metric file without its values: what a dashboard or rule generated from it depends on, `expect` included. */
function shapeOf(file: MetricDocument) {
  return {
    labels: Object.keys(file.labels ?? {}),
    expect: file.expect,
    metrics: file.metrics.map(({ name, description, metric_type, labels, expect }) => ({
      name,
      description,
      metric_type,
      labels: Object.keys(labels ?? {}),
      expect,
    })),
  };
}

describe('the example workflow (timed-job-)', () => {
  it('is a DAG where a job writes the metric file and push-metrics pushes it after the job', () => {
    expect(producer).toBeDefined();
    expect(pusher).toBeDefined();
    expect(pusher.depends).toBe(producer.name);
    const artifact = pusher.arguments?.artifacts?.find((a) => a.name === 'metrics');
    expect(artifact?.from).toBe(`{{tasks.${producer.name}.outputs.artifacts.metrics}}`);
  });

  it('replayed locally: the job’s script writes a metric file that the built app, with the template’s args, pushes to the gateway Prometheus scrapes', async () => {
    const { gateway, prometheus } = servers;
    const globals = workflowValues({ gateway: gateway.url });
    const dir = mkdtempSync(join(tmpdir(), 'simplepipe-replay-'));

    // Step 1 as Argo runs a script template: the source in a file, run by the template's command.
    const producedFile = await replayProducer(globals, dir);
    const metricFile = JSON.parse(readFileSync(producedFile, 'utf8')) as MetricDocument;
    expect(metricFile.metrics.map((m) => m.name)).toContain('job_duration_seconds');
    // examples/timed-job.json, which the workflow's dashboard and alert rules are generated from, is a file this script writes.
    const example = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/timed-job.json'), 'utf8')) as MetricDocument;
    expect(shapeOf(metricFile)).toEqual(shapeOf(example));

    // Step 2: the push-metrics container's args; its input artifact path is where Argo puts step 1's file.
    const { args, job } = pusherArgs(globals, producedFile);
    const pushed = await runApp(args);
    expect(pushed.code, pushed.stderr).toBe(0);

    const group = (await gateway.group({ job })) as unknown as Record<string, GatewayFamily> | undefined;
    const series = (name: string) => group?.[name]?.metrics[0];
    expect(series('job_duration_seconds')?.labels.workflow).toBe('timed-job-replay');
    expect(Number(series('job_duration_seconds')?.value)).toBeGreaterThan(0);
    expect(series('job_rows_processed_total')?.value).toBe(globals['workflow.parameters.rows']);
    rmSync(dir, { recursive: true, force: true });

    // As docs/deploy.md's "What appears in Prometheus" says: scraped with honor_labels (the ServiceMonitor's
    // honorLabels), the pushed job label stays and the gateway's empty instance label is gone.
    const query = 'job_rows_processed_total{job="timed-job"}';
    await expect.poll(() => prometheus.query(query), { timeout: 30_000, interval: 250 }).toHaveLength(1);
    const [sample] = await prometheus.query(query);
    expect(sample!.metric).toEqual({ __name__: 'job_rows_processed_total', job: 'timed-job', workflow: 'timed-job-replay' });
  });
});

describe('the example workflow submitted with -p remote_write=<receiver>', () => {
  it('replayed locally: the template’s args write the same file by remote write, to the receiver and not the gateway', async () => {
    const { gateway, prometheus } = servers;
    const globals = workflowValues({ gateway: 'http://127.0.0.1:1', remote_write: `${prometheus.url}/api/v1/write`, job: 'timed-job-rw' });
    const file = join(mkdtempSync(join(tmpdir(), 'simplepipe-replay-')), 'metric-out.json');
    writeFileSync(file, JSON.stringify({ labels: { workflow: 'timed-job-replay' }, metrics: [{ name: 'job_run_seconds', description: 'run time', value: 4.2, metric_type: 'gauge' }] }));
    const { args, job } = pusherArgs(globals, file);
    expect(args.some((arg) => arg.startsWith('--gateway'))).toBe(false);
    const written = await runApp(args);
    expect(written.code, written.stderr).toBe(0);

    const [sample] = await prometheus.query(`job_run_seconds{job="${job}"}`);
    expect(sample?.metric).toEqual({ __name__: 'job_run_seconds', job: 'timed-job-rw', workflow: 'timed-job-replay' });
    expect(sample?.value[1]).toBe('4.2');
    expect(await gateway.group({ job })).toBeUndefined();
  });
});

describe('templateRefs under workflows/', () => {
  it('every task’s template exists and gets each parameter it requires, and only those it declares', () => {
    const checked: string[] = [];
    for (const { manifest, task } of allTasks()) {
      const target = taskTemplate(manifest, task);
      const declared = new Set((target.inputs?.parameters ?? []).map((p) => p.name));
      const passed = (task.arguments?.parameters ?? []).map((p) => p.name);
      expect(passed.filter((name) => !declared.has(name)), `${manifest.file} task ${task.name}`).toEqual([]);
      const missing = (target.inputs?.parameters ?? []).filter((p) => p.value === undefined && !passed.includes(p.name));
      expect(missing.map((p) => p.name), `${manifest.file} task ${task.name}`).toEqual([]);
      checked.push(describeTask(task));
    }
    expect(checked).toEqual(expect.arrayContaining(['push-metrics/push-metrics', 'push-metrics/push-outcome']));
  });
});

const describeTask = (task: Task): string => (task.templateRef ? `${task.templateRef.name}/${task.templateRef.template}` : task.template ?? '');
