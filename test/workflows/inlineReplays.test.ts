import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayFamily } from '../support/pushgateway.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { startS3, type S3Server } from '../support/s3.js';
import { findManifest } from './manifests.js';
import { exitHandlerArgs } from './replays.js';

let gateway: Pushgateway;
let s3: S3Server;
beforeAll(async () => {
  [gateway, s3] = await Promise.all([startPushgateway(), startS3()]);
});
afterAll(async () => {
  await Promise.all([gateway?.stop(), s3?.stop()]);
});

const family = (group: unknown, name: string) => (group as Record<string, GatewayFamily> | undefined)?.[name];

describe('the example workflow’s onExit handler, replayed with the built app', () => {
  async function replay(status: string, duration: string) {
    const { args, job } = exitHandlerArgs(gateway.url, status, duration);
    const run = await runApp(args);
    expect(run.code, run.stderr).toBe(0);
    return gateway.group({ job });
  }

  it('pushes the workflow’s duration and 1 for success, with the status as a label', async () => {
    const group = await replay('Succeeded', '12.5');
    expect(family(group, 'workflow_duration_seconds')?.metrics).toEqual([
      { labels: { instance: '', job: 'timed-job-workflow', status: 'Succeeded' }, value: '12.5' },
    ]);
    expect(family(group, 'workflow_succeeded')?.metrics[0]?.value).toBe('1');
  });

  it('pushes 0 for a failed workflow, replacing the earlier outcome', async () => {
    const group = await replay('Failed', '3');
    expect(family(group, 'workflow_succeeded')?.metrics).toEqual([
      { labels: { instance: '', job: 'timed-job-workflow', status: 'Failed' }, value: '0' },
    ]);
  });
});

describe('the Seldon post-deploy hook Job, replayed against a real S3-protocol server', () => {
  const job = findManifest('Job', 'churn-classifier-push-metrics');
  const container = (job.object.spec as { template: { spec: { containers: { args: string[]; env: { name: string; value?: string }[] }[] } } })
    .template.spec.containers[0]!;

  it('fetches its metric file from s3:// with the Job’s own args and env, and pushes it', async () => {
    const [script, input, ...rest] = container.args;
    expect(script).toBe('app.js');
    const { bucket, key } = /^s3:\/\/(?<bucket>[^/]+)\/(?<key>.+)$/.exec(input!)!.groups!;
    await s3.createBucket(bucket!);
    await s3.putObject(bucket!, key!, JSON.stringify([{ name: 'model_auc', description: 'AUC of the deployed model', value: 0.87, metric_type: 'gauge' }]));

    // The Job's own env, with the cluster's MinIO endpoint and Secret values swapped for the local server's.
    const env: Record<string, string> = Object.fromEntries(container.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
    env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    Object.assign(env, { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' });
    const args = rest.map((arg, i) => (rest[i - 1] === '--gateway' ? gateway.url : arg));

    const run = await runApp([input!, ...args], { env });
    expect(run.code, run.stderr).toBe(0);
    const jobName = rest[0]!;
    const group = await gateway.group({ job: jobName });
    expect(family(group, 'model_auc')?.metrics).toEqual([
      { labels: { instance: '', job: jobName, model: 'churn-classifier' }, value: '0.87' },
    ]);
  });
});
