import { describe, expect, it } from 'vitest';
import { tempFile } from '../../support/files.js';
import { useGatewayBehindProxy } from '../../support/gatewayFixture.js';
import { runMain } from '../../support/runMain.js';

const fixture = useGatewayBehindProxy();
const HISTOGRAM_AND_SUMMARY = [
  { name: 'batch_seconds', description: 'Time per batch', value: [0.8, 1.1], metric_type: 'histogram', buckets: [1] },
  { name: 'latency_seconds', description: 'Latency', value: [1, 2], metric_type: 'summary', quantiles: [0.5] },
];

describe('a Pushgateway push refuses a label the series’ type reserves, from every source, before anything is sent', () => {
  it.each<[string, string[], object, RegExp]>([
    ['--label le', ['--label', 'le=5'], HISTOGRAM_AND_SUMMARY, /--label le: "le" is reserved for histogram samples \(the bucket bound\), and \/0 is a histogram/],
    ['the file’s labels with le', [], { labels: { le: '5' }, metrics: HISTOGRAM_AND_SUMMARY }, /\/labels\/le: "le" is reserved for histogram samples/],
    ['--grouping le', ['--grouping', 'le=5'], HISTOGRAM_AND_SUMMARY, /--grouping le: "le" is reserved for histogram samples/],
    ['--grouping quantile', ['--grouping', 'quantile=0.5'], HISTOGRAM_AND_SUMMARY, /--grouping quantile: "quantile" is reserved for summary samples \(the quantile\), and \/1 is a summary/],
    ['--label quantile', ['--label', 'quantile=0.5'], HISTOGRAM_AND_SUMMARY, /--label quantile: "quantile" is reserved for summary samples/],
    ['a record’s own le', [], [{ ...HISTOGRAM_AND_SUMMARY[0], labels: { le: '5' } }], /\/0\/labels\/le: "le" is reserved for histogram samples/],
  ])('%s: 65, nothing pushed, and the dry run refuses alike', async (_, flags, file, message) => {
    const via = await fixture.proxy();
    const run = await runMain([tempFile(file), 'reserved', '--gateway', via.url, ...flags]);
    expect(run.code, run.stderr).toBe(65);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/nothing was pushed/);
    expect(via.requests).toHaveLength(0);
    const dry = await runMain([tempFile(file), 'reserved', '--dry-run', ...flags]);
    expect(dry.code).toBe(65);
    expect(dry.stdout).toBe('');
  });

  it('keeps le and quantile where no series of that type is: a gauge may carry either', async () => {
    const via = await fixture.proxy();
    const gauge = [{ name: 'threshold', description: 'd', value: 5, metric_type: 'gauge' }];
    const run = await runMain([tempFile(gauge), 'free_le', '--gateway', via.url, '--label', 'le=5', '--grouping', 'quantile=0.5']);
    expect(run.code, run.stderr).toBe(0);
    expect(await fixture.gateway.group({ job: 'free_le', quantile: '0.5' })).toBeDefined();
  });
});
