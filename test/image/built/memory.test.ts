import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../../support/files.js';
import { runContainer, type ContainerOptions } from '../../support/podman.js';
import { startPushgateway, type Pushgateway } from '../../support/pushgateway.js';

/**
 * The memory guard (src/memory.ts, docs/security.md#memory) in the built image, under the limit the shipped
 * templates give the pod (128Mi), run as Kubernetes runs it. Sizes from bench/imageGuard.mjs (docs/image.md):
 * under 128 MiB the kernel killed (137) pushes of this record-per-series shape from 13.5 MiB (one run in
 * three) and always from 18.6 MiB; the guard admits about 11.5 MiB.
 */
const LIMIT = '128m';
const POD: ContainerOptions = { memory: LIMIT, user: '1000:1000' };
const RECORD_BYTES = 134;

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

/** A metric file of one gauge per series with distinct names, bench/inputs.mjs's shape, of about `mib` MiB. */
function seriesFile(mib: number): { file: string; series: number } {
  const series = Math.round((mib * 2 ** 20) / RECORD_BYTES);
  const records = Array.from({ length: series }, (_, i) => ({
    name: `pipeline_step_${i}_seconds`,
    description: `run time of pipeline step ${i}`,
    value: (i * 0.37) % 1000,
    metric_type: 'gauge',
  }));
  return { file: tempFile(records, 'metric-in.json'), series };
}

function push(file: string, job: string, flags: string[] = []) {
  return runContainer(['app.js', '/tmp/metric-in.json', job, ...flags], {
    ...POD,
    entrypoint: 'node',
    files: { [file]: '/tmp/metric-in.json' },
    env: { PUSHGATEWAY_URL: gateway.url },
  });
}

/** The series of `job` the gateway exposes, counted in its /metrics (the JSON API of 100,000 families is slow). */
async function seriesHeld(job: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith('pipeline_step_') && line.includes(`job="${job}"`)).length;
}

let admittedMiB: number | undefined;

describe(`the memory guard in the built image under --memory ${LIMIT}, the shipped templates' limit`, () => {
  it('refuses an input that will not fit with exit 71 and one line naming the limit, and pushes nothing', async () => {
    const { file } = seriesFile(24);
    const run = await push(file, 'image_memory_refused', ['--max-series', '1000000']);
    const lines = run.stderr.split('\n').filter((line) => line !== '');
    expect(run.code, run.stderr).toBe(71);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^simplepipe: error: input \/tmp\/metric-in\.json \(24 MiB\) is larger than this process's memory allows \(cgroup v[12] \S+ 128 MiB, /);
    expect(lines[0]).toMatch(/nothing was pushed/);
    expect(run.stderr).not.toMatch(/FATAL ERROR|heap out of memory/);
    expect(await gateway.group({ job: 'image_memory_refused' })).toBeUndefined();
    admittedMiB = Number(/about (\d+) MiB of input/.exec(lines[0]!)?.[1]);
  });

  it('pushes the largest input it admits, whole, without the kernel killing it (no 137)', async () => {
    // Its own figure, less a little for what the process holds at start differing between runs.
    expect(admittedMiB, 'the refusal above names what fits').toBeGreaterThan(8);
    const { file, series } = seriesFile(admittedMiB! - 0.5);
    const run = await push(file, 'image_memory_fits', ['--max-series', '1000000']);
    expect(run.code, run.stderr).toBe(0);
    expect(await seriesHeld('image_memory_fits')).toBe(series);
  });

});
