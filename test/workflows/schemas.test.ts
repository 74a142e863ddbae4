import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ARGO_SCHEMA_PATH, argoSchemaAvailable, argoValidator, describeErrors } from './argoSchema.js';
import { kubernetesModel } from './kubernetesModels.js';
import { isKustomize, loadManifests, parseManifests, REPO_ROOT, yamlFiles, type Manifest } from './manifests.js';

const files = yamlFiles();
const manifests = loadManifests();
const argo = manifests.filter((m) => m.apiVersion === 'argoproj.io/v1alpha1');
const kustomizations = manifests.filter(isKustomize);
const kubernetes = manifests.filter((m) => !argo.includes(m) && !kustomizations.includes(m));
const label = (m: Manifest): string => `${m.file}#${m.index} ${m.kind} ${m.name}`;

// Locally a missing shared/ only skips; in CI (CI=true) it must fail, so a broken checkout is never green.
const requireArgoSchema = argoSchemaAvailable() || process.env.CI === 'true';
if (!requireArgoSchema) process.stderr.write(`[workflows] ${ARGO_SCHEMA_PATH} is missing: Argo schema checks skipped\n`);

describe('the YAML under workflows/', () => {
  it.each(files.map((path) => [relative(REPO_ROOT, path), path]))('%s parses, every document a named object with kind and apiVersion', (_, path) => {
    for (const manifest of parseManifests(path)) {
      expect(manifest.kind, label(manifest)).toMatch(/^[A-Z]\w+$/);
      expect(manifest.apiVersion, label(manifest)).toMatch(/^[\w.-]+(\/v\w+)?$/);
      if (!isKustomize(manifest)) expect(manifest.name, label(manifest)).not.toBe('');
    }
  });

  it('holds the Argo, Kubernetes and kustomize documents the Deploy section names', () => {
    expect(argo.map((m) => `${m.kind} ${m.name}`).sort()).toEqual(['Workflow fan-out-', 'Workflow timed-job-', 'WorkflowTemplate push-metrics', 'WorkflowTemplate watch-metrics']);
    expect(kubernetes.map((m) => m.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'Service', 'ServiceMonitor', 'NetworkPolicy', 'Job', 'ConfigMap', 'ServiceAccount']),
    );
    expect(kustomizations.map((m) => `${m.kind} ${m.file}`).sort()).toEqual([
      'Component workflows/pushgateway/components/basic-auth/kustomization.yaml',
      'Kustomization workflows/pushgateway/base/kustomization.yaml',
      'Kustomization workflows/pushgateway/overlays/team-a-basic-auth/kustomization.yaml',
      'Kustomization workflows/pushgateway/overlays/team-a/kustomization.yaml',
      'Kustomization workflows/pushgateway/overlays/team-b/kustomization.yaml',
    ]);
  });
});

describe.skipIf(!requireArgoSchema)('Argo documents against Argo’s published schema (../shared/argo)', () => {
  it('finds the schema beside the repository', () => {
    expect(existsSync(ARGO_SCHEMA_PATH), `${ARGO_SCHEMA_PATH} is missing`).toBe(true);
  });

  it.each(argo.map((m) => [label(m), m]))('%s is valid', (_, manifest) => {
    const validate = argoValidator(`io.argoproj.workflow.v1alpha1.${manifest.kind}`);
    expect(validate(manifest.object), describeErrors(validate).join('\n')).toBe(true);
  });

  it('rejects a misspelt field, so the checks above can fail', () => {
    const template = argo.find((m) => m.kind === 'WorkflowTemplate')!;
    const broken = structuredClone(template.object) as { spec: { templates: Record<string, unknown>[] } };
    broken.spec.templates[0]!.retrystrategy = broken.spec.templates[0]!.retryStrategy;
    const validate = argoValidator('io.argoproj.workflow.v1alpha1.WorkflowTemplate');
    expect(validate(broken)).toBe(false);
    expect(describeErrors(validate).join('\n')).toMatch(/must NOT have additional properties: retrystrategy/);
  });

  it.each(kubernetes.flatMap((m) => podContainers(m).map((c, i) => [`${label(m)} container ${i}`, c])))(
    '%s is a valid core/v1 Container',
    (_, container) => {
      const validate = argoValidator('io.k8s.api.core.v1.Container');
      expect(validate(container), describeErrors(validate).join('\n')).toBe(true);
    },
  );

  it('the default artifact repository in the ConfigMap is a valid Argo ArtifactRepository', () => {
    const configMap = kubernetes.find((m) => m.kind === 'ConfigMap' && m.name === 'artifact-repositories')!;
    const metadata = configMap.object.metadata as { annotations: Record<string, string> };
    const key = metadata.annotations['workflows.argoproj.io/default-artifact-repository']!;
    const repository: unknown = parse((configMap.object.data as Record<string, string>)[key]!);
    const validate = argoValidator('io.argoproj.workflow.v1alpha1.ArtifactRepository');
    expect(validate(repository), describeErrors(validate).join('\n')).toBe(true);
  });
});

