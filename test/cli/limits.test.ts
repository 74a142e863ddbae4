import { describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { useGatewayBehindProxy } from '../support/gatewayFixture.js';
import { runMain } from '../support/runMain.js';

const fixture = useGatewayBehindProxy();

const record = (fields: Record<string, unknown> = {}) => ({ name: 'm', description: 'd', metric_type: 'gauge', value: 1, ...fields });
const labels = (count: number, value = 'v') => Object.fromEntries(Array.from({ length: count }, (_, i) => [`l${i}`, value]));

/** Runs a push through the counting proxy: the limits hold only if not one request reaches the gateway. */
async function push(records: unknown, flags: string[] = []) {
  const counting = fixture.sharedProxy;
  const before = counting.requests.length;
  const run = await runMain([tempFile(records), 'limited', '--gateway', counting.url, ...flags]);
  return { ...run, requests: counting.requests.length - before };
}

describe('limits of one push, checked before anything is sent', () => {
  it('65 naming the record: one series of 10,000 labels (the gateway spent 18 s on it), nothing sent', async () => {
    const run = await push([record(), record({ name: 'wide', labels: labels(10_000) })]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/^ {2}\/1: 10001 labels on a series \(grouping key included\), more than --max-labels-per-series 30$/m);
    expect(run.requests).toBe(0);
  });

  it('the grouping key counts: 29 labels plus job and one grouping label is 31', async () => {
    const run = await push([record({ labels: labels(29) })], ['--grouping', 'stage=train']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/\/0: 31 labels on a series/);
    expect(run.requests).toBe(0);
  });

  it('65: a label value over --max-label-value-bytes, and a series over --max-series-bytes, counted in UTF-8 bytes', async () => {
    const run = await push([record({ labels: { a: 'é'.repeat(2049) } }), record({ name: 'n', labels: labels(16, 'x'.repeat(1100)) })]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/\/0: the value of label "a" is 4098 bytes, more than --max-label-value-bytes 4096/);
    expect(run.stderr).toMatch(/\/1: a series of \d+ bytes \(name and labels, grouping key included\), more than --max-series-bytes 16384/);
    expect(run.requests).toBe(0);
  });

  it('65: more series than --max-series, a histogram counting its buckets, _sum and _count', async () => {
    const histogram = { name: 'h', description: 'd', metric_type: 'histogram', value: [1], buckets: [1, 2] };
    const run = await push([histogram], ['--max-series', '4']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/ {2}\/: 5 series in one push, more than --max-series 4/);
    expect(run.requests).toBe(0);
  });

  it('each flag raises its limit, and the push lands', async () => {
    const run = await push([record({ labels: labels(40, 'y'.repeat(500)) })], ['--max-labels-per-series', '41', '--max-series-bytes', '32KiB']);
    expect(run.code).toBe(0);
    expect(run.requests).toBe(1);
    expect(await fixture.gateway.group({ job: 'limited' })).toBeDefined();
  });

  it('validate refuses what push would, with the same flags', async () => {
    const input = tempFile([record({ labels: labels(31) })]);
    expect((await runMain(['validate', input])).code).toBe(65);
    expect((await runMain(['validate', input, '--max-labels-per-series', '32'])).code).toBe(0);
  });
});
