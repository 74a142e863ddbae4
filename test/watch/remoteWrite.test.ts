import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchFile } from '../../src/watch/watcher.js';
import { startPrometheus, type Prometheus } from '../support/prometheus.js';
import { recordingLogger, runWriter } from './harness.js';

let prometheus: Prometheus;
beforeAll(async () => {
  prometheus = await startPrometheus({ remoteWriteReceiver: true });
});
afterAll(async () => {
  await prometheus?.stop();
});

/** Every sample Prometheus holds of `selector` over the last `range`: a range vector, read raw. */
async function samplesOver(selector: string, range: string): Promise<[number, number][]> {
  const response = await fetch(`${prometheus.url}/api/v1/query?${new URLSearchParams({ query: `${selector}[${range}]` })}`);
  const json = (await response.json()) as { data: { result: { values: [number, string][] }[] } };
  return (json.data.result[0]?.values ?? []).map(([time, value]) => [time, Number(value)]);
}

describe('watch --remote-write: a python writer, a real Prometheus receiving', () => {
  it.each(['in-place', 'rename'] as const)('Prometheus holds, over the run, every value a writer rewriting %s settled on, each at its own time', async (mode) => {
    const path = join(mkdtempSync(join(tmpdir(), 'simplepipe-watch-rw-')), 'metrics.json');
    const job = `train-rw-${mode}`;
    const recorder = recordingLogger();
    const stop = new AbortController();
    const watching = watchFile({
      path,
      job,
      remoteWrite: { url: `${prometheus.url}/api/v1/write` },
      debounceMs: 20,
      pollMs: 100,
      intervalMs: 60_000,
      stop: stop.signal,
      logger: recorder.logger,
    });
    const steps = 8;
    let halves = 0;
    const settled = await runWriter(path, mode, { steps, burst: 2 }, {
      half: async (step) => {
        halves++;
        await recorder.when(() => recorder.invalid() >= halves, `refusal of half-written step ${step}`);
      },
      settled: async (step) => {
        await prometheus.eventually(`train_step{job="${job}"}`, { until: (result) => Number(result[0]?.value[1]) === step });
      },
    });
    stop.abort();
    const summary = await watching;

    const samples = await samplesOver(`train_step{job="${job}",run="watch-test"}`, '10m');
    const values = samples.map(([, value]) => value);
    expect(settled).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    for (const step of settled) expect(values).toContain(step);
    // One sample a write, each later than the one before: a time series of the run, not one point rewritten.
    expect(samples.length).toBe(summary.pushes);
    const times = samples.map(([time]) => time);
    expect(times).toEqual([...new Set(times)].sort((a, b) => a - b));
    // Only whole versions were written: at each time, the loss agrees with the step.
    const stepAt = new Map(samples);
    const losses = await samplesOver(`train_loss{job="${job}"}`, '10m');
    expect(losses.length).toBe(samples.length);
    for (const [time, loss] of losses) expect(loss).toBeCloseTo(1 / (stepAt.get(time)! + 1), 9);
  });
});
