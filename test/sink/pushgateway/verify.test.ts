import { describe, expect, it } from 'vitest';
import { useGatewayBehindProxy } from '../../support/gatewayFixture.js';
import { tempFile } from '../../support/files.js';
import { runMain } from '../../support/runMain.js';

const fixture = useGatewayBehindProxy();

/** Every kind of family, and label text the exposition format must escape, so the read-back compares all of it. */
const RICH_FILE = [
  { name: 'v_gauge', description: 'd', value: 0.1, metric_type: 'gauge', labels: { text: 'a"b\\c\nd é 🎉' } },
  { name: 'v_gauge', description: 'd', value: 'NaN', metric_type: 'gauge', labels: { text: 'nan' } },
  { name: 'v_gauge', description: 'd', value: '-Inf', metric_type: 'gauge', labels: { text: 'minus infinity' } },
  { name: 'v_total', description: 'd', value: 1.2345678901234568e20, metric_type: 'counter' },
  { name: 'v_summary', description: 'd', value: [1, 2, 3.5], metric_type: 'summary' },
  { name: 'v_histogram', description: 'd', value: [0.2, 7], metric_type: 'histogram', buckets: [0.005, 0.5, 5] },
  { name: 'v_build', description: 'd', value: { version: '1.2.3' }, metric_type: 'info' },
];

describe('--verify reads the push back from /api/v1/metrics', () => {
  it('0: finds every pushed sample of every metric type in the group', async () => {
    const run = await runMain([tempFile(RICH_FILE), 'verified', '--gateway', fixture.gateway.url, '--grouping', 'run=7', '--grouping', 'empty=', '--verify']);
    expect(run.stderr).toMatch(/verified the push by reading it back samples=20/);
    expect(run.code).toBe(0);
  });

  it('0: with POST, other metrics already in the group do not matter', async () => {
    const other = tempFile([{ name: 'v_other', description: 'd', value: 1, metric_type: 'gauge' }]);
    expect((await runMain([other, 'verified_post', '--gateway', fixture.gateway.url])).code).toBe(0);
    const run = await runMain([tempFile(RICH_FILE), 'verified_post', '--gateway', fixture.gateway.url, '--method', 'post', '--verify']);
    expect(run.code).toBe(0);
  });

  it('75: the gateway answered 202 but does not hold the group', async () => {
    const proxy = await fixture.proxy({ fault: { kind: 'swallow' }, methods: ['PUT'] });
    const run = await runMain([tempFile(RICH_FILE), 'lost', '--gateway', proxy.url, '--verify']);
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/verify: the gateway does not hold the group \{"job":"lost"\} after the push/);
    expect(proxy.requests.map((r) => r.method)).toEqual(['PUT', 'GET']);
  });

  it('75: the group holds an older value than the one pushed', async () => {
    const file = (value: number) => tempFile([{ name: 'v_stale', description: 'd', value, metric_type: 'gauge' }]);
    expect((await runMain([file(1), 'stale', '--gateway', fixture.gateway.url])).code).toBe(0);
    const proxy = await fixture.proxy({ fault: { kind: 'swallow' }, methods: ['PUT'] });
    const run = await runMain([file(2), 'stale', '--gateway', proxy.url, '--verify']);
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/0 series missing, 1 with another value \(first: v_stale\[\]\)/);
  });

  it('without --verify the same lost push passes unnoticed: the check is what catches it', async () => {
    const proxy = await fixture.proxy({ fault: { kind: 'swallow' }, methods: ['PUT'] });
    const run = await runMain([tempFile(RICH_FILE), 'lost_unverified', '--gateway', proxy.url]);
    expect(run.code).toBe(0);
    expect(proxy.requests.map((r) => r.method)).toEqual(['PUT']);
  });
});
