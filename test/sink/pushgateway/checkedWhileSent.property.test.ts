import { createServer, connect, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, runPipeline } from '../../../src/index.js';
import { tempFile } from '../../support/files.js';
import { startPushgateway, type Pushgateway } from '../../support/pushgateway.js';
import { runMain } from '../../support/runMain.js';

// A push is sent while its input is validated (issue 28, item 2): each family goes out once its records
// are checked, and the body's end only once the whole input has passed. A problem found late, wherever
// it is and whatever kind it is (a record's own, one between records, one only the whole input decides),
// cuts the request off: the real gateway keeps the group it had, the run ends in 65 saying nothing was
// pushed, and it lists every problem, the same as validation alone (--dry-run) lists.

/** A loopback TCP relay in front of the gateway that counts the bytes each connection sent it. */
interface CountingRelay {
  url: string;
  /** Bytes from the app to the gateway, over every connection so far. */
  sent: () => number;
  close: () => Promise<void>;
}

async function startRelay(target: Pushgateway): Promise<CountingRelay> {
  let sent = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => void (sent += chunk.length));
    client.pipe(upstream).pipe(client);
    // A cut-off client is passed on as a cut-off request: reset, not a clean end.
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    sent: () => sent,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

let gateway: Pushgateway;
let relay: CountingRelay;
beforeAll(async () => {
  gateway = await startPushgateway();
  relay = await startRelay(gateway);
});
afterAll(async () => {
  await relay?.close();
  await gateway?.stop();
});

const record = (i: number) => ({ name: `step_${i}_seconds`, description: 'time of a step', value: i, metric_type: 'gauge' });

/** Ways a record at `at` breaks an otherwise valid file, and the flags that make it a problem. */
const breakages = {
  /** The schema refuses the record's value. */
  schema: (records: object[], at: number) => void (records[at] = { ...record(at), value: 'fast' }),
  /** A reserved label name: the record's own semantic check. */
  reservedLabel: (records: object[], at: number) => void (records[at] = { ...record(at), labels: { __shard: '1' } }),
  /** The same name and labels as an earlier record: a check between records. */
  duplicate: (records: object[], at: number) => void (records[at] = record(at - 1)),
  /** Another type under an earlier record's name. */
  otherType: (records: object[], at: number) => void (records[at] = { ...record(at - 1), metric_type: 'counter' }),
  /** A name that breaks Prometheus's conventions: a problem only with --strict, and said only once every record is read. */
  strictNaming: (records: object[], at: number) => void (records[at] = { ...record(at), name: `stepOf_${at}_seconds` }),
  /** The group's own ttl gauge, which --ttl writes: refused only when the group's families are made, after the rest. */
  groupGauge: (records: object[], at: number) => void (records[at] = { ...record(at), name: 'simplepipe_group_ttl_seconds' }),
} as const;
const flagsOf: Record<keyof typeof breakages, string[]> = {
  schema: [],
  reservedLabel: [],
  duplicate: [],
  otherType: [],
  strictNaming: ['--strict'],
  groupGauge: ['--ttl', '1h'],
};

/** What the gateway holds of a job's group: its family names, and the old push's value. */
async function held(job: string): Promise<{ families: string[]; old: unknown }> {
  const group = await gateway.group({ job });
  const families = Object.keys(group ?? {}).filter((key) => !['labels', 'last_push_successful', 'push_time_seconds', 'push_failure_time_seconds'].includes(key));
  return { families: families.sort(), old: (group?.old_push_marker as { metrics: { value: string }[] } | undefined)?.metrics[0]?.value };
}

