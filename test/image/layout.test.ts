import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startPushgateway, type GatewayFamily, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { finalStageEnv, finalStageFiles, parseDockerfile, workdir } from './dockerfile.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const parsed = parseDockerfile();
const build = parsed.stages[0]!;
const final = parsed.stages.at(-1)!;
const APP_DIR = workdir(final);

/** What the image's /app holds, rebuilt from the final stage's COPY lines in an empty folder. */
let layout: string;
let gateway: Pushgateway;

beforeAll(async () => {
  layout = mkdtempSync(join(tmpdir(), 'simplepipe-image-'));
  for (const file of finalStageFiles(parsed)) {
    if (!file.target.startsWith(`${APP_DIR}/`)) throw new Error(`COPY to ${file.target}: outside ${APP_DIR}, which this test rebuilds`);
    const into = join(layout, posix.relative(APP_DIR, file.target));
    mkdirSync(dirname(into), { recursive: true });
    copyFileSync(join(REPO_ROOT, file.source), into);
  }
  gateway = await startPushgateway();
});
afterAll(async () => {
  await gateway?.stop();
  if (layout) rmSync(layout, { recursive: true, force: true });
});

const instructions = (keyword: string): string[] => final.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('the Dockerfile', () => {
  it('builds with npm ci and npm run build in a separate stage', () => {
    const runs = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((run) => run.startsWith('npm ci'))).toBe(true);
    expect(runs.some((run) => run.startsWith('npm run build'))).toBe(true);
    expect(parsed.stages.length).toBeGreaterThan(1);
  });

  it('ends in a Node 24 alpine stage that runs from /app as a numeric non-root user, without npm', () => {
    expect(parsed.globalArgs.NODE_VERSION).toBe('24');
    expect(final.from).toBe('node:${NODE_VERSION}-alpine');
    expect(APP_DIR).toBe('/app');
    expect(instructions('USER')).toHaveLength(1);
    const [uid] = instructions('USER')[0]!.split(':');
    expect(Number(uid)).toBeGreaterThan(0);
    expect(instructions('RUN').join(' ')).toMatch(/rm -rf .*\/usr\/local\/lib\/node_modules .*\/usr\/local\/bin\/npm /);
  });

  it('carries the OCI labels', () => {
    const labels = instructions('LABEL').join(' ');
    for (const key of ['title', 'description', 'licenses', 'version', 'revision']) expect(labels).toContain(`org.opencontainers.image.${key}=`);
  });

  it('copies the bundle to /app/app.js, and nothing from node_modules', () => {
    const files = finalStageFiles(parsed);
    expect(files).toContainEqual({ source: 'dist/app.js', target: '/app/app.js' });
    expect(files.filter((file) => file.source.includes('node_modules'))).toEqual([]);
  });
});

describe('the image’s /app, rebuilt from the final stage’s COPY lines', () => {
  it('holds only the copied files, with no node_modules in reach', () => {
    const present = readdirSync(layout, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(layout, path)).isFile());
    expect(present.sort()).toEqual(finalStageFiles(parsed).map((f) => posix.relative(APP_DIR, f.target)).sort());
    for (let dir = layout; dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
  });

  it('runs `node app.js --help` as ESM, with nothing on stderr', async () => {
    const run = await runApp(['--help'], { script: 'app.js', cwd: layout });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Exit codes: 0 ok, 64 usage/);
  });

  it('runs `node app.js <metric-in.json> simple` with the image’s NODE_OPTIONS and pushes to a real Pushgateway, with no warning on stderr', async () => {
    const input = tempFile(SIMPLEPIPE_EXAMPLE, 'metric-in.json');
    // Node refuses to start when NODE_OPTIONS holds an option it does not allow there.
    const { NODE_OPTIONS } = finalStageEnv(parsed);
    expect(NODE_OPTIONS).toBeDefined();
    const run = await runApp([input, 'simple'], { script: 'app.js', cwd: layout, env: { PUSHGATEWAY_URL: gateway.url, NODE_OPTIONS } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('simplepipe: '))).toEqual([]);
    const group = (await gateway.group({ job: 'simple' })) as unknown as Record<string, GatewayFamily> | undefined;
    expect(group?.simple?.metrics).toEqual([{ labels: { instance: '', job: 'simple' }, value: '6' }]);
  });

  // NODE_COMPILE_CACHE is Node 22.1+: CI's second pass, under Node 24 as in the image, runs this.
  it.skipIf(Number(process.versions.node.split('.')[0]) < 22)(
    'keeps a compile cache, warmed by the Dockerfile’s own RUN line after USER, that the next start accepts',
    async () => {
      const env = finalStageEnv(parsed);
      const cache = join(layout, posix.relative(APP_DIR, env.NODE_COMPILE_CACHE!));
      mkdirSync(cache, { recursive: true });
      const user = instructions('USER')[0]!;
      const warmUp = final.instructions.slice(final.instructions.findIndex((i) => i.keyword === 'USER' && i.args === user)).filter((i) => i.keyword === 'RUN');
      expect(warmUp).toHaveLength(1);
      // The RUN line as the image's shell runs it, with this test's node first on PATH.
      execFileSync('sh', ['-c', warmUp[0]!.args], { cwd: layout, env: { ...process.env, NODE_COMPILE_CACHE: cache, PATH: `${dirname(process.execPath)}:${process.env.PATH}` } });
      const run = await runApp(['--help'], { script: 'app.js', cwd: layout, env: { NODE_COMPILE_CACHE: cache, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' } });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/V8 code cache for ESM file:\/\/\S+\/app\.js was accepted/);
    },
  );
});
