import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { noopLogger, type Logger } from '../../src/log.js';
import { watchFile } from '../../src/watch/watcher.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { trainingDocument } from './harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(async () => {
  await gateway?.stop();
});

const WARM_UP = 1_000;
const MEASURED = 2_000;

/** The memory in use once everything unreachable is collected: the heap, and the buffers outside it (a file's bytes). */
function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

it(`keeps its heap flat over ${MEASURED} cycles of changes, refusals and interval pushes against a real gateway`, { timeout: 240_000 }, async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'simplepipe-watch-memory-')), 'metrics.json');
  // 4 KiB a file, so that even keeping each version's bytes would show.
  const note = 'x'.repeat(4096);
  const version = (step: number): string => {
    const document = JSON.parse(trainingDocument(step)) as { labels: Record<string, string> };
    return JSON.stringify({ ...document, labels: { ...document.labels, note } });
  };
  const rewrite = (text: string): void => {
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  };
  let pushes = 0;
  let intervalPushes = 0;
  let invalid = 0;
  let failures = 0;
  const marks: { pushes: number; reached: () => void }[] = [];
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // Each push makes the next change: one cycle after another, as fast as the gateway answers. Every twentieth
  // cycle the file is made invalid instead and left so: the interval then pushes the last good version,
  // whose push makes the next change.
  const logger: Logger = {
    ...noopLogger,
    info: (message) => {
      if (!message.startsWith('pushed ')) return;
      pushes++;
      if (message.endsWith('(interval)')) intervalPushes++;
      for (const mark of marks) if (pushes >= mark.pushes) mark.reached();
      rewrite(pushes % 20 === 0 ? '{"metrics": [' : version(pushes));
    },
    warn: (message) => {
      if (message.startsWith('not pushed (')) invalid++;
      // A push slower than the interval (a loaded machine) gives up; that cycle counts as well as another.
      else if (message.startsWith('push failed, the watch goes on')) rewrite(version(++failures));
      else fail(new Error(`unexpected warning: ${message}`));
    },
  };
  const reached = (count: number): Promise<void> => Promise.race([failed, new Promise<void>((resolve) => marks.push({ pushes: count, reached: resolve }))]);
  rewrite(version(0));
  const controller = new AbortController();
  const watching = watchFile({ path, job: 'train-memory', gateway: gateway.url, debounceMs: 1, pollMs: 5, intervalMs: 100, retry: { deadlineMs: 10_000 }, stop: controller.signal, logger });

  await reached(WARM_UP);
  const before = settledHeap();
  await reached(WARM_UP + MEASURED / 2);
  const middle = settledHeap();
  await reached(WARM_UP + MEASURED);
  const after = settledHeap();
  controller.abort();
  const summary = await watching;

  const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
  process.stderr.write(`[watch memory] heap after ${WARM_UP} cycles ${mib(before)}, after ${WARM_UP + MEASURED / 2} ${mib(middle)}, after ${WARM_UP + MEASURED} ${mib(after)}; ${invalid} refusals, ${intervalPushes} pushes at the interval, ${failures} failed\n`);
  expect(summary.pushes).toBeGreaterThanOrEqual(WARM_UP + MEASURED);
  expect(invalid).toBeGreaterThan(MEASURED / 40);
  expect(intervalPushes).toBeGreaterThan(MEASURED / 40);
  // A leak of 1 KiB a cycle would add 2 MiB; keeping each version's bytes, 8 MiB.
  expect(after - before).toBeLessThan(1.5 * 1024 ** 2);
});
