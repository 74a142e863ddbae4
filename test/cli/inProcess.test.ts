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
