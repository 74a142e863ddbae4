import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionError } from '../../src/errors.js';
import { watchFile, type WatchOptions } from '../../src/watch/watcher.js';
import { startFaultProxy } from '../support/faultProxy.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { recordingLogger, runWriter, trainingDocument, trainingSnapshot, type TrainingSnapshot } from './harness.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(async () => {
  await gateway?.stop();
});

const freshPath = (): string => join(mkdtempSync(join(tmpdir(), 'simplepipe-watch-')), 'metrics.json');
const writeByRename = (path: string, text: string): void => {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
};

/** Starts a watch of `path` as `job`; stop() ends it as SIGTERM would and returns its summary. */
function watch(path: string, job: string, options: Partial<Extract<WatchOptions, { gateway: string }>> = {}) {
  const recorder = recordingLogger();
  const controller = new AbortController();
  const done = watchFile({ path, job, gateway: gateway.url, debounceMs: 20, pollMs: 100, intervalMs: 60_000, retry: { retries: 1 }, stop: controller.signal, logger: recorder.logger, ...options });
  return { ...recorder, done, stop: () => (controller.abort(new Error('stopped by the test')), done) };
}

const snapshotOf = async (job: string): Promise<TrainingSnapshot | undefined> => {
  const group = await gateway.group({ job });
  return group === undefined ? undefined : trainingSnapshot(group);
};
const stepHeld = (job: string, step: number) =>
  gateway.groupsWhen((groups) => groups.some((g) => g.labels.job === job && trainingSnapshot(g).step === step), 20_000);

describe('watch: a python writer rewriting the file, a real Pushgateway', () => {
  it.each(['in-place', 'rename'] as const)('the gateway holds every value a writer rewriting %s settled on, and never a half-written file', async (mode) => {
    const path = freshPath();
    const job = `train-${mode}`;
    const steps = 12;
    const watcher = watch(path, job);
    // Everything the gateway holds while the writer works, read as often as it answers.
    const seen: TrainingSnapshot[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const snapshot = await snapshotOf(job);
        if (snapshot) seen.push(snapshot);
      }
    })();

    let halves = 0;
    const settled = await runWriter(path, mode, { steps, burst: 4 }, {
      half: async (step) => {
        halves++;
        // The watcher has read the half-written file (each half is new bytes, so it does), and refused it...
        await watcher.when(() => watcher.invalid() >= halves, `refusal of half-written step ${step}`);
        // ...while the gateway still holds a whole earlier version.
        const held = await snapshotOf(job);
        if (held !== undefined) {
          expect(held.whole).toBe(true);
          expect(held.step).toBeLessThan(step);
        }
      },
      settled: async (step) => void (await stepHeld(job, step)),
    });
    sampling = false;
    await sampler;

    const summary = await watcher.stop();
    expect(settled).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(seen.length).toBeGreaterThan(steps);
    expect(seen.filter((snapshot) => !snapshot.whole)).toEqual([]);
    if (mode === 'in-place') expect(summary.invalid).toBeGreaterThanOrEqual(steps);
    else expect(summary.invalid).toBe(0);
    expect(watcher.count(/^waiting: .*no such file/)).toBe(1);
    // The final push, of the file as the writer left it.
    expect((await snapshotOf(job))?.step).toBe(steps);
    expect(summary.pushes).toBe(watcher.pushes());
  });
});

