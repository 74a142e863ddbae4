import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderExposition } from '../../../src/convert/render.js';
import { validate } from '../../../src/index.js';
import { tempFile } from '../../support/files.js';
import { startPushgateway, type GatewayFamily, type GatewayGroup, type Pushgateway } from '../../support/pushgateway.js';
import { runApp } from '../../support/runApp.js';

// All or nothing under SIGKILL: the built app pushes a new file onto a group that holds a complete older
// push and is killed at a random moment after reading its file, while it validates and sends (what an OOM kill, an evicted pod
// or Argo's kill after the grace period does). Afterwards the group holds the old push whole or the new
// push whole, never a part of the new one. With a text body, kills mid-send left partial groups
// (cutPoints.property.test.ts shows why); the body is now delimited protobuf, which the gateway refuses
// whole when it ends early. Both input shapes: many families of one series, and one family of many.

const SERIES = 10_000;
const TRIALS = 50;
/** A loaded machine must not turn a slow gateway into a timeout: the kill, not a retry, ends these pushes. */
const PATIENT = ['--timeout', '120s', '--deadline', '300s'];

const shapes = {
  'distinct names': (value: number) =>
    Array.from({ length: SERIES }, (_, i) => ({ name: `step_${i}_seconds`, description: 'time', value, metric_type: 'gauge' })),
  'one family': (value: number) =>
    Array.from({ length: SERIES }, (_, i) => ({ name: 'shard_rows_total', description: 'rows', value, metric_type: 'counter', labels: { shard: String(i) } })),
};

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

/** Pushes the gateway has answered, from its own metrics: a request cut off by a kill is answered too. */
async function pushesAnswered(): Promise<number> {
  let total = 0;
  for (const match of (await gateway.exposition()).matchAll(/^pushgateway_http_requests_total\{([^}]*)\} (\S+)$/gm)) {
    if (match[1]!.includes('handler="push"')) total += Number(match[2]);
  }
  return total;
}

async function answeredSince(before: number, timeoutMs: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((resolve) => setTimeout(resolve, 25))) {
    if ((await pushesAnswered()) > before) return true;
  }
  return false;
}

/** Deletes a trial's group once judged: reading every group back stays as quick for the last trial as for the first. */
async function forget(job: string): Promise<void> {
  expect((await fetch(`${gateway.url}/metrics/job/${job}`, { method: 'DELETE' })).status).toBe(202);
  await gateway.groupsWhen((groups) => !groups.some((group) => group.labels.job === job));
}

/** 'old', 'new', or what else the group holds: every series with one value, and all of them. */
function stateOf(group: GatewayGroup | undefined): string {
  const values = new Map<string, number>();
  let series = 0;
  for (const [name, family] of Object.entries(group ?? {})) {
    if (name === 'push_time_seconds' || name === 'push_failure_time_seconds' || typeof family !== 'object' || !('metrics' in family)) continue;
    for (const metric of (family as GatewayFamily).metrics) {
      series++;
      values.set(metric.value!, (values.get(metric.value!) ?? 0) + 1);
    }
  }
  if (series === SERIES && values.size === 1) return values.has('1') ? 'old' : values.has('2') ? 'new' : `all ${[...values.keys()][0]}`;
  return `partial: ${series} series, values ${JSON.stringify(Object.fromEntries(values))}`;
}

describe.each(Object.entries(shapes))('a push of %s killed with SIGKILL while it sends', (shape, records) => {
  const oldBody = renderExposition(validate(records(1)));
  const newFile = tempFile(records(2));
  const job = (trial: number | string) => `killed_${shape.replace(' ', '_')}_${trial}`;

  it(`leaves the group all old or all new, in ${TRIALS} kills at random moments`, async () => {
    // How long the push takes once the file is read, to spread the kills over validation and the send, which
    // overlap: the first families are sent while the rest are checked.
    let readAt = 0;
    const whole = await runApp([newFile, job('whole'), '--gateway', gateway.url, ...PATIENT], {
      timeoutMs: 300_000,
      onStderr: (text) => (readAt ||= text.includes('read ') ? performance.now() : 0),
    });
    expect(whole.code, whole.stderr).toBe(0);
    const sendMs = Math.max(50, performance.now() - readAt);
    await forget(job('whole'));

    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const put = await fetch(`${gateway.url}/metrics/job/${job(trial)}`, { method: 'PUT', body: await oldBody });
      expect(put.status).toBe(200);
      const before = await pushesAnswered();
      const delay = Math.random() * sendMs;
      let read: () => void = () => {};
      const afterRead = new Promise<void>((resolve) => (read = resolve)).then(() => new Promise((resolve) => setTimeout(resolve, delay)));
      const run = await runApp([newFile, job(trial), '--gateway', gateway.url, ...PATIENT], {
        timeoutMs: 300_000,
        sigkillWhen: afterRead,
        onStderr: (text) => text.includes('read ') && read(),
      });
      // Wait for the gateway to answer what it received, if anything reached it; a kill before the
      // request left leaves nothing to answer.
      if (run.signal === 'SIGKILL') await answeredSince(before, 5_000);
      const state = stateOf(await gateway.group({ job: job(trial) }));
      outcomes.push(state);
      expect(state, `trial ${trial}, killed ${Math.round(delay)} ms after reading (exit ${run.code ?? run.signal})`).toMatch(/^(old|new)$/);
      await forget(job(trial));
    }
    // The kills fell both before the push was applied and after: the property was put to the test.
    expect(outcomes).toContain('old');
    expect(outcomes).toContain('new');
    console.info(`${shape}: ${outcomes.filter((state) => state === 'old').length} all old, ${outcomes.filter((state) => state === 'new').length} all new, of ${TRIALS} kills`);
  }, 1_800_000);
});
