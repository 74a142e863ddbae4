import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inputBytesThatFit, readMemoryBudget } from '../src/memory.js';
import { tempFile } from './support/files.js';
import { useGatewayBehindProxy } from './support/gatewayFixture.js';
import { runApp } from './support/runApp.js';

/** A directory laid out as /sys/fs/cgroup, holding only the given files. */
function cgroupRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'simplepipe-cgroup-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('the memory budget a push plans with', () => {
  it('reads cgroup v2 memory.max, then v1 memory.limit_in_bytes; "max" and v1’s unlimited are no limit', () => {
    expect(readMemoryBudget(cgroupRoot({ 'memory.max': '134217728\n' })).container).toEqual({ bytes: 134217728, source: 'cgroup v2 memory.max' });
    expect(readMemoryBudget(cgroupRoot({ 'memory/memory.limit_in_bytes': '268435456\n' })).container).toEqual({
      bytes: 268435456,
      source: 'cgroup v1 memory.limit_in_bytes',
    });
    expect(readMemoryBudget(cgroupRoot({ 'memory.max': 'max\n' })).container).toBeUndefined();
    expect(readMemoryBudget(cgroupRoot({ 'memory/memory.limit_in_bytes': '9223372036854771712\n' })).container).toBeUndefined();
    expect(readMemoryBudget(cgroupRoot({})).container).toBeUndefined();
  });

  it('the old space is the heap limit less the young generation (three semi-spaces, --max-semi-space-size)', () => {
    // This Node's own default semi-space, measured: its heap limit beyond a given old space, over three.
    const heapLimitMiB = Number(
      execFileSync(process.execPath, ['--max-old-space-size=32', '-p', 'require("v8").getHeapStatistics().heap_size_limit / 2 ** 20'], { encoding: 'utf8' }),
    );
    const defaultSemiSpaceMiB = (heapLimitMiB - 32) / 3;
    const withDefault = readMemoryBudget(cgroupRoot({}), {});
    const withSmallSemiSpace = readMemoryBudget(cgroupRoot({}), { NODE_OPTIONS: '--max-semi-space-size=4' });
    expect(withSmallSemiSpace.oldSpaceBytes - withDefault.oldSpaceBytes).toBe(3 * (defaultSemiSpaceMiB - 4) * 2 ** 20);
  });

  it('takes --max-old-space-size as the old space exactly', () => {
    expect(readMemoryBudget(cgroupRoot({}), { NODE_OPTIONS: '--max-old-space-size=32' }).oldSpaceBytes).toBe(32 * 2 ** 20);
  });

  it('fits less input the smaller the container, none once it is full', () => {
    const heap = { heapBytes: 2 ** 40, oldSpaceBytes: 2 ** 40 };
    const rss = process.memoryUsage().rss;
    const roomy = inputBytesThatFit({ ...heap, container: { bytes: rss + 600 * 2 ** 20, source: 'test' } });
    const tight = inputBytesThatFit({ ...heap, container: { bytes: rss + 200 * 2 ** 20, source: 'test' } });
    expect(roomy).toBeGreaterThan(tight);
    expect(tight).toBeGreaterThan(0);
    expect(inputBytesThatFit({ ...heap, container: { bytes: 1024 * 1024, source: 'test' } })).toBe(0);
  });
});

describe('an input that will not fit the heap: one line and exit 71, never a V8 crash trace', () => {
  const fixture = useGatewayBehindProxy();

  // 80,000 records, about 11.6 MB: the heap of 32 MiB old space that the test gives the app fits about 6 MB.
  const records = Array.from({ length: 80_000 }, (_, i) => ({ name: `m_${i % 50}`, description: 'd', metric_type: 'gauge', value: i, labels: { model: `m${i}`, stage: 'train' } }));
  const CAPPED = { NODE_OPTIONS: '--max-old-space-size=32' };
  const expectOneLine = (stderr: string): void => {
    expect(stderr).not.toMatch(/FATAL ERROR|JavaScript heap out of memory|Native stack trace/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/is larger than this process's memory allows \(heap limit \d+ MiB, 32 MiB of it old space, about \d+ MiB of input\): raise the memory limit .*; nothing was pushed exit=71$/m);
  };

  it.each([
    ['a file', (file: string) => ({ args: [file], stdin: undefined })],
    ['stdin', (file: string) => ({ args: ['-'], stdin: Readable.from([readFileSync(file)]) })],
  ])('%s: refused before it is read whole, nothing sent', async (_, how) => {
    const file = tempFile(records);
    const { args, stdin } = how(file);
    const before = fixture.sharedProxy.requests.length;
    const run = await runApp([...args, 'too_big', '--gateway', fixture.sharedProxy.url], { env: CAPPED, stdin });
    expect(run.code).toBe(71);
    expectOneLine(run.stderr);
    expect(fixture.sharedProxy.requests.length).toBe(before);
  });

  it('an input that fits the same heap is pushed', async () => {
    const run = await runApp([tempFile(records.slice(0, 5_000)), 'fits', '--gateway', fixture.sharedProxy.url], { env: CAPPED });
    expect(run.code).toBe(0);
    expect(await fixture.gateway.group({ job: 'fits' })).toBeDefined();
  });
});

