import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { trainingDocument, trainingSnapshot } from '../watch/harness.js';
import { evaluateExpressions, spec, substitute, template, type Container } from './argoTemplates.js';
import { findManifest } from './manifests.js';

interface Mount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface WatchedContainer extends Container {
  name: string;
  restartPolicy?: string;
  env?: { name: string; value?: string }[];
  volumeMounts?: Mount[];
}

const argo = template(findManifest('WorkflowTemplate', 'watch-metrics'), 'run-watched') as ReturnType<typeof template> & { sidecars: WatchedContainer[] };
const job = findManifest('Job', 'churn-classifier-train');
const podSpec = (job.object.spec as { template: { spec: { initContainers: WatchedContainer[]; containers: WatchedContainer[]; terminationGracePeriodSeconds: number } } }).template.spec;

/** The pairs of a watched job: the container that writes the file, and the sidecar that pushes it. */
const pairs: [string, WatchedContainer, WatchedContainer][] = [
  ['the Argo template run-watched', argo.container as WatchedContainer, argo.sidecars[0]!],
  ['the native-sidecar Job', podSpec.containers[0]!, podSpec.initContainers[0]!],
];

const watchedPath = (sidecar: WatchedContainer): string => sidecar.args![2]!;

describe.each(pairs)('%s', (_, main, sidecar) => {
  it('runs `node app.js watch <file> <job>` beside the job, the file being the one the job is told to write', () => {
    expect(sidecar.command).toEqual(['node']);
    expect(sidecar.args?.slice(0, 2)).toEqual(['app.js', 'watch']);
    expect(main.env?.find((variable) => variable.name === 'METRICS_FILE')?.value).toBe(watchedPath(sidecar));
  });

  it('shares the file’s directory with the job through one volume, which the sidecar only reads', () => {
    const directory = watchedPath(sidecar).replace(/\/[^/]+$/, '');
    const mainMount = main.volumeMounts?.find((mount) => mount.mountPath === directory);
    const sidecarMount = sidecar.volumeMounts?.find((mount) => mount.mountPath === directory);
    expect(mainMount?.name).toBeDefined();
    expect(sidecarMount).toEqual({ name: mainMount!.name, mountPath: directory, readOnly: true });
  });

  it('gives the final push a --deadline inside the 30 s grace period after SIGTERM', () => {
    const deadline = sidecar.args!.find((arg) => arg.startsWith('--deadline='));
    expect(Number(/^--deadline=(\d+)s$/.exec(deadline ?? '')?.[1])).toBeLessThan(30);
  });
});

it('the native sidecar is an init container with restartPolicy: Always, the Job’s grace period covering its final push', () => {
  expect(podSpec.initContainers[0]!.restartPolicy).toBe('Always');
  expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
});

it('the Argo template shares an emptyDir between the main container and the sidecar', () => {
  const mount = argo.sidecars[0]!.volumeMounts![0]!;
  expect(spec(findManifest('WorkflowTemplate', 'watch-metrics')).templates[0]!.volumes?.find((volume) => volume.name === mount.name)?.emptyDir).toBeDefined();
});

describe('the sidecars’ command lines, run against a real Pushgateway', () => {
  let gateway: Pushgateway;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  /** A sidecar's args as the pod would run them, the file and gateway moved to this machine. */
  function replayed(sidecar: WatchedContainer, parameters: Record<string, string>, path: string): string[] {
    return sidecar
      .args!.slice(1)
      .map((arg) => substitute(evaluateExpressions(arg, parameters), parameters))
      .map((arg) => (arg === watchedPath(sidecar) ? path : arg.replace(/^--gateway=http:\/\/pushgateway:9091$/, `--gateway=${gateway.url}`)));
  }

  const argoParameters = (name: string, onExit: string): Record<string, string> => ({
    'inputs.parameters.job': name,
    'inputs.parameters.gateway': 'http://pushgateway:9091',
    'inputs.parameters.remote_write': '',
    'inputs.parameters.interval': '30s',
    'inputs.parameters.on_exit': onExit,
  });

  it.each([
    ['the Argo sidecar', 'pushed', argo.sidecars[0]!, argoParameters('argo-watched', 'push'), 'argo-watched'],
    ['the Argo sidecar with on_exit=delete', 'deleted', argo.sidecars[0]!, argoParameters('argo-deleted', 'delete'), 'argo-deleted'],
    ['the native sidecar', 'pushed', podSpec.initContainers[0]!, {}, 'churn-classifier-train'],
  ] as const)('%s pushes the file, and on SIGTERM ends with 0, the group %s', async (_, outcome, sidecar, parameters, jobName) => {
    const path = join(mkdtempSync(join(tmpdir(), 'simplepipe-watch-template-')), 'metrics.json');
    writeFileSync(path, trainingDocument(5));
    let pushed: () => void = () => {};
    const firstPush = new Promise<void>((resolve) => (pushed = resolve));
    const run = await runApp(replayed(sidecar, parameters, path), {
      onStderr: (text) => /pushed .* \(first\)/.test(text) && pushed(),
      sigtermWhen: firstPush,
    });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    if (outcome === 'pushed') expect(trainingSnapshot((await gateway.group({ job: jobName }))!)).toMatchObject({ step: 5, whole: true });
    else await gateway.groupsWhen((groups) => !groups.some((group) => group.labels.job === jobName));
  });
});
