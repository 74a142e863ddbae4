import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtImage, podman } from '../../support/podman.js';

const REPO_ROOT = new URL('../../../', import.meta.url);

interface Layer {
  /** The paths the layer's tar holds, without a leading `./` or `/`. */
  paths: string[];
  bytes: Buffer;
}

let saved: string;
let layers: Layer[];
let config: { config: { Labels: Record<string, string> }; history: { created_by?: string }[] };

beforeAll(async () => {
  saved = mkdtempSync(join(tmpdir(), 'simplepipe-image-layers-'));
  const save = await podman(['save', '--format', 'oci-dir', '-o', join(saved, 'oci'), builtImage()]);
  expect(save.code, save.stderr).toBe(0);
  const blob = (digest: string): string => join(saved, 'oci', 'blobs', ...digest.split(':'));
  const index = JSON.parse(readFileSync(join(saved, 'oci', 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as { config: { digest: string }; layers: { digest: string }[] };
  config = JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8')) as typeof config;
  // GNU tar reads a compressed layer as readily as a plain one.
  layers = manifest.layers.map(({ digest }) => ({
    paths: execFileSync('tar', ['-tf', blob(digest)], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').filter(Boolean).map((p) => p.replace(/^\.?\//, '')),
    bytes: readFileSync(blob(digest)).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b])) ? execFileSync('gzip', ['-dc', blob(digest)], { maxBuffer: 1 << 30 }) : readFileSync(blob(digest)),
  }));
});
afterAll(() => {
  if (saved) rmSync(saved, { recursive: true, force: true });
});

const allPaths = (): string[] => layers.flatMap((layer) => layer.paths);

describe('the built image’s layers', () => {
  it('are one: the base without npm squashed with the app, so nothing deleted still weighs in a lower layer', () => {
    expect(layers).toHaveLength(1);
  });

  it('hold node and the app, and no npm, npx, corepack, yarn, Node headers or node_modules', () => {
    const paths = allPaths();
    expect(paths).toContain('usr/local/bin/node');
    const app = paths.filter((p) => p.startsWith('app/') && p !== 'app/' && !p.startsWith('app/.node-compile-cache/'));
    expect(app.sort()).toEqual(['app/app.js', 'app/package.json', 'app/simplepipe.js']);
    for (const unwanted of [/(^|\/)node_modules\//, /^usr\/local\/bin\/(npm|npx|corepack|yarn|yarnpkg)$/, /^opt\/yarn/, /^usr\/local\/include\//]) {
      expect(paths.filter((p) => unwanted.test(p)), String(unwanted)).toEqual([]);
    }
  });

  it('hold the compile cache warmed by the build, readable by group 0', () => {
    expect(allPaths().filter((p) => /^app\/\.node-compile-cache\/v\d+[^/]*-1000\/[0-9a-f]+$/.test(p))).toHaveLength(1);
  });

  it('hold neither the npm settings nor the CA bundle the build was given as secrets', () => {
    const secrets = [execFileSync('npm', ['config', 'get', 'userconfig'], { encoding: 'utf8' }).trim(), execFileSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).trim()]
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path))
      .filter((content) => content.length > 0);
    expect(secrets.length, 'this machine gives the build at least one secret').toBeGreaterThan(0);
    // The scan finds a file the image does hold, byte for byte: a miss below is not a blind scan.
    expect(layers.some((layer) => layer.bytes.includes(readFileSync(new URL('image/package.json', REPO_ROOT))))).toBe(true);
    for (const secret of secrets) for (const layer of layers) expect(layer.bytes.includes(secret)).toBe(false);
    expect(allPaths().filter((p) => p.startsWith('run/secrets/'))).toEqual([]);
    const history = JSON.stringify(config.history);
    for (const secret of secrets) for (const line of secret.toString('utf8').split('\n').filter((l) => l.length > 20)) expect(history).not.toContain(line);
  });
});

describe('the built image’s OCI labels', () => {
  it('say the version package.json says, the commit built, and the base image by its full name', () => {
    const labels = config.config.Labels;
    const pkg = JSON.parse(readFileSync(new URL('package.json', REPO_ROOT), 'utf8')) as { version: string; license: string };
    expect(labels['org.opencontainers.image.version']).toBe(pkg.version);
    expect(labels['org.opencontainers.image.revision']).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim());
    expect(labels['org.opencontainers.image.base.name']).toBe('docker.io/library/node:24-alpine');
    expect(labels['org.opencontainers.image.licenses']).toBe(pkg.license);
    expect(labels['org.opencontainers.image.title']).toBe('simplepipe');
  });
});
