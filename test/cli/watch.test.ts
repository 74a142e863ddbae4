import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../support/faultProxy.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { trainingDocument, trainingSnapshot } from '../watch/harness.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(async () => {
  await gateway?.stop();
});

function metricFile(step: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'simplepipe-watch-cli-')), 'metrics.json');
  writeFileSync(path, trainingDocument(step));
  return path;
}
const rewrite = (path: string, step: number): void => {
  writeFileSync(`${path}.tmp`, trainingDocument(step));
  renameSync(`${path}.tmp`, path);
};

/** Promises that settle when the app's stderr first matches a pattern: the moment to act, not a guess. */
function stderrWatch() {
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  return {
    onStderr: (text: string): void => {
      for (const wait of waiting) if (wait.pattern.test(text)) wait.resolve();
    },
    when: (pattern: RegExp): Promise<void> => new Promise((resolve) => waiting.push({ pattern, resolve })),
  };
}

// No event or poll comes within a test: what the gateway holds after SIGTERM is the final push's doing.
const QUIET = ['--debounce', '60m', '--poll', '60m', '--interval', '60m'];

describe('simplepipe watch: ending', () => {
  it('on SIGTERM pushes the file as it is now once more, then exits 0', async () => {
    const path = metricFile(1);
    const stderr = stderrWatch();
    const pushedFirst = stderr.when(/pushed .* \(first\)/);
    void pushedFirst.then(() => rewrite(path, 2));
    const run = await runApp(['watch', path, 'train-sigterm', '--gateway', gateway.url, ...QUIET], { onStderr: stderr.onStderr, sigtermWhen: pushedFirst });
    expect(run.stderr).toMatch(/pushed .* \(final\)/);
    expect(run.code).toBe(0);
    const group = await gateway.group({ job: 'train-sigterm' });
    expect(trainingSnapshot(group!)).toMatchObject({ step: 2, whole: true });
    expect(run.stderr).toMatch(/simplepipe: stopped pushes=2 invalid=0 failed=0\n$/);
  });

  it('with --delete-on-exit deletes the group on SIGTERM instead, then exits 0', async () => {
    const stderr = stderrWatch();
    const run = await runApp(['watch', metricFile(1), 'train-delete-cli', '--gateway', gateway.url, '--delete-on-exit', ...QUIET], {
      onStderr: stderr.onStderr,
      sigtermWhen: stderr.when(/pushed .* \(first\)/),
    });
    expect(run.stderr).toMatch(/stopped: deleted the group/);
    expect(run.code).toBe(0);
    await gateway.groupsWhen((groups) => !groups.some((group) => group.labels.job === 'train-delete-cli'));
  });

  it('a second SIGTERM ends a final push that hangs at once, with 143: its body was sent whole, so it may have been stored', async () => {
    const proxy = await startFaultProxy(gateway.url, { sequence: [null], fault: { kind: 'hang' } });
    try {
      const stderr = stderrWatch();
      const pushedFirst = stderr.when(/pushed .* \(first\)/);
      const finalSent = pushedFirst.then(() => proxy.waitForRequests(2));
      const run = await runApp(['watch', metricFile(1), 'train-twice', '--gateway', proxy.url, '--deadline', '60m', '--timeout', '60m', ...QUIET], {
        onStderr: stderr.onStderr,
        sigtermWhen: [pushedFirst, finalSent],
      });
      // The proxy reads the whole request before it hangs (test/cli/signals.test.ts): the answer alone is missing.
      expect(run.stderr).toMatch(/stopped \(received SIGTERM again\) on PUT .* after its whole body was sent, before the answer: the push may have been stored/);
      expect(run.code).toBe(143);
    } finally {
      await proxy.close();
    }
  });

  it('the final push ends by --deadline, with the push’s 75', async () => {
    const proxy = await startFaultProxy(gateway.url, { sequence: [null], fault: { kind: 'hang' } });
    try {
      const stderr = stderrWatch();
      const run = await runApp(['watch', metricFile(1), 'train-deadline', '--gateway', proxy.url, '--deadline', '1s', '--timeout', '500ms', ...QUIET], {
        onStderr: stderr.onStderr,
        sigtermWhen: stderr.when(/pushed .* \(first\)/),
      });
      expect(run.code).toBe(75);
      expect(run.stderr).not.toMatch(/pushed .* \(final\)/);
    } finally {
      await proxy.close();
    }
  });

  it('SIGTERM before the file ever existed ends with 66: nothing was pushed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'simplepipe-watch-cli-')), 'never.json');
    const stderr = stderrWatch();
    const run = await runApp(['watch', path, 'train-never', '--gateway', gateway.url, ...QUIET], { onStderr: stderr.onStderr, sigtermWhen: stderr.when(/waiting: /) });
    expect(run.stderr).toMatch(/stopped with nothing pushed: cannot read input .*never\.json: no such file/);
    expect(run.code).toBe(66);
  });
});

describe('simplepipe watch: the first push keeps the push’s exit codes', () => {
  it.each([
    [401, 77],
    [404, 78],
  ])('a gateway answering %i to the first push ends the watch with %i', async (status, code) => {
    const proxy = await startFaultProxy(gateway.url, { fault: { kind: 'status', status } });
    try {
      const run = await runApp(['watch', metricFile(1), 'train-refused', '--gateway', proxy.url, ...QUIET]);
      expect(run.code).toBe(code);
    } finally {
      await proxy.close();
    }
  });

  it('no gateway after the retries: 75', async () => {
    const run = await runApp(['watch', metricFile(1), 'train-nowhere', '--gateway', 'http://127.0.0.1:9', '--retries', '1', '--deadline', '2s', ...QUIET]);
    expect(run.code).toBe(75);
  });
});

describe('simplepipe watch: usage', () => {
  it.each([
    [['--timestamp', '2026-01-01T00:00:00Z', '--remote-write', 'http://127.0.0.1:9/api/v1/write'], /unknown option '--timestamp'/],
    [['--delete-on-exit', '--remote-write', 'http://127.0.0.1:9/api/v1/write'], /--delete-on-exit cannot be combined with --remote-write/],
    [['--method', 'post', '--remote-write', 'http://127.0.0.1:9/api/v1/write'], /--method cannot be combined with --remote-write/],
    [['--interval', '0'], /--interval/],
  ])('refuses %j with 64', async (flags, message) => {
    const run = await runApp(['watch', metricFile(1), 'train', ...flags]);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(64);
  });

  it.each(['-', 's3://bucket/metrics.json'])('refuses %s, which cannot be watched, with 64', async (input) => {
    const run = await runApp(['watch', input, 'train', '--gateway', gateway.url]);
    expect(run.stderr).toMatch(/watch reads a local file/);
    expect(run.code).toBe(64);
  });
});
