import { describe, expect, it } from 'vitest';
import { evaluateExpressions, spec, template, type Container, type Template } from './argoTemplates.js';
import { findManifest, loadManifests } from './manifests.js';

const workflowTemplate = findManifest('WorkflowTemplate', 'push-metrics');
const templates = spec(workflowTemplate).templates;

describe.each(templates.map((t) => [t.name, t]))('the %s template', (_, pushTemplate: Template) => {
  const container = pushTemplate.container!;

  it('runs `node app.js …` from the simplepipe image, as the image’s WORKDIR /app expects', () => {
    expect(container.command).toEqual(['node']);
    expect(container.args?.[0]).toBe('app.js');
  });

  it('retries only exit 75, the temporary failure', () => {
    expect(pushTemplate.retryStrategy?.expression).toBe('asInt(lastRetry.exitCode) == 75');
    expect(Number(pushTemplate.retryStrategy?.limit)).toBeGreaterThan(0);
  });

  it('runs non-root with a read-only root filesystem, and /tmp as a writable emptyDir', () => {
    expect(pushTemplate.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(Number(pushTemplate.securityContext?.runAsUser)).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    expect(pushTemplate.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
    for (const artifact of pushTemplate.inputs?.artifacts ?? []) expect(artifact.path).toMatch(/^\/tmp\//);
  });

  it('asks for modest resources, every quantity a string', () => {
    const quantities = Object.values({ ...container.resources?.requests, ...container.resources?.limits });
    expect(quantities.length).toBeGreaterThan(0);
    for (const quantity of quantities) expect(typeof quantity).toBe('string');
  });

  it('takes the job and the gateway as parameters, the gateway defaulting to the namespace’s Pushgateway', () => {
    expect(pushTemplate.inputs?.parameters).toEqual(
      expect.arrayContaining([{ name: 'job' }, { name: 'gateway', value: 'http://pushgateway:9091' }, { name: 'remote_write', value: '' }]),
    );
    expect(container.args).toContain('{{inputs.parameters.job}}');
  });

  it('pushes to the gateway unless remote_write names a receiver, then writes there with no --gateway beside it', () => {
    const sinkArgs = (remoteWrite: string) =>
      container.args!.map((arg) =>
        evaluateExpressions(arg, { 'inputs.parameters.remote_write': remoteWrite, 'inputs.parameters.gateway': 'http://pushgateway:9091', 'inputs.parameters.status': 'Succeeded' }),
      );
    expect(sinkArgs('')).toContain('--gateway=http://pushgateway:9091');
    const remote = sinkArgs('http://mimir:8080/api/v1/push');
    expect(remote).toContain('--remote-write=http://mimir:8080/api/v1/push');
    expect(remote.filter((arg) => arg.startsWith('--gateway'))).toEqual([]);
  });
});

describe('push-metrics', () => {
  it('reads the S3 artifact `metrics` at /tmp/metric-in.json, Simplepipe’s path', () => {
    const pushMetrics = template(workflowTemplate, 'push-metrics');
    expect(pushMetrics.inputs?.artifacts).toEqual([{ name: 'metrics', path: '/tmp/metric-in.json' }]);
    expect(pushMetrics.container!.args!.slice(0, 3)).toEqual(['app.js', '/tmp/metric-in.json', '{{inputs.parameters.job}}']);
  });
});

describe('the example workflow’s exit handler', () => {
  const workflow = findManifest('Workflow', 'timed-job-');

  it('pushes the workflow’s duration and success with inline --metric flags', () => {
    const outcome = template(workflowTemplate, 'push-outcome').container!.args!;
    expect(outcome).toEqual(expect.arrayContaining(['--job', '--metric', 'workflow_duration_seconds={{inputs.parameters.duration}}']));
    expect(outcome).toContain("workflow_succeeded={{=inputs.parameters.status == 'Succeeded' ? 1 : 0}}");
    const handler = template(workflow, spec(workflow).onExit!);
    const step = handler.steps!.flat().find((s) => s.templateRef?.template === 'push-outcome')!;
    expect(step.arguments?.parameters).toEqual(
      expect.arrayContaining([
        { name: 'duration', value: '{{workflow.duration}}' },
        { name: 'status', value: '{{workflow.status}}' },
      ]),
    );
  });
});

describe('every container that runs simplepipe', () => {
  const containers: Container[] = loadManifests().flatMap((manifest) => {
    const podSpec = (manifest.object.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec;
    const argoContainers = manifest.apiVersion.startsWith('argoproj.io/') ? spec(manifest).templates.flatMap((t) => (t.container ? [t.container] : [])) : [];
    return [...(podSpec?.containers ?? []), ...argoContainers].filter((c) => c.args?.[0] === 'app.js');
  });

  it('uses one and the same image, the one docs/deploy.md tells to build', () => {
    expect(containers.length).toBeGreaterThanOrEqual(3);
    expect(new Set(containers.map((c) => c.image))).toEqual(new Set(['ghcr.io/simplepipe/simplepipe:0.1.0']));
  });
});