describe('a push sent while its input is validated', () => {
  it('ends without storing anything, exit 65 and every problem listed, when a problem is found anywhere, of any kind', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2_000, max: 5_000 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.constantFrom(...(Object.keys(breakages) as (keyof typeof breakages)[])),
        fc.boolean(),
        async (count, where, kind, twice) => {
          const job = `checked_${seen.size}`;
          seen.add(job);
          // The group holds an older, complete push.
          const old = await fetch(`${gateway.url}/metrics/job/${job}`, { method: 'PUT', body: '# TYPE old_push_marker gauge\nold_push_marker 7\n' });
          expect(old.status).toBe(200);

          const records: object[] = Array.from({ length: count }, (_, i) => record(i));
          const at = Math.max(1, Math.floor(where * count));
          breakages[kind](records, at);
          // A second problem near the end: every one is listed, not only the first found.
          if (twice) breakages.schema(records, count - 1);
          const file = tempFile(records);

          const pushed = await runMain([file, job, '--gateway', relay.url, ...flagsOf[kind]]);
          const checked = await runMain([file, job, '--dry-run', ...flagsOf[kind]]);
          expect(pushed.code, pushed.stderr).toBe(65);
          expect(checked.code, checked.stderr).toBe(65);
          // The same words as validation alone, and that nothing was pushed.
          expect(pushed.stderr).toContain('nothing was pushed');
          expect(pushed.stderr.replace('; nothing was pushed', '')).toBe(checked.stderr);
          // Every problem planted, each where it was written (the group's gauge is looked at only in a valid input).
          if (!(kind === 'groupGauge' && twice)) expect(pushed.stderr).toMatch(new RegExp(`(/|record )${at}\\b`));
          if (twice) expect(pushed.stderr).toContain(`/${count - 1}/value`);
          expect(await held(job)).toEqual({ families: ['old_push_marker'], old: '7' });
        },
      ),
      { numRuns: 14 },
    );
  });

  it('has sent a good part of the body when a problem in the last record cuts it off', async () => {
    const count = 20_000;
    const records: object[] = Array.from({ length: count }, (_, i) => record(i));
    breakages.reservedLabel(records, count - 1);
    const job = 'cut_late';
    await fetch(`${gateway.url}/metrics/job/${job}`, { method: 'PUT', body: '# TYPE old_push_marker gauge\nold_push_marker 7\n' });
    const before = relay.sent();
    const pushed = await runMain([tempFile(records), job, '--gateway', relay.url]);
    expect(pushed.code, pushed.stderr).toBe(65);
    // 19,999 valid families are about 1.2 MB of body: the send was well under way before the problem was found.
    expect(relay.sent() - before).toBeGreaterThan(256 * 1024);
    expect(await held(job)).toEqual({ families: ['old_push_marker'], old: '7' });
  });

  it('is cut off the same through a library caller’s undici dispatcher', async () => {
    const count = 20_000;
    const records: object[] = Array.from({ length: count }, (_, i) => record(i));
    breakages.duplicate(records, count - 1);
    const job = 'cut_late_undici';
    await fetch(`${gateway.url}/metrics/job/${job}`, { method: 'PUT', body: '# TYPE old_push_marker gauge\nold_push_marker 7\n' });
    const dispatcher = new Agent();
    const before = relay.sent();
    try {
      const refusal = await runPipeline({ input: tempFile(records), job, gateway: relay.url, dispatcher }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(DataError);
      expect((refusal as DataError).message).toContain('nothing was pushed');
      expect((refusal as DataError).issues.map((issue) => [issue.pointer, issue.message.split(':')[0]])).toEqual([[`/${count - 1}`, 'duplicate series']]);
    } finally {
      await dispatcher.close();
    }
    expect(relay.sent() - before).toBeGreaterThan(256 * 1024);
    expect(await held(job)).toEqual({ families: ['old_push_marker'], old: '7' });
  });

  it('stores the whole push when the input is valid, as large as it is', async () => {
    const count = 20_000;
    const job = 'whole';
    const pushed = await runMain([tempFile(Array.from({ length: count }, (_, i) => record(i))), job, '--gateway', relay.url, '--verify']);
    expect(pushed.code, pushed.stderr).toBe(0);
    // In one attempt: a body that stalled (a family waited for in vain) would end only by the request's timeout and a retry.
    expect(pushed.stderr).toMatch(/pushed 20000 series .* attempts=1 /);
    expect((await held(job)).families).toHaveLength(count);
  });
});
