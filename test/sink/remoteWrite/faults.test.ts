import { describe, expect, it } from 'vitest';
import type { Fault, FaultProxy } from '../../support/faultProxy.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../../support/files.js';
import { useReceiverBehindProxy } from '../../support/receiverFixture.js';
import { runMain } from '../../support/runMain.js';

const fixture = useReceiverBehindProxy();
const posts = (via: FaultProxy): number => via.requests.filter((r) => r.method === 'POST').length;
const nowSeconds = () => Math.floor(Date.now() / 1000) - 1;
const write = (url: string, job: string, ...flags: string[]) => runMain([tempFile(SIMPLEPIPE_EXAMPLE), job, '--remote-write', url, '-v', ...flags]);
/** The app's own account of how long it tried, from its "gave up ... in 2.9s" message. */
const reportedSeconds = (stderr: string): number => Number(/ in (\d+\.\d)s \(/.exec(stderr)?.[1]);
const stored = async (job: string, at: number) => (await fixture.prometheus.query(`simple{job="${job}"}`, { time: at })).map((s) => s.value[1]);

describe('remote write through receiver faults', () => {
  it.each<[string, Fault]>([
    ['a 503', { kind: 'status', status: 503 }],
    ['a 500', { kind: 'status', status: 500 }],
    ['a 429', { kind: 'status', status: 429 }],
    ['a reset connection', { kind: 'reset' }],
    ['a request that hangs past --timeout', { kind: 'hang' }],
  ])('retries %s twice over and writes', async (_, fault) => {
    const at = nowSeconds();
    const via = await fixture.proxy({ fault, times: 2 });
    const job = `recovers_${fault.kind}_${'status' in fault ? fault.status : ''}`;
    const run = await write(via.writeUrl, job, '--timeout', '2s', '--timestamp', String(at));
    expect(run.stderr).toMatch(/attempt 2 on POST http:\/\/\S+ failed; retrying/);
    expect(run.code, run.stderr).toBe(0);
    expect(posts(via)).toBe(3);
    expect(await stored(job, at)).toEqual(['6']);
  });

  it('waits as long as Retry-After asks on a 429', async () => {
    const via = await fixture.proxy({ fault: { kind: 'status', status: 429, retryAfter: '2' }, times: 1 });
    const run = await write(via.writeUrl, 'slowed_down');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/attempt 1 on POST \S+ failed; retrying in 2\.0s reason="HTTP 429/);
  });

  it.each<[number, number, RegExp]>([
    [408, 65, /rejected the write \(HTTP 408\)/],
    [409, 65, /rejected the write \(HTTP 409\)/],
    [403, 77, /refused the credentials \(HTTP 403\)/],
    [413, 78, /too large \(HTTP 413\).*--max-samples-per-request/],
  ])('never retries a %i (a 4xx other than 429 will not pass): exit %i after one request', async (status, code, message) => {
    const via = await fixture.proxy({ fault: { kind: 'status', status } });
    const run = await write(via.writeUrl, `final_${status}`);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(posts(via)).toBe(1);
  });

  it('65 with the receiver’s own reason on a real 400 (another value at the same timestamp), sent once', async () => {
    const at = nowSeconds();
    expect((await write(fixture.writeUrl, 'clash', '--timestamp', String(at))).code).toBe(0);
    const via = await fixture.proxy();
    const other = tempFile([{ name: 'simple', description: 'generated random integer', value: 7, metric_type: 'gauge' }]);
    const run = await runMain([other, 'clash', '--remote-write', via.writeUrl, '--timestamp', String(at)]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/the remote-write receiver rejected the write \(HTTP 400\): duplicate sample for timestamp/);
    expect(posts(via)).toBe(1);
    expect(await stored('clash', at)).toEqual(['6']);
  });

  it('writes the very same samples again without complaint: a resend after a lost answer is harmless', async () => {
    const at = nowSeconds();
    expect((await write(fixture.writeUrl, 'twice', '--timestamp', String(at))).code).toBe(0);
    expect((await write(fixture.writeUrl, 'twice', '--timestamp', String(at))).code).toBe(0);
    expect(await stored('twice', at)).toEqual(['6']);
  });

  it('78 on a wrong path: Prometheus answers 404, named with the receiver flag to check', async () => {
    const run = await write(`${fixture.prometheus.url}/api/v1/push`, 'wrong_path');
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/no remote-write receiver at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/push \(HTTP 404\).*--web\.enable-remote-write-receiver/);
  });

  it.each<[string, Fault, string]>([
    ['503s', { kind: 'status', status: 503 }, 'HTTP 503'],
    ['resets', { kind: 'reset' }, 'ECONNRESET|other side closed|socket'],
    ['hangs', { kind: 'hang' }, 'no answer within'],
  ])('ends in 75 within the deadline when the receiver keeps answering with %s', async (_, fault, reason) => {
    const via = await fixture.proxy({ fault });
    const run = await write(via.writeUrl, 'never', '--timeout', '1s', '--deadline', '4s');
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(new RegExp(`gave up on POST http://127\\.0\\.0\\.1:\\d+/api/v1/write after \\d+ attempts.*(${reason})`));
    expect(reportedSeconds(run.stderr)).toBeLessThan(5);
    expect(posts(via)).toBeGreaterThan(1);
  });

  it('shares one --deadline among all requests of a run: a slow first request leaves the second only the rest', async () => {
    const records = [0, 1].map((i) => ({ name: `slow_${i}`, description: 'd', value: i, metric_type: 'gauge', labels: { i: String(i) } }));
    // Request 1 waits 2s (Retry-After) and succeeds; request 2 meets 503s until the 4s deadline ends: 2s left, not 4s.
    const via = await fixture.proxy({ sequence: [{ kind: 'status', status: 503, retryAfter: '2' }, null], fault: { kind: 'status', status: 503 } });
    const run = await runMain([tempFile(records), 'slow', '--remote-write', via.writeUrl, '--max-samples-per-request', '1', '--deadline', '4s']);
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/wrote 1 of 2 requests \(1 of 2 series: the family slow_0, each whole; none of the others\), then: gave up on POST/);
    expect(reportedSeconds(run.stderr)).toBeLessThan(2.5);
  });

  it('says how far the write got when a later request fails for good', async () => {
    const at = nowSeconds();
    const records = Array.from({ length: 6 }, (_, i) => ({ name: `part_${i}`, description: 'd', value: i, metric_type: 'gauge', labels: { i: String(i) } }));
    // Two requests go through, then the receiver fails for good: the rest of the deadline is what the third one gets.
    const via = await fixture.proxy({ fault: { kind: 'status', status: 503 }, after: 2 });
    const started = performance.now();
    const run = await runMain([tempFile(records), 'partial', '--remote-write', via.writeUrl, '--max-samples-per-request', '2', '--timestamp', String(at), '--deadline', '3s']);
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/wrote 2 of 3 requests \(4 of 6 series: the 4 families part_0, part_1, part_2, part_3, each whole; none of the others\), then: gave up on POST/);
    expect(performance.now() - started).toBeLessThan(10_000);
    const written = await fixture.prometheus.query('{__name__=~"part_.*",job="partial"}', { time: at });
    expect(written.map((s) => s.metric.__name__).sort()).toEqual(['part_0', 'part_1', 'part_2', 'part_3']);
  });
});
