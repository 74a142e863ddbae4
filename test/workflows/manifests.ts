import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WORKFLOWS_DIR = join(REPO_ROOT, 'workflows');

/** One YAML document of a file under workflows/, as plain JSON data. */
export interface Manifest {
  /** Path relative to the repository root, for messages. */
  file: string;
  /** Position of the document in its file, from 0. */
  index: number;
  apiVersion: string;
  kind: string;
  name: string;
  object: Record<string, unknown>;
}

/** Prometheus's own configuration (the scrape jobs for clusters without the Operator), not a Kubernetes document. */
export const PROMETHEUS_CONFIG = join(WORKFLOWS_DIR, 'prometheus', 'prometheus.yml');

/** The Kubernetes and kustomize documents under workflows/: every YAML file but PROMETHEUS_CONFIG. */
export function yamlFiles(dir = WORKFLOWS_DIR): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.ya?ml$/.test(path))
    .sort()
    .map((path) => join(dir, path))
    .filter((path) => path !== PROMETHEUS_CONFIG);
}

/** kustomize's own documents (Kustomization, Component): how to build objects, not objects a cluster gets. */
export const isKustomize = (manifest: Manifest): boolean => manifest.apiVersion.startsWith('kustomize.config.k8s.io/');

/** Parses one file's documents; a syntax error or a document that is not a mapping throws, naming the file. */
export function parseManifests(path: string): Manifest[] {
  return parseManifestText(readFileSync(path, 'utf8'), relative(REPO_ROOT, path));
}

/** Parses a multi-document YAML text (a file, or what `kubectl kustomize` printed); `file` names it in messages. */
export function parseManifestText(text: string, file: string): Manifest[] {
  return parseAllDocuments(text, { prettyErrors: true }).map((document, index) => {
    if (document.errors.length > 0) throw new Error(`${file} document ${index}: ${document.errors.map(String).join('\n')}`);
    const object: unknown = document.toJS({ maxAliasCount: 100 });
    if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new Error(`${file} document ${index}: not a mapping`);
    const manifest = object as Record<string, unknown>;
    const metadata = (manifest.metadata ?? {}) as { name?: string; generateName?: string };
    return {
      file,
      index,
      apiVersion: String(manifest.apiVersion),
      kind: String(manifest.kind),
      name: metadata.name ?? metadata.generateName ?? '',
      object: manifest,
    };
  });
}

export function loadManifests(): Manifest[] {
  return yamlFiles().flatMap(parseManifests);
}

/** The one manifest of `kind` named `name` (a Workflow by its generateName). */
export function findManifest(kind: string, name: string): Manifest {
  const found = loadManifests().filter((m) => m.kind === kind && m.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name} in workflows/, found ${found.length}`);
  return found[0]!;
}
