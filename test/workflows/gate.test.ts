import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { spec, taskTemplate, template } from './argoTemplates.js';
import { exampleWorkflow, pusher, pusherArgs, replayProducer, workflowValues } from './replays.js';

/** The example workflow deploys only what passed the push's gate: a run that breaks its `expect` stops there. */
const tasks = template(exampleWorkflow, spec(exampleWorkflow).entrypoint!).dag!.tasks;
const deploy = tasks.find((task) => task.name === 'deploy');

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

describe('the example workflow’s gate', () => {
  it('deploys only after the push succeeded, the push passing --gate in extra_args', () => {
    expect(deploy?.depends).toBe(`${pusher.name}.Succeeded`);
    expect(pusher.arguments?.parameters).toContainEqual({ name: 'extra_args', value: '["--gate"]' });
  });

  it('the push template retries 75 only, so the gate’s 79 fails the task at once', () => {
    const push = taskTemplate(exampleWorkflow, pusher);
    expect(push.retryStrategy?.expression).toBe('asInt(lastRetry.exitCode) == 75');
  });

  it('replayed: a run that processed no rows (min 1) is pushed, then exits 79; one that did exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simplepipe-gate-replay-'));
    try {
      const bad = workflowValues({ gateway: gateway.url, rows: '0', job: 'timed-job-gated' });
      const { args, job } = pusherArgs(bad, await replayProducer(bad, dir));
      expect(args).toContain('--args-json=["--gate"]');
      const stopped = await runApp(args);
      expect(stopped.code, stopped.stderr).toBe(79);
      expect(stopped.stderr).toMatch(/^ {2}job_rows_processed_total\{workflow="timed-job-replay"\} 0: expected at least 1 \(min\)$/m);
      const group = await gateway.group({ job });
      expect(group?.job_rows_processed_total).toMatchObject({ metrics: [{ value: '0' }] });

      const good = workflowValues({ gateway: gateway.url, rows: '1000', job: 'timed-job-gated' });
      const passed = await runApp(pusherArgs(good, await replayProducer(good, dir)).args);
      expect(passed.code, passed.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
