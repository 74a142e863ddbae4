import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runMain } from '../support/runMain.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const STAMPED = { SIMPLEPIPE_TENANT_LABEL: 'namespace' };
const record = (labels?: Record<string, string>) => ({ name: 'accuracy', description: 'd', metric_type: 'gauge', value: 0.95, ...(labels ? { labels } : {}) });

describe('a namespace’s gateway with the tenancy stamp (SIMPLEPIPE_TENANT_LABEL, as the shipped templates set it)', () => {
  it('78: two groups differing only in --grouping namespace=… are refused, so they cannot become one series after the stamp', async () => {
    for (const namespace of ['team-a', 'team-b']) {
      const run = await runMain([tempFile([record()]), 'tenant_grouping', '--gateway', gateway.url, '--grouping', `namespace=${namespace}`], { env: STAMPED });
      expect(run.code).toBe(78);
      expect(run.stderr).toMatch(/error: --grouping namespace: "namespace" is set by the gateway's tenancy stamp \(--tenant-label namespace\)/);
    }
    expect(await gateway.group({ job: 'tenant_grouping', namespace: 'team-a' })).toBeUndefined();
    expect(await gateway.group({ job: 'tenant_grouping', namespace: 'team-b' })).toBeUndefined();
  });

  it.each([
    ['a record label', { metrics: [record({ namespace: 'team-b' })] }, /\/metrics\/0\/labels\/namespace: "namespace" is set by the gateway's tenancy stamp/],
    ['a common label', { labels: { namespace: 'team-b' }, metrics: [record()] }, /\/labels\/namespace: "namespace" is set/],
    ['exported_namespace', { metrics: [record({ exported_namespace: 'x' })] }, /\/metrics\/0\/labels\/exported_namespace: "exported_namespace" is dropped by the gateway's tenancy stamp/],
    ['an info fact', { metrics: [{ name: 'build', description: 'd', metric_type: 'info', value: { namespace: 'x' } }] }, /\/metrics\/0\/value\/namespace: "namespace" is set/],
  ])('65 naming the record: %s', async (_, file, message) => {
    const run = await runMain([tempFile(file), 'tenant_label', '--gateway', gateway.url], { env: STAMPED });
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/nothing was pushed/);
    expect(await gateway.group({ job: 'tenant_label' })).toBeUndefined();
  });

  it('65 for --label namespace=…, and validate refuses what push would', async () => {
    const push = await runMain([tempFile([record()]), 'tenant_flag', '--gateway', gateway.url, '--label', 'namespace=x'], { env: STAMPED });
    expect(push.code).toBe(65);
    expect(push.stderr).toMatch(/--label namespace: "namespace" is set/);
    const validate = await runMain(['validate', tempFile([record({ namespace: 'x' })]), '--tenant-label', 'namespace']);
    expect(validate.code).toBe(65);
  });

  it.each([
    ['no variable', [], {}],
    ['--tenant-label ""', ['--tenant-label', ''], STAMPED],
  ])('without the stamp (%s) a namespace label is pushed as before', async (how, flags, env) => {
    const job = `no_stamp_${flags.length}`;
    const run = await runMain([tempFile([record({ namespace: 'x' })]), job, '--gateway', gateway.url, ...flags], { env });
    expect(run.code).toBe(0);
    expect(await gateway.group({ job })).toBeDefined();
  });

  it('remote write, which no stamp rewrites, is not refused', async () => {
    const run = await runMain([tempFile([record({ namespace: 'x' })]), '--dry-run', '--remote-write', 'http://127.0.0.1:1/api/v1/write'], { env: STAMPED });
    expect(run.code).toBe(0);
  });
});

describe('the shipped pushers tell the CLI about the stamp', () => {
  it('every Argo template and the Seldon hook set SIMPLEPIPE_TENANT_LABEL=namespace', async () => {
    const { findManifest } = await import('../workflows/manifests.js');
    type Env = { name: string; value?: string }[];
    const templates = (findManifest('WorkflowTemplate', 'push-metrics').object.spec as { templates: { container: { env: Env } }[] }).templates;
    const hook = findManifest('Job', 'churn-classifier-push-metrics').object.spec as { template: { spec: { containers: { env: Env }[] } } };
    for (const env of [...templates.map((t) => t.container.env), hook.template.spec.containers[0]!.env]) {
      expect(env).toContainEqual({ name: 'SIMPLEPIPE_TENANT_LABEL', value: 'namespace' });
    }
  });
});
