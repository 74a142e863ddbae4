import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushToGateway, renderExposition, validate } from '../../src/index.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const body = async (value: number) => renderExposition(validate([{ name: 'sent', description: 'd', value, metric_type: 'gauge' }]));
const stored = async (job: string) => ((await gateway.group({ job })) as { sent?: { metrics: { value: string }[] } } | undefined)?.sent?.metrics[0]?.value;

describe('the transports a push goes through', () => {
  it('sends with Node’s http by default', async () => {
    await pushToGateway(await body(1), { gateway: gateway.url, job: 'node_http' });
    expect(await stored('node_http')).toBe('1');
  });

  it('sends through an undici dispatcher a library caller passes, and leaves it open for the caller', async () => {
    const dispatcher = new Agent();
    try {
      await pushToGateway(await body(2), { gateway: gateway.url, job: 'undici_dispatcher', dispatcher });
      await pushToGateway(await body(3), { gateway: gateway.url, job: 'undici_dispatcher', dispatcher });
      expect(await stored('undici_dispatcher')).toBe('3');
      expect(dispatcher.closed).toBe(false);
    } finally {
      await dispatcher.close();
    }
  });
});
