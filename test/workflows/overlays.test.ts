import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARGO_SCHEMA_PATH, argoSchemaAvailable, argoValidator, describeErrors } from './argoSchema.js';
import { kubernetesModel } from './kubernetesModels.js';
import { OVERLAYS_DIR, operatorFiles, overlayNames, renderedManifest, renderOverlay } from './kustomize.js';
import { parseManifests, type Manifest } from './manifests.js';
import { labelsOf, matches, namespaceOf, relabelConfig } from './scrapeConfigs.js';
import { tenantLabelProblems } from './tenantLabel.js';

// As in schemas.test.ts: locally a missing ../shared only skips the Argo-schema checks; in CI it fails.
const requireArgoSchema = argoSchemaAvailable() || process.env.CI === 'true';
if (!requireArgoSchema) process.stderr.write(`[workflows] ${ARGO_SCHEMA_PATH} is missing: Argo schema checks of rendered containers skipped\n`);

interface PolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: unknown;
}
interface NetworkPolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes?: string[];
  ingress?: { from?: PolicyPeer[]; ports?: { protocol?: string; port?: number | string }[] }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: { ports?: { name: string; containerPort: number }[] }[] };
}

const podTemplate = (deployment: Manifest): PodTemplate => (deployment.object.spec as { template: PodTemplate }).template;
const nonEmpty = (labels: Record<string, string> | undefined): boolean => Object.keys(labels ?? {}).length > 0;

/**
 * What is wrong with a NetworkPolicy that should let only the gateway's own namespace and one monitoring
 * Prometheus reach the gateway's port: one message per problem, none for a good policy.
 */
function networkPolicyProblems(policy: Manifest, deployment: Manifest, namespace: string): string[] {
  const problems: string[] = [];
  const spec = policy.object.spec as NetworkPolicySpec;
  const pod = podTemplate(deployment);
  const gatewayPorts = pod.spec.containers.flatMap((c) => c.ports ?? []).map((p) => p.containerPort);
  if (namespaceOf(policy) !== namespace) problems.push(`in namespace ${namespaceOf(policy)}, not ${namespace}`);
  if (!matches(pod.metadata.labels, spec.podSelector.matchLabels ?? {})) problems.push('does not select the gateway pods');
  if (!spec.policyTypes?.includes('Ingress')) problems.push('does not restrict ingress');
  const rules = spec.ingress ?? [];
  for (const [i, rule] of rules.entries()) {
    const ports = (rule.ports ?? []).map((p) => `${p.protocol ?? 'TCP'}/${String(p.port)}`);
    if (ports.join() !== gatewayPorts.map((port) => `TCP/${port}`).join()) problems.push(`rule ${i} admits ports [${ports.join()}], not the gateway's [${gatewayPorts.join()}]`);
    for (const peer of rule.from ?? []) if (peer.ipBlock) problems.push(`rule ${i} admits an ipBlock`);
    if (!rule.from?.length) problems.push(`rule ${i} admits every source`);
  }
  // The own namespace: a podSelector that selects every pod, and no namespaceSelector (which would widen it).
  const ownNamespace = rules.filter((r) => r.from?.length === 1 && !r.from[0]!.namespaceSelector && !nonEmpty(r.from[0]!.podSelector?.matchLabels));
  // The monitoring Prometheus: a namespace and its pods, both in ONE peer (two peers would admit either).
  const prometheus = rules.filter((r) => r.from?.length === 1 && nonEmpty(r.from[0]!.namespaceSelector?.matchLabels) && nonEmpty(r.from[0]!.podSelector?.matchLabels));
  if (ownNamespace.length !== 1) problems.push('no rule admits exactly the pods of its own namespace');
  if (prometheus.length !== 1) problems.push('no rule admits exactly the Prometheus pods of one monitoring namespace');
  if (rules.length !== ownNamespace.length + prometheus.length) problems.push(`${rules.length - ownNamespace.length - prometheus.length} other ingress rule(s)`);
  return problems;
}

interface Endpoint {
  honorLabels?: boolean;
  metricRelabelings?: Record<string, unknown>[];
}

