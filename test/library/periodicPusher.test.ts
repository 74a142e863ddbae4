import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, MetricCollector, type MetricRecord } from '../../src/index.js';
import { startPushgateway, type GatewayFamily, type Pushgateway } from '../support/pushgateway.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const gauge = (value: number | string): MetricRecord[] => [{ name: 'progress', description: 'd', value, metric_type: 'gauge' }];
const progress = async (job: string) =>
  ((await gateway.group({ job }))?.progress as GatewayFamily | undefined)?.metrics[0]?.value;

describe('the periodic pusher', () => {
  it('reports a failed push to onError and carries on with the next one', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const pusher = new MetricCollector({ gateway: gateway.url }).startPeriodicPush({
      job: 'recovers',
      intervalSeconds: 0.05,
      // The second collection is invalid; the ones after it are not.
      collect: () => gauge(++calls === 2 ? 'not a number' : calls),
      onError: (error) => errors.push(error),
    });
    const deadline = Date.now() + 30_000;
    while (pusher.pushes < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await pusher.stop();

    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DataError);
    expect((errors[0] as DataError).message).toMatch(/\/0\/value: must be a number/);
    expect(pusher.pushes).toBe(calls - 1);
    expect(await progress('recovers')).toBe(String(calls));
  });

  it('stop() rejects when the last push fails', async () => {
    const pusher = new MetricCollector({ gateway: gateway.url }).startPeriodicPush({
      job: 'last-fails',
      intervalSeconds: 60,
      collect: ({ final }) => gauge(final ? 'broken' : 1),
    });
    await expect(pusher.stop()).rejects.toBeInstanceOf(DataError);
    expect(await progress('last-fails')).toBe('1');
  });

  it('refuses an interval that is not above zero', () => {
    const collector = new MetricCollector({ gateway: gateway.url });
    expect(() => collector.startPeriodicPush({ job: 'j', intervalSeconds: 0, collect: () => gauge(1) })).toThrow(ConfigError);
  });
});
