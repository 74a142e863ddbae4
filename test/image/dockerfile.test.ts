import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './dockerfile.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('reading the Dockerfile', () => {
  it('joins continued lines, drops comments and keeps ARGs before the first FROM apart', () => {
    const parsed = parseDockerfile('ARG V=24\n# a comment\nFROM node:${V} AS build\nRUN a \\\n    b\n');
    expect(parsed.globalArgs).toEqual({ V: '24' });
    expect(parsed.stages).toEqual([{ from: 'node:${V}', name: 'build', instructions: [{ keyword: 'RUN', args: 'a      b' }] }]);
  });
});

describe('the build context', () => {
  const contextSources = parseDockerfile()
    .stages.flatMap((stage) => stage.instructions)
    .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
    .flatMap((i) => i.args.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1));

  it('holds every file the Dockerfile copies from it, and .dockerignore lets each one in', () => {
    const lines = readFileSync(`${REPO_ROOT}.dockerignore`, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    // Everything is ignored first, then each path the build needs is let back in: a new COPY needs a new line.
    expect(lines[0]).toBe('*');
    const allowed = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    expect(contextSources.length).toBeGreaterThan(0);
    for (const source of contextSources) {
      const path = source.replace(/\/$/, '');
      expect(existsSync(`${REPO_ROOT}${path}`), `${source} is not in the repository`).toBe(true);
      expect(allowed.some((a) => path === a || path.startsWith(`${a}/`)), `.dockerignore keeps out ${source}`).toBe(true);
    }
  });
});