/** tenantLabelProblems for each endpoint of a ServiceMonitor, its rules as prometheus.yml spells them. */
function serviceMonitorProblems(monitor: Manifest, namespace: string): string[] {
  const { endpoints } = monitor.object.spec as { endpoints: Endpoint[] };
  return endpoints.flatMap((endpoint, i) =>
    tenantLabelProblems(endpoint.honorLabels, (endpoint.metricRelabelings ?? []).map(relabelConfig), namespace).map((problem) => `endpoint ${i}: ${problem}`),
  );
}

/**
 * kustomize wraps a long Secret value over several lines; the API server's base64 decoder (Go's) skips the
 * line breaks, the model's `byte` format does not, so the value is joined before validation.
 */
function unwrapSecretData(object: Record<string, unknown>): Record<string, unknown> {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(Object.entries(object.data as Record<string, string>).map(([key, value]) => [key, value.replace(/\s+/g, '')]));
  return { ...object, data };
}

/** The namespace an overlay's kustomization.yaml puts everything in. */
const declaredNamespace = (overlay: string): string =>
  String(parseManifests(join(OVERLAYS_DIR, overlay, 'kustomization.yaml'))[0]!.object.namespace ?? '');

describe.each(overlayNames())('the overlay %s, rendered with kubectl kustomize', (overlay) => {
  const rendered = () => renderOverlay(overlay);
  const namespace = declaredNamespace(overlay);
  const objects = () => rendered().manifests;

  it('holds the gateway’s Deployment, Service, ServiceMonitor and NetworkPolicy, every object in the overlay’s namespace', () => {
    expect(namespace).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(objects().map((m) => `${m.kind} ${m.name}`)).toEqual(
      expect.arrayContaining(['Deployment pushgateway', 'Service pushgateway', 'ServiceMonitor pushgateway', 'NetworkPolicy pushgateway']),
    );
    for (const manifest of objects()) expect(namespaceOf(manifest), `${manifest.kind} ${manifest.name}`).toBe(namespace);
  });

  it('every object is valid for kubernetes-models', () => {
    for (const manifest of objects()) {
      const Model = kubernetesModel(manifest.apiVersion, manifest.kind);
      expect(Model, `no model for ${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
      expect(() => new Model!(unwrapSecretData(manifest.object)).validate(), `${manifest.kind} ${manifest.name}`).not.toThrow();
    }
  });

  it.skipIf(!requireArgoSchema)('every container is a valid core/v1 Container, no field misspelt', () => {
    const validate = argoValidator('io.k8s.api.core.v1.Container');
    for (const container of podTemplate(renderedManifest(rendered(), 'Deployment', 'pushgateway')).spec.containers) {
      expect(validate(container), describeErrors(validate).join('\n')).toBe(true);
    }
  });

  it('its NetworkPolicy selects the gateway pods, names its own namespace, and admits port 9091 only from that namespace and the monitoring Prometheus', () => {
    const policy = renderedManifest(rendered(), 'NetworkPolicy', 'pushgateway');
    const deployment = renderedManifest(rendered(), 'Deployment', 'pushgateway');
    expect(networkPolicyProblems(policy, deployment, namespace)).toEqual([]);
    expect(podTemplate(deployment).spec.containers[0]!.ports).toEqual([{ name: 'http', containerPort: 9091 }]);
  });

  it('its ServiceMonitor honours the pushed labels, then stamps namespace with its own and drops exported_namespace', () => {
    expect(serviceMonitorProblems(renderedManifest(rendered(), 'ServiceMonitor', 'pushgateway'), namespace)).toEqual([]);
  });

  it('its Service is what the ServiceMonitor selects, and what the NetworkPolicy protects', () => {
    const service = renderedManifest(rendered(), 'Service', 'pushgateway');
    const monitor = renderedManifest(rendered(), 'ServiceMonitor', 'pushgateway');
    const selector = (monitor.object.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
    expect(matches(labelsOf(service), selector)).toBe(true);
    const pods = (service.object.spec as { selector: Record<string, string> }).selector;
    const policy = (renderedManifest(rendered(), 'NetworkPolicy', 'pushgateway').object.spec as NetworkPolicySpec).podSelector.matchLabels!;
    expect(matches(pods, policy) || matches(policy, pods)).toBe(true);
  });
});

describe('the checks above', () => {
  const [overlay] = overlayNames();
  const rendered = () => renderOverlay(overlay!);
  const namespace = declaredNamespace(overlay!);
  const mutate = <T,>(manifest: Manifest, change: (spec: T) => void): Manifest => {
    const copy = structuredClone(manifest);
    change(copy.object.spec as T);
    return copy;
  };

  it('find a policy that admits Prometheus from any namespace, or anyone from the monitoring namespace, or another port', () => {
    const policy = renderedManifest(rendered(), 'NetworkPolicy', 'pushgateway');
    const deployment = renderedManifest(rendered(), 'Deployment', 'pushgateway');
    const split = mutate<NetworkPolicySpec>(policy, (spec) => {
      const peer = spec.ingress![1]!.from![0]!;
      spec.ingress![1]!.from = [{ namespaceSelector: peer.namespaceSelector }, { podSelector: peer.podSelector }];
    });
    expect(networkPolicyProblems(split, deployment, namespace)).toContain('no rule admits exactly the Prometheus pods of one monitoring namespace');
    const anyPort = mutate<NetworkPolicySpec>(policy, (spec) => delete spec.ingress![0]!.ports);
    expect(networkPolicyProblems(anyPort, deployment, namespace).join()).toMatch(/rule 0 admits ports/);
    const otherPods = mutate<NetworkPolicySpec>(policy, (spec) => (spec.podSelector = { matchLabels: { 'app.kubernetes.io/name': 'other' } }));
    expect(networkPolicyProblems(otherPods, deployment, namespace)).toContain('does not select the gateway pods');
    expect(networkPolicyProblems(policy, deployment, 'team-z')).toContain(`in namespace ${namespace}, not team-z`);
  });

  it('find a ServiceMonitor whose stamp is missing, copies a pushable label, applies only sometimes, is undone after, or names another namespace, or that keeps exported_namespace', () => {
    const monitor = renderedManifest(rendered(), 'ServiceMonitor', 'pushgateway');
    type Spec = { endpoints: { metricRelabelings: Record<string, unknown>[] }[] };
    const none = mutate<Spec>(monitor, (spec) => (spec.endpoints[0]!.metricRelabelings = spec.endpoints[0]!.metricRelabelings.filter((r) => r.targetLabel !== 'namespace')));
    expect(serviceMonitorProblems(none, namespace).join()).toMatch(/does not stamp it/);
    const copied = mutate<Spec>(monitor, (spec) => spec.endpoints[0]!.metricRelabelings.push({ sourceLabels: ['tenant'], targetLabel: 'namespace' }));
    expect(serviceMonitorProblems(copied, namespace).join()).toMatch(/depends on tenant/);
    const conditional = mutate<Spec>(monitor, (spec) => (spec.endpoints[0]!.metricRelabelings.find((r) => r.targetLabel === 'namespace')!.regex = 'team-.*'));
    expect(serviceMonitorProblems(conditional, namespace).join()).toMatch(/applies only where team-\.\* matches/);
    const mappedAfter = mutate<Spec>(monitor, (spec) => spec.endpoints[0]!.metricRelabelings.push({ action: 'labelmap', regex: 'tenant', replacement: 'namespace' }));
    expect(serviceMonitorProblems(mappedAfter, namespace).join()).toMatch(/does not stamp it/);
    const keptLeftover = mutate<Spec>(monitor, (spec) => (spec.endpoints[0]!.metricRelabelings = spec.endpoints[0]!.metricRelabelings.filter((r) => r.action !== 'labeldrop')));
    expect(serviceMonitorProblems(keptLeftover, namespace).join()).toMatch(/a pushed exported_namespace is kept/);
    expect(serviceMonitorProblems(monitor, 'team-z').join()).toMatch(/not "team-z"/);
  });
});

describe.each(overlayNames().filter((overlay) => operatorFiles(overlay).length > 0))('the credential files of %s', (overlay) => {
  it('each has a checked-in .example beside it, and .gitignore keeps the real one out of git', () => {
    const ignored = readFileSync(join(OVERLAYS_DIR, overlay, '.gitignore'), 'utf8').split('\n');
    for (const file of operatorFiles(overlay)) {
      expect(existsSync(join(OVERLAYS_DIR, overlay, `${file}.example`)), `${file}.example`).toBe(true);
      expect(ignored, file).toContain(file);
    }
  });
});
