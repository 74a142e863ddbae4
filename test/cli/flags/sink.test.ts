import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

const RECEIVER = 'http://127.0.0.1:9/api/v1/write';

/** Runs one command line in process; nothing here reaches a server: every case is refused before the input is read. */
async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(argv, { stdout: () => {}, stderr: (text) => void (stderr += text), env: {} }, 'test');
  return { code, stderr };
}

describe('each sink refuses the other’s flags (64), naming both', () => {
  it.each<[string, string[]]>([
    ['--gateway', ['--gateway', 'http://127.0.0.1:9']],
    ['--method', ['--method', 'post']],
    ['--verify', ['--verify']],
    ['--ttl', ['--ttl', '7d']],
    ['--tenant-label', ['--tenant-label', 'namespace']],
    ['--max-labels-per-series', ['--max-labels-per-series', '40']],
    ['--max-label-value-bytes', ['--max-label-value-bytes', '8KiB']],
    ['--max-series-bytes', ['--max-series-bytes', '32KiB']],
    ['--max-series', ['--max-series', '5']],
  ])('push: %s with --remote-write', async (flag, flags) => {
    const { code, stderr } = await run(['push', 'never-read.json', 'job', '--remote-write', RECEIVER, ...flags]);
    expect(stderr).toContain(`${flag} cannot be combined with --remote-write`);
    expect(code).toBe(64);
  });

  it('push: only the flags given are refused, every one named: --method left to its default is no choice', async () => {
    const { stderr } = await run(['push', 'never-read.json', 'job', '--remote-write', RECEIVER, '--verify', '--ttl', '1d']);
    expect(stderr).toContain('--verify, --ttl cannot be combined with --remote-write: no Pushgateway is contacted');
    expect(stderr).not.toContain('--method');
  });

  it('watch: --delete-on-exit with --remote-write, with the reason of its own', async () => {
    const { code, stderr } = await run(['watch', 'never-read.json', 'job', '--remote-write', RECEIVER, '--delete-on-exit']);
    expect(stderr).toContain('--delete-on-exit cannot be combined with --remote-write: it deletes a Pushgateway group, and written samples stay');
    expect(code).toBe(64);
  });

  it.each<[string, string[]]>([
    ['--tenant', ['--tenant', 'team-a']],
    ['--timestamp', ['--timestamp', '1795285800']],
    ['--max-samples-per-request', ['--max-samples-per-request', '9']],
  ])('push: %s without --remote-write', async (flag, flags) => {
    const { code, stderr } = await run(['push', 'never-read.json', 'job', ...flags]);
    expect(stderr).toContain(`${flag} needs --remote-write`);
    expect(code).toBe(64);
  });

  it('watch: --tenant without --remote-write, through the same check as push', async () => {
    const { code, stderr } = await run(['watch', 'never-read.json', 'job', '--tenant', 'team-a']);
    expect(stderr).toContain('--tenant needs --remote-write');
    expect(code).toBe(64);
  });
});
