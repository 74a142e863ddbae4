import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { APP, runApp } from '../support/runApp.js';
import { startS3, type S3Server } from '../support/s3.js';

/**
 * The packages the CLI bundle keeps compressed and imports from a data: URL on first use (scripts/build.mjs),
 * each module headed by a comment that names its package.
 */
const LAZY = ['@aws-sdk/client-s3', '@grafana/grafana-foundation-sdk', 'protobufjs', 'snappyjs', 'tar-stream'];

/** Runs dist/app.js under V8's coverage and names the lazily loaded packages whose module it loaded. */
async function loadedPackages(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; loaded: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-coverage-'));
  try {
    const run = await runApp(args, { env: { ...env, NODE_V8_COVERAGE: dir } });
    const urls = readdirSync(dir).flatMap((file) => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { result: { url: string }[] }).result.map((script) => script.url));
    const sources = urls
      .filter((url) => url.startsWith('data:text/javascript;base64,'))
      .map((url) => Buffer.from(url.slice('data:text/javascript;base64,'.length), 'base64').toString('utf8'));
    const loaded = sources.flatMap((source) => /^\/\* simplepipe: loaded on first use: (\S+) \*\//.exec(source)?.[1] ?? []);
    expect(sources, 'every data: module is one of ours, named').toHaveLength(loaded.length);
    return { code: run.code, loaded: loaded.sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket('artifacts');
  await s3.putObject('artifacts', 'metric-json', JSON.stringify(SIMPLEPIPE_EXAMPLE));
});
afterAll(() => s3?.stop());

describe('packages the CLI loads only when a run uses them', () => {
  it('are imported as modules: the bundle compiles no code from strings and sets no V8 flag at run time', () => {
    const bundle = readFileSync(APP, 'utf8');
    for (const undocumented of ['new Function', 'setFlagsFromString', 'vm.runIn']) expect(bundle).not.toContain(undocumented);
  });

  it.each([
    ['a Pushgateway push', [tempFile(SIMPLEPIPE_EXAMPLE), 'lazy', '--gateway', 'http://127.0.0.1:1', '--retries', '0'], 75],
    ['a dry run', [tempFile(SIMPLEPIPE_EXAMPLE), '--dry-run'], 0],
    ['validate', ['validate', tempFile(SIMPLEPIPE_EXAMPLE)], 0],
    ['a remote-write dry run, which encodes nothing', [tempFile(SIMPLEPIPE_EXAMPLE), '--remote-write', 'http://127.0.0.1:1/api/v1/write', '--dry-run'], 0],
    ['rules', ['rules', tempFile(SIMPLEPIPE_EXAMPLE), 'lazy', '--every', '1d'], 0],
  ])('%s loads none of them', async (_, args, code) => {
    expect(await loadedPackages(args as string[])).toEqual({ code, loaded: [] });
  });

  it('an input archived as tar+gzip loads the tar reader, and only it; a gzip file alone loads nothing', async () => {
    const json = tempFile(SIMPLEPIPE_EXAMPLE, 'metric-in.json');
    const archive = join(dirname(json), 'metric-in.tgz');
    execFileSync('tar', ['-czf', archive, '-C', dirname(json), 'metric-in.json']);
    expect(await loadedPackages([archive, '--dry-run'])).toEqual({ code: 0, loaded: ['tar-stream'] });
    expect(await loadedPackages([tempFile(gzipSync(JSON.stringify(SIMPLEPIPE_EXAMPLE)), 'metric-in.json.gz'), '--dry-run'])).toEqual({ code: 0, loaded: [] });
  });

  it('a remote write loads its compressor, and only it (the protobuf is written directly)', async () => {
    // Nothing listens on port 1: the write fails at once, after encoding.
    const run = await loadedPackages([tempFile(SIMPLEPIPE_EXAMPLE), 'lazy', '--remote-write', 'http://127.0.0.1:1/api/v1/write', '--retries', '0']);
    expect(run).toEqual({ code: 75, loaded: ['snappyjs'] });
  });

  it('dashboard loads the Grafana SDK, and only it', async () => {
    expect(await loadedPackages(['dashboard', '--overview'])).toEqual({ code: 0, loaded: ['@grafana/grafana-foundation-sdk'] });
  });

  it('an s3:// input loads the AWS SDK, and only it', async () => {
    const run = await loadedPackages(['s3://artifacts/metric-json', '--dry-run'], s3.env);
    expect(run).toEqual({ code: 0, loaded: ['@aws-sdk/client-s3'] });
    expect(LAZY).toEqual(expect.arrayContaining(run.loaded));
  });
});
