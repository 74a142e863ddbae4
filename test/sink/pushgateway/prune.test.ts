import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../../src/index.js';
import { useGatewayBehindProxy } from '../../support/gatewayFixture.js';
import { tempFile } from '../../support/files.js';
import type { GatewayFamily, GatewayGroup } from '../../support/pushgateway.js';
import { runMain } from '../../support/runMain.js';

const fixture = useGatewayBehindProxy();

const FILE = [{ name: 'rows_total', description: 'rows', value: 1, metric_type: 'counter' }];

/** A push through the library, in-process: quick, so the groups' push times are close to when the test says. */
async function push(job: string, options: { ttl?: string; grouping?: Record<string, string>; document?: unknown } = {}): Promise<void> {
  await runPipeline({ input: tempFile(options.document ?? FILE), job, gateway: fixture.gateway.url, grouping: options.grouping, ttl: options.ttl });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jobsHeld = async (): Promise<string[]> => (await fixture.gateway.groups()).map((group) => `${group.labels.job}/${group.labels.step ?? ''}`).sort();
const gauge = (group: GatewayGroup | undefined, name: string) => (group?.[name] as GatewayFamily | undefined)?.metrics;

describe('a push declares how long its group stays meaningful', () => {
  it('--ttl 7d stores simplepipe_group_ttl_seconds 604800 in the group, with the grouping labels only', async () => {
    const run = await runMain([tempFile(FILE), 'ttl_flag', '--gateway', fixture.gateway.url, '--grouping', 'step=a', '--label', 'team=x', '--ttl', '7d']);
    expect(run.code, run.stderr).toBe(0);
    const group = await fixture.gateway.group({ job: 'ttl_flag', step: 'a' });
    expect(gauge(group, 'simplepipe_group_ttl_seconds')).toEqual([{ labels: { instance: '', job: 'ttl_flag', step: 'a' }, value: '604800' }]);
    expect(gauge(group, 'simplepipe_group_every_seconds')).toBeUndefined();
  });

  it('the file’s "expect": {"ttl", "every"} store both gauges; --ttl wins over the file’s ttl', async () => {
    const document = { expect: { every: '1h', ttl: '2d' }, metrics: FILE };
    expect((await runMain([tempFile(document), 'ttl_file', '--gateway', fixture.gateway.url])).code).toBe(0);
    let group = await fixture.gateway.group({ job: 'ttl_file' });
    expect(gauge(group, 'simplepipe_group_ttl_seconds')?.[0]?.value).toBe('172800');
    expect(gauge(group, 'simplepipe_group_every_seconds')?.[0]?.value).toBe('3600');
    expect((await runMain([tempFile(document), 'ttl_file', '--gateway', fixture.gateway.url, '--ttl', '90m'])).code).toBe(0);
    group = await fixture.gateway.group({ job: 'ttl_file' });
    expect(gauge(group, 'simplepipe_group_ttl_seconds')?.[0]?.value).toBe('5400');
  });

  it('a dry run shows the gauge; a push without a ttl (PUT) removes the one the group had', async () => {
    const dry = await runMain([tempFile(FILE), 'ttl_dry', '--dry-run', '--ttl', '1d']);
    expect(dry.stdout).toMatch(/^simplepipe_group_ttl_seconds 86400$/m);
    expect((await runMain([tempFile(FILE), 'ttl_gone', '--gateway', fixture.gateway.url, '--ttl', '1d'])).code).toBe(0);
    expect((await runMain([tempFile(FILE), 'ttl_gone', '--gateway', fixture.gateway.url])).code).toBe(0);
    expect(gauge(await fixture.gateway.group({ job: 'ttl_gone' }), 'simplepipe_group_ttl_seconds')).toBeUndefined();
  });

  it('refuses a zero or malformed ttl (64), a ttl with --remote-write (64), an empty "expect" (65), and a record that takes the gauge’s name (65)', async () => {
    for (const ttl of ['0', '7 days', '-1d']) expect((await runMain([tempFile(FILE), 'bad', '--dry-run', '--ttl', ttl])).code, ttl).toBe(64);
    expect((await runMain([tempFile(FILE), 'bad', '--remote-write', 'http://127.0.0.1:9/api/v1/write', '--ttl', '1d'])).code).toBe(64);
    const empty = await runMain([tempFile({ expect: {}, metrics: FILE }), 'bad', '--dry-run']);
    expect(empty.code).toBe(65);
    expect(empty.stderr).toMatch(/\/expect: needs "every", "ttl" or both/);
    const zero = await runMain([tempFile({ expect: { ttl: '0' }, metrics: FILE }), 'bad', '--dry-run']);
    expect(zero.stderr).toMatch(/\/expect\/ttl: must be longer than 0/);
    const clash = await runMain([tempFile([{ ...FILE[0], name: 'simplepipe_group_ttl_seconds', metric_type: 'gauge' }]), 'bad', '--gateway', fixture.gateway.url, '--ttl', '1d']);
    expect(clash.code).toBe(65);
    expect(clash.stderr).toMatch(/"simplepipe_group_ttl_seconds" is the gauge simplepipe writes/);
    expect(await fixture.gateway.group({ job: 'bad' })).toBeUndefined();
  });
});

describe('prune', () => {
  it('deletes exactly the groups past their TTL, or past --older-than without one, of the jobs named; --dry-run deletes nothing', async () => {
    // Pushed first, then left 4 s: older than the 3 s limits below.
    await push('batch', { grouping: { step: 'old-ttl' }, ttl: '3s' });
    await push('batch', { grouping: { step: 'old-none' } });
    await push('batch', { grouping: { step: 'old-long-ttl' }, ttl: '1h' });
    await push('other', { grouping: { step: 'old-none' } });
    await sleep(4000);
    await push('batch', { grouping: { step: 'new-ttl' }, ttl: '3s' });
    await push('nightly', { grouping: { step: 'new-none' } });
    const before = await jobsHeld();

    const dry = await runMain(['prune', '--gateway', fixture.gateway.url, '--job', 'batch', '--job', 'nightly', '--older-than', '3s', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split('\n').filter(Boolean).sort()).toEqual([
      expect.stringMatching(/^would delete \{job="batch",step="old-none"\} \(last push \d+s ago, older-than 3s\)$/),
      expect.stringMatching(/^would delete \{job="batch",step="old-ttl"\} \(last push \d+s ago, ttl 3s\)$/),
    ]);
    expect(await jobsHeld()).toEqual(before);

    const run = await runMain(['prune', '--gateway', fixture.gateway.url, '--job', 'batch', '--job', 'nightly', '--older-than', '3s']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^deleted \{job="batch",step="old-ttl"\} /m);
    expect(run.stdout).toMatch(/^deleted \{job="batch",step="old-none"\} /m);
    expect(run.stderr).toMatch(/deleted 2 of 5 groups spared=0 window_ms_median=[\d.]+ window_ms_max=/);
    expect(await fixture.gateway.groupsWhen((groups) => groups.length === before.length - 2).then(() => jobsHeld())).toEqual(
      ['batch/new-ttl', 'batch/old-long-ttl', 'nightly/new-none', 'other/old-none', ...before.filter((job) => !/^(batch|nightly|other)\//.test(job))].sort(),
    );
  });

  it('without --older-than keeps every group that declares no TTL', async () => {
    await push('forever');
    await sleep(1100);
    const run = await runMain(['prune', '--gateway', fixture.gateway.url, '--job', 'forever']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(await fixture.gateway.group({ job: 'forever' })).toBeDefined();
  });

  it('spares a group pushed between the listing and its deletion: the re-read right before the DELETE sees the new push', async () => {
    await push('raced', { ttl: '1s' });
    await sleep(1500);
    // The first GET (the listing) passes; the second (the re-read) waits 2 s, and the group is pushed again meanwhile.
    const proxy = await fixture.proxy({ sequence: [null, { kind: 'delay', ms: 2000 }], methods: ['GET'] });
    const pruning = runMain(['prune', '--gateway', proxy.url, '--job', 'raced']);
    await proxy.waitForRequests(2);
    await push('raced', { ttl: '1s' });
    const run = await pruning;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/kept \{job="raced"\}: pushed again \(or deleted\) since it was listed/);
    expect(proxy.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
    expect(await fixture.gateway.group({ job: 'raced' })).toBeDefined();
  });

  it('the same race without the new push deletes the group: the re-read itself spares nothing', async () => {
    await push('unraced', { ttl: '1s' });
    await sleep(1500);
    const proxy = await fixture.proxy({ sequence: [null, { kind: 'delay', ms: 500 }], methods: ['GET'] });
    const run = await runMain(['prune', '--gateway', proxy.url, '--job', 'unraced']);
    expect(run.code, run.stderr).toBe(0);
    expect(proxy.requests.map((request) => request.method)).toEqual(['GET', 'GET', 'DELETE']);
    await fixture.gateway.groupsWhen((groups) => !groups.some((group) => group.labels.job === 'unraced'));
  });
});
