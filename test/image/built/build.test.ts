import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { podman } from '../../support/podman.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const { version } = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { version: string };

/** The build stage alone, from the layer cache npm run test:image has just filled, with these build arguments. */
const buildStage = (args: Record<string, string>) =>
  podman(['build', '--target=build', ...Object.entries(args).map(([name, value]) => `--build-arg=${name}=${value}`), REPO_ROOT]);

describe('the build’s labels come from the source, or the build stops', () => {
  it('stops when VERSION is not package.json’s version', async () => {
    const build = await buildStage({ VERSION: `${version}-other`, REVISION: 'abc' });
    expect(build.code).not.toBe(0);
    expect(build.stderr).toContain(`build: --build-arg VERSION=${version}-other but package.json says ${version}`);
  });

  it('stops when REVISION is not given', async () => {
    const build = await buildStage({ VERSION: version });
    expect(build.code).not.toBe(0);
    expect(build.stderr).toContain('build: --build-arg REVISION=<git commit> is missing');
  });
});
