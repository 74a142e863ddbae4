import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docSection } from '../support/readme.js';
import { isKustomize, loadManifests, REPO_ROOT } from './manifests.js';

/** docs/deploy.md (the README's Deploy section before): what a newcomer follows, so it must name what the YAML names. */
const deploy = docSection('docs/deploy.md', 'Deploy');

describe('docs/deploy.md, the Deploy steps', () => {
  it('exists', () => {
    expect(deploy.length).toBeGreaterThan(1000);
  });

  it('names only files that exist', () => {
    const paths = [...deploy.matchAll(/`((?:workflows|image|test)\/[^`\s]*|Dockerfile|\.dockerignore)`/g)].map((m) => m[1]!.replace(/\/…\/.*$/, ''));
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) expect(existsSync(join(REPO_ROOT, path)), path).toBe(true);
  });

  it('names every object the YAML creates, and every image it runs', () => {
    const manifests = loadManifests().filter((m) => !isKustomize(m));
    const codeSpans = [...deploy.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
    for (const { kind, name } of manifests) {
      expect(codeSpans.some((span) => span === name || span.endsWith(` ${name}`)), `${kind} ${name}`).toBe(true);
    }
    const images = new Set([...JSON.stringify(manifests.map((m) => m.object)).matchAll(/"image":"([^"]+)"/g)].map((m) => m[1]!));
    for (const image of images) if (image !== 'node:24-alpine') expect(deploy, image).toContain(image);
  });
});