describe('watch: when it pushes', () => {
  it('does not push the same bytes twice in a row on a change', async () => {
    const path = freshPath();
    writeByRename(path, trainingDocument(1));
    const watcher = watch(path, 'train-same');
    await watcher.when(() => watcher.pushes() === 1, 'first push');
    writeByRename(path, trainingDocument(1));
    await watcher.when(() => watcher.count(/unchanged: not pushed again/, 'debug') >= 1, 'the rewrite looked at');
    writeByRename(path, trainingDocument(2));
    await stepHeld('train-same', 2);
    expect(watcher.pushes()).toBe(2);
    await watcher.stop();
  });

  it.each([
    ['the poll alone, as on a volume whose events never arrive', { debounceMs: 3_600_000, pollMs: 50 }],
    ['file-system events alone', { debounceMs: 20, pollMs: 3_600_000 }],
  ])('finds each change by %s', async (_, timing) => {
    const path = freshPath();
    writeByRename(path, trainingDocument(1));
    const job = `train-${timing.pollMs}`;
    const watcher = watch(path, job, timing);
    for (const step of [1, 2, 3]) {
      if (step > 1) writeByRename(path, trainingDocument(step));
      await stepHeld(job, step);
    }
    await watcher.stop();
  });

  it('pushes the unchanged file again every interval, so push_time_seconds shows the job alive', async () => {
    const path = freshPath();
    writeByRename(path, trainingDocument(7));
    const watcher = watch(path, 'train-interval', { intervalMs: 150 });
    await watcher.when(() => watcher.count(/\(interval\)$/, 'info') >= 3, 'three pushes at the interval');
    const first = (await snapshotOf('train-interval'))!;
    await gateway.groupsWhen((groups) => groups.some((g) => g.labels.job === 'train-interval' && trainingSnapshot(g).pushTime > first.pushTime));
    expect(first.step).toBe(7);
    await watcher.stop();
  });

  it('keeps the last good push while the file is not valid, and pushes that one at the interval', async () => {
    const path = freshPath();
    writeByRename(path, trainingDocument(3));
    const watcher = watch(path, 'train-invalid', { intervalMs: 150 });
    await stepHeld('train-invalid', 3);
    writeByRename(path, JSON.stringify([{ name: 'train_step', description: 'step', value: 4, metric_type: 'gauge_ish' }]));
    await watcher.when(() => watcher.invalid() === 1, 'one refusal');
    const pushes = watcher.pushes();
    await watcher.when(() => watcher.pushes() >= pushes + 2, 'pushes at the interval');
    // One line for the bad file, however many intervals pass: the same bytes are not checked again.
    expect(watcher.invalid()).toBe(1);
    expect(watcher.lines.find((line) => line.level === 'warn')?.message).toMatch(/^not pushed \(the last good push stays; trying again at the next change\): .*metric_type/);
    const held = (await snapshotOf('train-invalid'))!;
    expect(held).toMatchObject({ step: 3, whole: true });
    writeByRename(path, trainingDocument(4));
    await stepHeld('train-invalid', 4);
    await watcher.stop();
  });

  it('a file grown past maxInputBytes is not pushed either: one warning, the last good push kept, the watch going on', async () => {
    const path = freshPath();
    writeByRename(path, trainingDocument(1));
    const watcher = watch(path, 'train-large', { maxInputBytes: 4096 });
    await stepHeld('train-large', 1);
    writeByRename(path, `${trainingDocument(2)}${' '.repeat(5000)}`);
    await watcher.when(() => watcher.invalid() === 1, 'one refusal');
    expect(watcher.lines.find((line) => line.level === 'warn')?.message).toMatch(/larger than maxInputBytes 4096/);
    writeByRename(path, trainingDocument(3));
    await stepHeld('train-large', 3);
    expect(watcher.invalid()).toBe(1);
    await watcher.stop();
  });

  it('on stop pushes the file as it is now, once more', async () => {
    const path = freshPath();
    writeByRename(path, trainingDocument(1));
    // No event or poll reaches it in this test: only the final push can carry step 2.
    const watcher = watch(path, 'train-final', { debounceMs: 3_600_000, pollMs: 3_600_000 });
    await stepHeld('train-final', 1);
    writeByRename(path, trainingDocument(2));
    const summary = await watcher.stop();
    expect(summary).toMatchObject({ pushes: 2, deleted: false });
    expect((await snapshotOf('train-final'))?.step).toBe(2);
    expect(watcher.lines.at(-1)?.message).toMatch(/^pushed .* \(final\)$/);
  });

  it('on stop deletes the group instead with deleteOnExit', async () => {
    const path = freshPath();
    writeByRename(path, trainingDocument(1));
    const watcher = watch(path, 'train-delete', { deleteOnExit: true });
    await stepHeld('train-delete', 1);
    expect(await watcher.stop()).toMatchObject({ pushes: 1, deleted: true });
    await gateway.groupsWhen((groups) => !groups.some((g) => g.labels.job === 'train-delete'));
  });
});

describe('watch: a gateway that fails', () => {
  it('a push failing while the watch runs is logged and tried again within the interval; the watch goes on', async () => {
    const proxy = await startFaultProxy(gateway.url, { after: 1, times: 2, methods: ['PUT'], fault: { kind: 'status', status: 503 } });
    try {
      const path = freshPath();
      writeByRename(path, trainingDocument(1));
      const watcher = watch(path, 'train-503', { gateway: proxy.url, intervalMs: 150, retry: { retries: 0 } });
      await stepHeld('train-503', 1);
      writeByRename(path, trainingDocument(2));
      await stepHeld('train-503', 2);
      const summary = await watcher.stop();
      expect(summary.failed).toBe(2);
      const failures = watcher.lines.filter((line) => /^push failed/.test(line.message));
      expect(failures.map((line) => [line.level, line.fields.exit])).toEqual([['warn', 75], ['warn', 75]]);
      expect(failures[0]!.message).toMatch(/^push failed, the watch goes on and tries again within 150 ms: .*503/);
    } finally {
      await proxy.close();
    }
  });

  it('the first push refused for a reason other than the file ends the watch with that error, as push would', async () => {
    const proxy = await startFaultProxy(gateway.url, { fault: { kind: 'status', status: 401 } });
    try {
      const path = freshPath();
      writeByRename(path, trainingDocument(1));
      await expect(watch(path, 'train-401', { gateway: proxy.url }).done).rejects.toBeInstanceOf(PermissionError);
    } finally {
      await proxy.close();
    }
  });
});
