import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../../src/index.js';
import { useGatewayBehindProxy } from '../../support/gatewayFixture.js';
import { tempFile } from '../../support/files.js';
import { runMain } from '../../support/runMain.js';

const fixture = useGatewayBehindProxy();

const push = (job: string, grouping: Record<string, string>) =>
  runPipeline({ input: tempFile([{ name: 'rows_total', description: 'rows', value: 1, metric_type: 'counter' }]), job, gateway: fixture.gateway.url, grouping });

describe('delete says whether the group existed', () => {
  it('0 and "deleted group" for a group the gateway holds', async () => {
    await push('to_delete', { step: 'a' });
    const run = await runMain(['delete', 'to_delete', '--grouping', 'step=a', '--gateway', fixture.gateway.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/deleted group \{job="to_delete",step="a"\}/);
    await fixture.gateway.groupsWhen((groups) => !groups.some((group) => group.labels.job === 'to_delete'));
  });

  it('66 for a group it does not hold, and no DELETE sent; --missing-ok makes it 0', async () => {
    const proxy = await fixture.proxy();
    const run = await runMain(['delete', 'never_pushed', '--grouping', 'step=a', '--gateway', proxy.url]);
    expect(run.code).toBe(66);
    expect(run.stderr).toMatch(/the gateway holds no group \{job="never_pushed",step="a"\}: nothing was deleted \(--missing-ok accepts a missing group\)/);
    expect(proxy.requests.map((request) => request.method)).toEqual(['GET']);
    const ok = await runMain(['delete', 'never_pushed', '--grouping', 'step=a', '--gateway', proxy.url, '--missing-ok']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/the gateway held no group \{job="never_pushed",step="a"\}: nothing to delete/);
  });

  it('a group of the same job but another grouping key is not the group named', async () => {
    await push('near_miss', { step: 'a' });
    const run = await runMain(['delete', 'near_miss', '--gateway', fixture.gateway.url]);
    expect(run.code).toBe(66);
    expect(await fixture.gateway.group({ job: 'near_miss', step: 'a' })).toBeDefined();
  });
});
