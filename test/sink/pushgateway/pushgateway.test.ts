import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, deleteGroup, pushToGateway, renderExposition, toExposition, toRegistry, validate, type PushOptions } from '../../../src/index.js';
import { startPushgateway, type GatewayFamily, type Pushgateway } from '../../support/pushgateway.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const body = async (document: unknown): Promise<string> => toExposition(await toRegistry(validate(document)));
const family = (group: unknown, name: string) => (group as Record<string, GatewayFamily>)[name]!;

describe('pushing to a real Pushgateway', () => {
  it('refuses to verify text it did not make, before sending it: --verify compares the records’ own samples (runPipeline)', async () => {
    const options = { gateway: gateway.url, job: 'unverifiable', verify: true } as PushOptions;
    await expect(pushToGateway('# TYPE a gauge\na 1\n', options)).rejects.toThrow(ConfigError);
    expect(await gateway.group({ job: 'unverifiable' })).toBeUndefined();
  });

  it('stores label values byte-exact: quotes, backslashes, newlines, any Unicode', async () => {
    const value = 'a"b\\c\nd é 日本 🎉 "} 1\nfake 1';
    await pushToGateway(await body([{ name: 'exact', description: 'd', value: 3.25, metric_type: 'gauge', labels: { v: value } }]), {
      gateway: gateway.url,
      job: 'exact',
    });
    const group = await gateway.group({ job: 'exact' });
    expect(family(group, 'exact').metrics).toEqual([{ labels: { instance: '', job: 'exact', v: value }, value: '3.25' }]);
    expect(group).not.toHaveProperty('fake');
  });

  it('PUT replaces the whole group; POST replaces only same-name metrics', async () => {
    const first = await body([
      { name: 'a', description: 'd', value: 1, metric_type: 'gauge' },
      { name: 'b', description: 'd', value: 1, metric_type: 'gauge' },
    ]);
    await pushToGateway(first, { gateway: gateway.url, job: 'methods' });
    await pushToGateway(await body([{ name: 'a', description: 'd', value: 2, metric_type: 'gauge' }]), {
      gateway: gateway.url,
      job: 'methods',
      method: 'POST',
    });
    let group = await gateway.group({ job: 'methods' });
    expect(family(group, 'a').metrics[0]!.value).toBe('2');
    expect(family(group, 'b').metrics[0]!.value).toBe('1');

    await pushToGateway(await body([{ name: 'a', description: 'd', value: 3, metric_type: 'gauge' }]), { gateway: gateway.url, job: 'methods' });
    group = await gateway.group({ job: 'methods' });
    expect(family(group, 'a').metrics[0]!.value).toBe('3');
    expect(group).not.toHaveProperty('b');
  });

  it('round-trips job and grouping values sent in the @base64 form', async () => {
    const grouping = { path: '/data/run 1', empty: '', space: 'a b+c' };
    await pushToGateway(await body([{ name: 'g', description: 'd', value: 1, metric_type: 'gauge' }]), {
      gateway: gateway.url,
      job: 'team/a',
      grouping,
    });
    expect(await gateway.group({ job: 'team/a', ...grouping })).toBeDefined();
    const result = await deleteGroup({ gateway: gateway.url, job: 'team/a', grouping });
    expect(result.status).toBe(202);
    expect(await gateway.group({ job: 'team/a', ...grouping })).toBeUndefined();
  });

  it('stores a summary’s exact quantiles, sum and count as pushed', async () => {
    const observations = [12, 3, 7, 7, 1, 30, 9, 4, 15, 2];
    await pushToGateway(
      await renderExposition(validate([{ name: 'epoch_seconds', description: 'd', value: observations, metric_type: 'summary', quantiles: [0, 0.1, 0.5, 0.95, 1] }])),
      { gateway: gateway.url, job: 'summary' },
    );
    // Sorted: 1 2 3 4 7 7 9 12 15 30; nearest ranks ⌈φ·10⌉: 1, 1, 5, 10, 10.
    expect(family(await gateway.group({ job: 'summary' }), 'epoch_seconds').metrics).toEqual([
      { labels: { instance: '', job: 'summary' }, quantiles: { '0': '1', '0.1': '1', '0.5': '7', '0.95': '30', '1': '30' }, count: '10', sum: '90' },
    ]);
  });

  it('ends in a DataError carrying the gateway’s reason when it answers 400, after one attempt', async () => {
    await pushToGateway(await body([{ name: 'clash', description: 'd', value: 1, metric_type: 'gauge' }]), { gateway: gateway.url, job: 'one' });
    const counter = await body([{ name: 'clash', description: 'd', value: 1, metric_type: 'counter' }]);
    const error = await pushToGateway(counter, { gateway: gateway.url, job: 'two' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(/HTTP 400.*clash/s);
  });
});

describe('a gateway served under --web.route-prefix', () => {
  let prefixed: Pushgateway;
  beforeAll(async () => {
    prefixed = await startPushgateway({ routePrefix: '/pushgateway' });
  });
  afterAll(() => prefixed?.stop());

  it('takes pushes at the prefixed path', async () => {
    const result = await pushToGateway(await body([{ name: 'g', description: 'd', value: 1, metric_type: 'gauge' }]), {
      gateway: `${prefixed.url}/`,
      job: 'prefixed',
    });
    expect(result.url).toBe(`${prefixed.url}/metrics/job/prefixed`);
    expect(await prefixed.group({ job: 'prefixed' })).toBeDefined();
  });
});
