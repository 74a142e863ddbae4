import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Fault, FaultProxy } from '../../support/faultProxy.js';
import { useGatewayBehindProxy } from '../../support/gatewayFixture.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../../support/files.js';
import { freePort } from '../../support/ports.js';
import { startPushgateway } from '../../support/pushgateway.js';
import { runApp } from '../../support/runApp.js';
import { runMain } from '../../support/runMain.js';

const fixture = useGatewayBehindProxy();
const proxy = (fault?: Fault, times?: number): Promise<FaultProxy> => fixture.proxy(fault && { fault, times, methods: ['PUT'] });
const puts = (p: FaultProxy): number => p.requests.filter((r) => r.method === 'PUT').length;
const push = (via: FaultProxy, job: string, ...flags: string[]) =>
  runMain([tempFile(SIMPLEPIPE_EXAMPLE), job, '--gateway', via.url, '-v', ...flags]);
/** The app's own account of how long it tried, from its "gave up ... in 2.9s" message. */
const reportedSeconds = (stderr: string): number => Number(/ in (\d+\.\d)s \(/.exec(stderr)?.[1]);

describe('pushing through gateway faults', () => {
  it.each<[string, Fault]>([
    ['a 503 without Retry-After', { kind: 'status', status: 503 }],
    ['a 500', { kind: 'status', status: 500 }],
    ['a 429', { kind: 'status', status: 429 }],
    ['a 408', { kind: 'status', status: 408 }],
    ['a reset connection', { kind: 'reset' }],
    ['a request that hangs past --timeout', { kind: 'hang' }],
  ])('retries %s twice over and pushes', async (_, fault) => {
    const via = await proxy(fault, 2);
    const job = `recovers_${fault.kind}_${'status' in fault ? fault.status : ''}`;
    const run = await push(via, job, '--timeout', '2s');
    expect(run.stderr).toMatch(/attempt 1 on PUT http:\/\/\S+ failed; retrying/);
    expect(run.stderr).toMatch(/attempt 2 on PUT http:\/\/\S+ failed; retrying/);
    expect(run.code).toBe(0);
    expect(puts(via)).toBe(3);
    expect(await fixture.gateway.group({ job })).toBeDefined();
  });

  it('waits as long as Retry-After asks on a 503 and a 429', async () => {
    const via = await proxy({ kind: 'status', status: 503, retryAfter: '2' }, 1);
    const run = await push(via, 'retry_after_503');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/attempt 1 on PUT \S+ failed; retrying in 2\.0s reason="HTTP 503/);

    const limited = await proxy({ kind: 'status', status: 429, retryAfter: '2' }, 1);
    const again = await push(limited, 'retry_after_429');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/attempt 1 on PUT \S+ failed; retrying in 2\.0s reason="HTTP 429/);
  });

  it.each<[string, Fault, string]>([
    ['503s', { kind: 'status', status: 503 }, 'HTTP 503'],
    ['resets', { kind: 'reset' }, 'ECONNRESET|other side closed|socket'],
    ['hangs', { kind: 'hang' }, 'no answer within'],
  ])('ends in 75 within the deadline when the gateway keeps answering with %s', async (_, fault, reason) => {
    const via = await proxy(fault);
    const run = await push(via, 'never', '--timeout', '1s', '--deadline', '4s');
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(new RegExp(`gave up on PUT http://127\\.0\\.0\\.1:\\d+/metrics/job/never after \\d+ attempts.*(${reason})`));
    // The deadline bounds the attempts and waits; a loaded machine may fire the last timer a little late.
    expect(reportedSeconds(run.stderr)).toBeLessThan(5);
    expect(puts(via)).toBeGreaterThan(1);
    expect(await fixture.gateway.group({ job: 'never' })).toBeUndefined();
  });

  it('stops after --retries retries', async () => {
    const via = await proxy({ kind: 'status', status: 503 });
    const run = await push(via, 'counted', '--retries', '2');
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/after 3 attempts/);
    expect(puts(via)).toBe(3);
  });

  it('gives up at once when Retry-After asks for longer than the deadline leaves', async () => {
    const via = await proxy({ kind: 'status', status: 503, retryAfter: '3600' });
    const run = await push(via, 'too_late', '--deadline', '10s');
    expect(run.code).toBe(75);
    expect(puts(via)).toBe(1);
  });

  it('pushes to a gateway that starts two seconds after the app', async () => {
    const port = await freePort();
    let refused!: () => void;
    const firstAttemptRefused = new Promise<void>((resolve) => (refused = resolve));
    const running = runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'late_gateway', '--gateway', `http://127.0.0.1:${port}`, '-v'], {
      onStderr: (text) => /attempt 1 on PUT \S+ failed; retrying.*ECONNREFUSED/.test(text) && refused(),
    });
    // The scenario itself: the gateway comes up two seconds late, while the app is already retrying.
    await Promise.all([firstAttemptRefused, delay(2000)]);
    const late = await startPushgateway({ port });
    try {
      const run = await running;
      expect(run.stderr).toMatch(/attempt 1 on PUT \S+ failed; retrying in \d+\.\ds reason="connect ECONNREFUSED 127\.0\.0\.1:\d+"$/m);
      expect(run.code).toBe(0);
      expect(await late.group({ job: 'late_gateway' })).toBeDefined();
    } finally {
      await late.stop();
    }
  });

  it('sends a push the gateway rejects with 400 exactly once and ends in 65 with its reason', async () => {
    const gaugeFile = tempFile([{ name: 'clash_once', description: 'd', value: 1, metric_type: 'gauge' }]);
    expect((await runMain([gaugeFile, 'holder', '--gateway', fixture.gateway.url])).code).toBe(0);
    const via = await proxy();
    const counterFile = tempFile([{ name: 'clash_once', description: 'd', value: 1, metric_type: 'counter' }]);
    const run = await runMain([counterFile, 'clasher', '--gateway', via.url]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/gateway rejected the push \(HTTP 400\).*clash_once/s);
    expect(puts(via)).toBe(1);
    // The gateway records the failed push in the group, but keeps none of its metrics.
    const group = await fixture.gateway.group({ job: 'clasher' });
    expect(group?.last_push_successful).toBe(false);
    expect(group).not.toHaveProperty('clash_once');
  });

  it('sends each --header with the push', async () => {
    const via = await proxy();
    const run = await push(via, 'with_headers', '--header', 'X-Team: team-a', '--header', 'X-Request-Source: argo');
    expect(run.code, run.stderr).toBe(0);
    expect(via.requests[0]!.headers).toMatchObject({ 'x-team': 'team-a', 'x-request-source': 'argo' });
  });

  it('does not follow a redirect: 78 after one request', async () => {
    const via = await proxy({ kind: 'status', status: 308, location: 'http://127.0.0.1:1/elsewhere' });
    const run = await push(via, 'redirected');
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/HTTP 308 redirecting to http:\/\/127\.0\.0\.1:1\/elsewhere/);
    expect(puts(via)).toBe(1);
  });

  it('ends promptly with 75 and a message on SIGTERM during a retry wait', async () => {
    // Retry-After asks for ten minutes and the deadline allows it: only the signal can end this run in time.
    const via = await proxy({ kind: 'status', status: 503, retryAfter: '600' });
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'stopped', '--gateway', via.url, '--deadline', '30m', '-v'], {
      sigtermWhen: via.waitForRequests(1).then(() => delay(200)),
      timeoutMs: 50_000,
    });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/stopped before the push succeeded: received SIGTERM/);
    expect(puts(via)).toBe(1);
  });

  it('keeps all 24 groups of 24 parallel pushes with different grouping keys', async () => {
    const runs = await Promise.all(
      Array.from({ length: 24 }, (_, i) => runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'parallel', '--gateway', fixture.gateway.url, '--grouping', `shard=${i}`])),
    );
    expect(runs.map((run) => run.code)).toEqual(Array(24).fill(0));
    const shards = (await fixture.gateway.groups()).filter((g) => g.labels.job === 'parallel').map((g) => Number(g.labels.shard));
    expect(shards.sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });
});
