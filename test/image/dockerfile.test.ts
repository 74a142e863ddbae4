import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { finalStageFiles, parseDockerfile, workdir } from './dockerfile.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const twoStages = (finalStage: string): string =>
  ['ARG V=24', 'FROM node:${V} AS build', 'WORKDIR /src', 'COPY . .', '', 'FROM node:${V}', 'WORKDIR /app', finalStage].join('\n');

describe('reading the Dockerfile', () => {
  it('joins continued lines, drops comments and keeps ARGs before the first FROM apart', () => {
    const parsed = parseDockerfile('ARG V=24\n# a comment\nFROM node:${V} AS build\nRUN a \\\n    b\n');
    expect(parsed.globalArgs).toEqual({ V: '24' });
    expect(parsed.stages).toEqual([{ from: 'node:${V}', name: 'build', instructions: [{ keyword: 'RUN', args: 'a      b' }] }]);
  });

  it('takes a COPY --from=<stage> back through that stage’s WORKDIR to the repository path', () => {
    const parsed = parseDockerfile(twoStages('COPY --from=build --chown=1000:1000 /src/dist/app.js ./app.js\nCOPY image/package.json .\nCOPY schemas/x.json lib/'));
    expect(workdir(parsed.stages[0]!)).toBe('/src');
    expect(finalStageFiles(parsed)).toEqual([
      { source: 'dist/app.js', target: '/app/app.js' },
      { source: 'image/package.json', target: '/app/package.json' },
      { source: 'schemas/x.json', target: '/app/lib/x.json' },
    ]);
  });

  it('refuses what it cannot rebuild from the repository: ADD, another image, a path outside the stage’s WORKDIR', () => {
    expect(() => finalStageFiles(parseDockerfile(twoStages('ADD app.tgz ./')))).toThrow(/uses ADD/);
    expect(() => finalStageFiles(parseDockerfile(twoStages('COPY --from=busybox /bin/sh ./sh')))).toThrow(/no stage of that name/);
    expect(() => finalStageFiles(parseDockerfile(twoStages('COPY --from=build /etc/passwd ./passwd')))).toThrow(/not under that stage's WORKDIR/);
    expect(() => finalStageFiles(parseDockerfile(twoStages('COPY a b ./')))).toThrow(/one source and one destination/);
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
