import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/index.js';
import { tempFile } from '../support/files.js';
import { freePort } from '../support/ports.js';
import { startPushgateway, type GatewayGroup } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { ARGO_SCHEMA_PATH, argoSchemaAvailable, argoValidator, describeErrors } from './argoSchema.js';
import { overlayNames, renderedManifest, renderOverlay, secretValues, type RenderedOverlay } from './kustomize.js';
import { findManifest } from './manifests.js';
import { matches, namespaceOf } from './scrapeConfigs.js';

const requireArgoSchema = argoSchemaAvailable() || process.env.CI === 'true';
if (!requireArgoSchema) process.stderr.write(`[workflows] ${ARGO_SCHEMA_PATH} is missing: Argo schema checks of the prune container skipped\n`);

interface Container {
  name: string;
  image: string;
  command?: string[];
  args: string[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  containers: Container[];
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: PodSpec;
}

const gatewayPod = (overlay: RenderedOverlay): PodTemplate => (renderedManifest(overlay, 'Deployment', 'pushgateway').object.spec as { template: PodTemplate }).template;
const prunePod = (overlay: RenderedOverlay): PodTemplate =>
  (renderedManifest(overlay, 'CronJob', 'pushgateway-prune').object.spec as { jobTemplate: { spec: { template: PodTemplate } } }).jobTemplate.spec.template;

/** Where the gateway keeps its file: the --persistence.file path and the mount (of a claim) it lies under. */
function persistence(overlay: RenderedOverlay): { file: string; mountPath: string; claimName: string } {
  const pod = gatewayPod(overlay);
  const container = pod.spec.containers[0]!;
  const file = container.args.find((arg) => arg.startsWith('--persistence.file='))!.split('=')[1]!;
  const mount = container.volumeMounts!.find((m) => file.startsWith(`${m.mountPath}/`))!;
  const claimName = pod.spec.volumes!.find((volume) => volume.name === mount.name)?.persistentVolumeClaim?.claimName ?? '';
  return { file, mountPath: mount.mountPath, claimName };
}

const push = (gateway: string, job: string, options: { ttl?: string; grouping?: Record<string, string> } = {}) =>
  runPipeline({ input: tempFile([{ name: 'rows_total', description: 'rows', value: 7, metric_type: 'counter' }]), job, gateway, ...options });

describe.each(overlayNames())('the overlay %s', (name) => {
  const overlay = () => renderOverlay(name);

  it('keeps the gateway’s file on its PersistentVolumeClaim (ReadWriteOnce, a size set), in its namespace', () => {
    const { claimName } = persistence(overlay());
    const claim = renderedManifest(overlay(), 'PersistentVolumeClaim', claimName);
    const spec = claim.object.spec as { accessModes: string[]; resources: { requests: { storage: string } }; storageClassName?: string };
    expect(spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(spec.resources.requests.storage).toMatch(/^\d+(Mi|Gi)$/);
    expect(namespaceOf(claim)).toBe(namespaceOf(renderedManifest(overlay(), 'Deployment', 'pushgateway')));
    // One pod at a time may mount a ReadWriteOnce volume: the old pod must be gone before the new one starts.
    expect((renderedManifest(overlay(), 'Deployment', 'pushgateway').object.spec as { strategy: { type: string } }).strategy.type).toBe('Recreate');
  });

  it('runs `node app.js prune` against the namespace’s gateway with the simplepipe image, as its own ServiceAccount, which has no role and no token', () => {
    const pod = prunePod(overlay());
    const [container] = pod.spec.containers;
    expect(pod.spec.containers).toHaveLength(1);
    const templateImage = (findManifest('WorkflowTemplate', 'push-metrics').object.spec as { templates: { container?: { image: string } }[] }).templates[0]!.container!.image;
    expect(container!.image).toBe(templateImage);
    expect(container!.command).toEqual(['node']);
    expect(container!.args.slice(0, 2)).toEqual(['app.js', 'prune']);
    expect(container!.args).toContain('--gateway=http://pushgateway:9091');
    expect(pod.spec.serviceAccountName).toBe('pushgateway-prune');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    const account = renderedManifest(overlay(), 'ServiceAccount', 'pushgateway-prune');
    expect(account.object.automountServiceAccountToken).toBe(false);
    const bindings = overlay().manifests.filter((m) => /^(Cluster)?RoleBinding$/.test(m.kind));
    expect(bindings.filter((binding) => JSON.stringify(binding.object.subjects ?? []).includes('pushgateway-prune'))).toEqual([]);
  });

  it('lets the prune pod through the NetworkPolicy to the gateway’s port, which the Service named in --gateway serves', () => {
    const policy = renderedManifest(overlay(), 'NetworkPolicy', 'pushgateway').object.spec as {
      ingress: { from: { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown }[]; ports: { port: number }[] }[];
    };
    const labels = prunePod(overlay()).metadata.labels;
    const admitted = policy.ingress.some((rule) =>
      rule.ports.some((port) => port.port === 9091) &&
      rule.from.some((peer) => !peer.namespaceSelector && (Object.keys(peer.podSelector?.matchLabels ?? {}).length === 0 || matches(labels, peer.podSelector!.matchLabels!))),
    );
    expect(admitted).toBe(true);
    const service = renderedManifest(overlay(), 'Service', 'pushgateway').object.spec as { ports: { port: number }[] };
    expect(service.ports.map((port) => port.port)).toContain(9091);
  });

  it('hands prune the gateway’s credentials from the Secret the overlay generates, if it generates one', () => {
    const env = prunePod(overlay()).spec.containers[0]!.env ?? [];
    const references = env.map((variable) => variable.valueFrom?.secretKeyRef);
    expect(env.map((variable) => variable.name)).toEqual(['PUSHGATEWAY_USERNAME', 'PUSHGATEWAY_PASSWORD']);
    for (const reference of references) {
      expect(reference?.optional).toBe(true);
      const secret = overlay().manifests.find((m) => m.kind === 'Secret' && m.name === reference!.name);
      if (secret) expect(Object.keys(secretValues(overlay(), reference!.name))).toContain(reference!.key);
    }
  });

  it.skipIf(!requireArgoSchema)('its prune container is a valid core/v1 Container, no field misspelt', () => {
    const validate = argoValidator('io.k8s.api.core.v1.Container');
    const [container] = prunePod(overlay()).spec.containers;
    expect(validate(container), describeErrors(validate).join('\n')).toBe(true);
  });
});

describe('the overlays’ gateway and prune, run for real', () => {
  it('a gateway started with the rendered arguments and mount path keeps every group across a restart', async () => {
    const overlay = renderOverlay('team-a');
    const { mountPath } = persistence(overlay);
    const volume = mkdtempSync(join(tmpdir(), 'simplepipe-volume-'));
    // The rendered arguments as they are, the volume's mount path standing for a folder here.
    const args = gatewayPod(overlay).spec.containers[0]!.args.map((arg) => arg.replaceAll(`${mountPath}/`, `${volume}/`));
    const port = await freePort();
    try {
      let gateway = await startPushgateway({ args, port });
      await push(gateway.url, 'train', { ttl: '7d' });
      await push(gateway.url, 'train', { grouping: { step: 'evaluate' } });
      await push(gateway.url, 'nightly', { grouping: { instance: 'a b/c' }, ttl: '1d' });
      const before = await gateway.groups();
      expect(before).toHaveLength(3);
      await gateway.stop();

      gateway = await startPushgateway({ args, port });
      try {
        const byLabels = (groups: GatewayGroup[]) => [...groups].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
        expect(byLabels(await gateway.groups())).toEqual(byLabels(before));
      } finally {
        await gateway.stop();
      }
    } finally {
      rmSync(volume, { recursive: true, force: true });
    }
  });

  it('the CronJob’s rendered command deletes the expired groups of a real gateway and keeps the others', async () => {
    const container = prunePod(renderOverlay('team-a')).spec.containers[0]!;
    const gateway = await startPushgateway();
    try {
      await push(gateway.url, 'retired', { ttl: '1s' });
      await push(gateway.url, 'daily', { ttl: '1d' });
      await push(gateway.url, 'untimed');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const [script, ...args] = container.args.map((arg) => arg.replace('http://pushgateway:9091', gateway.url));
      expect(script).toBe('app.js');
      const run = await runApp(args);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^deleted \{job="retired"\} \(last push \d+s ago, ttl 1s\)\n$/);
      const left = await gateway.groupsWhen((groups) => groups.length === 2);
      expect(left.map((group) => group.labels.job).sort()).toEqual(['daily', 'untimed']);
    } finally {
      await gateway.stop();
    }
  });
});
