import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../../support/files.js';
import { loadedModulesProbe, unneededModules } from '../../support/loadedModules.js';
import { runContainer, type ContainerOptions } from '../../support/podman.js';
import { freePort } from '../../support/ports.js';
import { startPushgateway, type GatewayFamily, type Pushgateway } from '../../support/pushgateway.js';
import { writeWebConfig } from '../../support/webConfig.js';

/** The pod's uid: the image's own, and an OpenShift-style random one whose only group is 0. */
const USERS = [
  ['the image’s uid 1000', '1000:1000'],
  ['a random uid in group 0', '1000680000:0'],
] as const;

let gateway: Pushgateway;
let secured: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
  const webConfigFile = writeWebConfig(mkdtempSync(join(tmpdir(), 'simplepipe-auth-')), { users: { pusher: 's3cret-pass' } });
  secured = await startPushgateway({ webConfigFile, probeHeaders: { authorization: `Basic ${Buffer.from('pusher:s3cret-pass').toString('base64')}` } });
});
afterAll(async () => {
  await gateway?.stop();
  await secured?.stop();
});

/** As the WorkflowTemplate runs it: `command: [node]`, `args: [app.js, /tmp/metric-in.json, <job>]`, the input mounted. */
function pushAsArgo(input: unknown, job: string, options: ContainerOptions & { flags?: string[] } = {}) {
  return runContainer(['app.js', '/tmp/metric-in.json', job, ...(options.flags ?? [])], {
    ...options,
    entrypoint: 'node',
    files: { [tempFile(input, 'metric-in.json')]: '/tmp/metric-in.json', ...options.files },
    env: { PUSHGATEWAY_URL: gateway.url, ...options.env },
  });
}

describe('the built image, run as Kubernetes runs it (read-only root, no capabilities, no privilege gain)', () => {
  it('prints --help when run with no arguments, nothing on stderr', async () => {
    const run = await runContainer([]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Exit codes: 0 ok, 64 usage/);
  });

  it.each(USERS)('pushes Simplepipe’s own file with Simplepipe’s command as %s, and the group lands', async (_, user) => {
    const job = `image_${user.split(':')[0]}`;
    const run = await pushAsArgo(SIMPLEPIPE_EXAMPLE, job, { user });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('simplepipe: '))).toEqual([]);
    const group = (await gateway.group({ job })) as unknown as Record<string, GatewayFamily> | undefined;
    expect(group?.simple?.metrics).toEqual([{ labels: { instance: '', job }, value: '6' }]);
  });

  it('pushes to a plain http:// gateway without loading tls, crypto, zlib or http2 into the image’s Node', async () => {
    const run = await pushAsArgo(SIMPLEPIPE_EXAMPLE, 'image_modules', {
      files: { [loadedModulesProbe()]: '/probe/loaded-modules.cjs' },
      env: { NODE_OPTIONS: '--max-semi-space-size=4 --require /probe/loaded-modules.cjs' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(unneededModules(run.stderr)).toEqual([]);
  });

  it('starts the bundle from the compile cache the image holds, as the image’s uid', async () => {
    expect(await compileCacheUsed({})).toBe(true);
  });
});

describe('the compile cache under a random uid in group 0 (OpenShift)', () => {
  const user = '1000680000:0';

  it('is used on a writable root, OpenShift’s restricted default', async () => {
    expect(await compileCacheUsed({ user, writableRoot: true })).toBe(true);
  });

  it('is used on a read-only root with a writable /tmp (an emptyDir there)', async () => {
    expect(await compileCacheUsed({ user, writableTmp: true })).toBe(true);
  });

  it('is done without, silently, where nothing is writable', async () => {
    const run = await runContainer(['--version'], { user });
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });
});

/** Whether Node accepted V8's cached code for the bundle at start, as its own debug output says. */
async function compileCacheUsed(options: ContainerOptions): Promise<boolean> {
  const run = await runContainer(['--version'], { ...options, env: { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' } });
  expect(run.code, run.stderr).toBe(0);
  return /V8 code cache for ESM file:\/\/\/app\/simplepipe\.js was accepted/.test(run.stderr);
}

describe('every documented exit code, from the built image', () => {
  it('64: an unknown flag', async () => {
    const run = await pushAsArgo(SIMPLEPIPE_EXAMPLE, 'image_usage', { flags: ['--no-such-flag'] });
    expect(run.code).toBe(64);
  });

  it('65: a record that is not valid, and nothing pushed', async () => {
    const run = await pushAsArgo([{ name: 'bad', description: 'd', value: 'six', metric_type: 'gauge' }], 'image_bad');
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/nothing was pushed/);
    expect(await gateway.group({ job: 'image_bad' })).toBeUndefined();
  });

  it('66: no input file at the path', async () => {
    const run = await runContainer(['app.js', '/tmp/metric-in.json', 'image_missing'], { entrypoint: 'node', env: { PUSHGATEWAY_URL: gateway.url } });
    expect(run.code).toBe(66);
    expect(run.stderr).toMatch(/cannot read input \/tmp\/metric-in\.json: no such file/);
  });

  it('75: no gateway listening, after retries', async () => {
    const run = await pushAsArgo(SIMPLEPIPE_EXAMPLE, 'image_down', { env: { PUSHGATEWAY_URL: `http://127.0.0.1:${await freePort()}` }, flags: ['--deadline', '2s'] });
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/ECONNREFUSED/);
  });

  it('77: a gateway that refuses the credentials', async () => {
    const url = new URL(secured.url);
    url.username = 'pusher';
    url.password = 'wrong-pass';
    const run = await pushAsArgo(SIMPLEPIPE_EXAMPLE, 'image_auth', { env: { PUSHGATEWAY_URL: url.href } });
    expect(run.code).toBe(77);
  });

  it('78: a gateway URL that is not http(s)', async () => {
    const run = await pushAsArgo(SIMPLEPIPE_EXAMPLE, 'image_config', { env: { PUSHGATEWAY_URL: 'ftp://127.0.0.1' } });
    expect(run.code).toBe(78);
  });
});