describe('Kubernetes documents against kubernetes-models', () => {
  it.each(kubernetes.map((m) => [label(m), m]))('%s is valid', (_, manifest) => {
    const Model = kubernetesModel(manifest.apiVersion, manifest.kind);
    expect(Model, `no model for ${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
    expect(() => new Model!(manifest.object).validate()).not.toThrow();
  });
});

describe('kustomizations', () => {
  // kustomize ignores a field it does not know: a misspelt `patches` would silently leave the overlay unpatched.
  const knownFields: Record<string, Set<string>> = {
    Kustomization: new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'replacements', 'patches', 'components', 'secretGenerator', 'generatorOptions']),
    Component: new Set(['apiVersion', 'kind', 'patches']),
  };

  it.each(kustomizations.map((m) => [m.file, m]))('%s uses known fields, and every resource and component it lists exists', (_, manifest) => {
    expect(Object.keys(manifest.object).filter((key) => !knownFields[manifest.kind]?.has(key))).toEqual([]);
    expect(manifest.apiVersion).toBe(manifest.kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1');
    const resources = [...((manifest.object.resources ?? []) as string[]), ...((manifest.object.components ?? []) as string[])];
    if (manifest.kind === 'Kustomization') expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) {
      const path = join(REPO_ROOT, dirname(manifest.file), resource);
      expect(existsSync(path), `${manifest.file}: ${resource} does not exist`).toBe(true);
      if (statSync(path).isDirectory()) expect(existsSync(join(path, 'kustomization.yaml')), `${resource} has no kustomization.yaml`).toBe(true);
    }
  });

  it('the base lists every manifest beside it, so none is silently left out of an install', () => {
    const base = kustomizations.find((m) => m.file.endsWith('base/kustomization.yaml'))!;
    const beside = manifests.filter((m) => m !== base && dirname(m.file) === dirname(base.file)).map((m) => m.file.split('/').at(-1));
    expect([...(base.object.resources as string[])].sort()).toEqual([...new Set(beside)].sort());
  });

  it('each overlay puts the base (with the gateway rules of its namespace), or the overlay of its namespace, into the namespace its folder is named after', () => {
    const overlays = kustomizations.filter((m) => m.file.includes('/overlays/'));
    expect(overlays.map((m) => m.object.namespace).sort()).toEqual(['team-a', 'team-a', 'team-b']);
    for (const overlay of overlays) {
      const namespace = String(overlay.object.namespace);
      expect(overlay.file).toMatch(new RegExp(`/overlays/${namespace}(-[a-z-]+)?/`));
      expect([['../../base', 'pushgateway.prometheusrule.yaml'], [`../${namespace}`]]).toContainEqual(overlay.object.resources);
    }
  });
});

/** The containers of a Deployment's or Job's pod template. */
function podContainers(manifest: Manifest): unknown[] {
  const spec = manifest.object.spec as { template?: { spec?: { containers?: unknown[]; initContainers?: unknown[] } } } | undefined;
  return [...(spec?.template?.spec?.containers ?? []), ...(spec?.template?.spec?.initContainers ?? [])];
}
