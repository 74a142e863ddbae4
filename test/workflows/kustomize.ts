import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { findBinary } from '../support/processes.js';
import { writeWebConfig } from '../support/webConfig.js';
import { parseManifests, parseManifestText, REPO_ROOT, WORKFLOWS_DIR, type Manifest } from './manifests.js';

export const PUSHGATEWAY_DIR = join(WORKFLOWS_DIR, 'pushgateway');
export const OVERLAYS_DIR = join(PUSHGATEWAY_DIR, 'overlays');

/** Every overlay under workflows/pushgateway/overlays, by folder name: what an operator may `kubectl apply -k`. */
export function overlayNames(): string[] {
  return readdirSync(OVERLAYS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export interface Credentials {
  username: string;
  password: string;
}

export interface RenderedOverlay {
  name: string;
  /** What `kubectl kustomize` printed, one Manifest per document. */
  manifests: Manifest[];
  /** The credentials written for this render, for an overlay that generates Secrets from the operator's files. */
  credentials?: Credentials;
}

/**
 * The files an overlay's secretGenerator reads (credentials.env, web-config.yml): written by the operator
 * beside its kustomization.yaml, never held by git.
 */
export function operatorFiles(overlay: string): string[] {
  const [kustomization] = parseManifests(join(OVERLAYS_DIR, overlay, 'kustomization.yaml'));
  const generators = (kustomization!.object.secretGenerator ?? []) as { files?: string[]; envs?: string[] }[];
  return generators.flatMap((generator) => [...(generator.files ?? []), ...(generator.envs ?? [])]).map((entry) => entry.split('=').at(-1)!);
}

const rendered = new Map<string, RenderedOverlay>();

/**
 * Renders an overlay with the real `kubectl kustomize`. An overlay that needs the operator's credential files
 * is rendered from a temporary copy of workflows/pushgateway with fresh credentials written in, as an operator
 * would write them (over any real ones a developer keeps there); the checked-in tree is never touched. Each
 * overlay is rendered once per process.
 */
export function renderOverlay(overlay: string): RenderedOverlay {
  const cached = rendered.get(overlay);
  if (cached) return cached;
  const files = operatorFiles(overlay);
  let result: RenderedOverlay;
  if (files.length === 0) {
    result = { name: overlay, manifests: kustomize(join(OVERLAYS_DIR, overlay)) };
  } else {
    const copy = copyOfPushgatewayTree();
    try {
      const dir = join(copy, relative(REPO_ROOT, OVERLAYS_DIR), overlay);
      const credentials = newCredentials();
      for (const file of files) writeOperatorFile(dir, file, credentials);
      result = { name: overlay, manifests: kustomize(dir, `workflows/pushgateway/overlays/${overlay}`), credentials };
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  rendered.set(overlay, result);
  return result;
}

/** A temporary folder holding a copy of workflows/pushgateway at the same relative path; the caller removes it. */
export function copyOfPushgatewayTree(): string {
  const copy = mkdtempSync(join(tmpdir(), 'simplepipe-kustomize-'));
  cpSync(PUSHGATEWAY_DIR, join(copy, relative(REPO_ROOT, PUSHGATEWAY_DIR)), { recursive: true });
  return copy;
}

/**
 * `kubectl kustomize <dir>`, parsed; fails with kubectl's own message, and says so when its kustomize is too old.
 * Its output may pass execFileSync's default 1 MiB (a large file's dashboards), hence the larger buffer.
 */
export function kustomize(dir: string, label = relative(REPO_ROOT, dir)): Manifest[] {
  const kubectl = findBinary('kubectl');
  try {
    return parseManifestText(execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }), `kubectl kustomize ${label}`);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`kubectl kustomize ${label} failed (with ${kustomizeVersion(kubectl)}; the overlays need v5):\n${stderr}`);
  }
}

function kustomizeVersion(kubectl: string): string {
  try {
    const { kustomizeVersion } = JSON.parse(execFileSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })) as { kustomizeVersion?: string };
    return `kustomize ${kustomizeVersion ?? 'unknown'}`;
  } catch {
    return 'kustomize version unknown';
  }
}

/**
 * A password with the characters a careless pipeline would mangle (`:` splits basic auth, `#` starts a comment,
 * `=` splits an env line, `"` quotes): kustomize, the Secret, the env variable and the gateway must all keep it.
 */
function newCredentials(): Credentials {
  return { username: 'simplepipe-test', password: `${randomBytes(12).toString('base64url')}:#="x` };
}

function writeOperatorFile(dir: string, file: string, credentials: Credentials): void {
  if (file === 'credentials.env') {
    writeFileSync(join(dir, file), `username=${credentials.username}\npassword=${credentials.password}\n`);
  } else if (basename(file) === 'web-config.yml') {
    writeWebConfig(dir, { users: { [credentials.username]: credentials.password } });
  } else {
    throw new Error(`overlay ${basename(dir)} generates a Secret from ${file}, which these tests do not know how to write`);
  }
}

/** The one rendered document of `kind` named `name`. */
export function renderedManifest(overlay: RenderedOverlay, kind: string, name: string): Manifest {
  const found = overlay.manifests.filter((m) => m.kind === kind && m.name === name);
  if (found.length !== 1) throw new Error(`overlay ${overlay.name}: expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!;
}

/** A rendered Secret's values, decoded. */
export function secretValues(overlay: RenderedOverlay, name: string): Record<string, string> {
  const data = (renderedManifest(overlay, 'Secret', name).object.data ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
}
