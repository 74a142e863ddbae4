import { afterEach, describe, expect, it, vi } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { freePort } from '../support/ports.js';
import { runMain } from '../support/runMain.js';

/** runMain's promise: CLI runs in one process are as independent as runs of the bundle. */
describe('the CLI run in process', () => {
  it('gives each concurrent run its own stdin and environment, and leaves process.env as it was', async () => {
    const before = { ...process.env };
    const [first, second] = [await freePort(), await freePort()];
    const file = tempFile(SIMPLEPIPE_EXAMPLE);
    const pushTo = (port: number) => runMain([file, 'j', '--retries', '0'], { env: { PUSHGATEWAY_URL: `http://127.0.0.1:${port}` } });
    const [good, bad, one, two] = await Promise.all([
      runMain(['validate', '-'], { stdin: JSON.stringify(SIMPLEPIPE_EXAMPLE) }),
      runMain(['validate', '-'], { stdin: '[{"name": "x"' }),
      pushTo(first),
      pushTo(second),
    ]);
    expect([good.code, bad.code, one.code, two.code]).toEqual([0, 65, 75, 75]);
    expect(bad.stderr).toMatch(/stdin is not valid JSON/);
    expect(one.stderr).toContain(`127.0.0.1:${first}`);
    expect(one.stderr).not.toContain(`127.0.0.1:${second}`);
    expect(two.stderr).toContain(`127.0.0.1:${second}`);
    expect(process.env).toEqual(before);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads no gateway setting of the test process unless the run is given it', async () => {
    vi.stubEnv('PUSHGATEWAY_URL', 'http://127.0.0.1:1');
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--retries', '0', '--deadline', '1s'], { env: {} });
    // The default address, http://pushgateway:9091, as a run in a clean environment uses.
    expect(run.stderr).toMatch(/pushgateway:9091/);
    expect(run.stderr).not.toContain('127.0.0.1:1');
  });
});

/** Each command's client reads the proxy variables of the run's own environment, not the test process's. */
describe('the proxy of an in-process run', () => {
  const commands = (gateway: string, file: string): [string, string[]][] => [
    ['push', [file, 'j', '--gateway', gateway, '--retries', '0']],
    ['remote write', [file, 'j', '--remote-write', `${gateway}/api/v1/write`, '--retries', '0']],
    ['delete', ['delete', 'j', '--gateway', gateway, '--retries', '0']],
    ['prune', ['prune', '--gateway', gateway, '--retries', '0']],
  ];

  it.each(commands('http://127.0.0.1:1', 'FILE'))('%s uses the HTTP_PROXY its run is given', async (_, args) => {
    const file = tempFile(SIMPLEPIPE_EXAMPLE);
    const argv = args.map((arg) => (arg === 'FILE' ? file : arg));
    // A proxy URL that is not http:// is refused (78) before anything is sent: the variable was read.
    const withProxy = await runMain(argv, { env: { HTTP_PROXY: 'https://proxy.invalid:3128' } });
    expect(withProxy.code, withProxy.stderr).toBe(78);
    expect(withProxy.stderr).toContain('HTTP_PROXY must be an http:// proxy');
    // The same run without the variable reaches for the (closed) server itself.
    const without = await runMain(argv, { env: {} });
    expect(without.code, without.stderr).toBe(75);
    expect(without.stderr).not.toContain('HTTP_PROXY');
  });
});
