import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, MetricCollector, pushToGateway, SimplepipeError, TemporaryError } from '../../src/index.js';
import { startFaultProxy } from '../support/faultProxy.js';
import { freePort } from '../support/ports.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(async () => {
  await gateway?.stop();
});

/** The error a library call throws, for its fields to be read. */
async function thrown(call: Promise<unknown>): Promise<SimplepipeError> {
  const error: unknown = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SimplepipeError);
  return error as SimplepipeError;
}

describe('the errors a library caller branches on', () => {
  it("carries a gateway's 400 as status, with exit code 65 and a stable code", async () => {
    const collector = new MetricCollector(gateway.url);
    await collector.parseAndPush([{ name: 'kind_of', description: 'd', value: 1, metric_type: 'gauge' }], 'first');
    // The same name as a counter in another group: the Pushgateway answers 400, the families would disagree.
    const error = await thrown(collector.parseAndPush([{ name: 'kind_of', description: 'd', value: 1, metric_type: 'counter' }], 'second'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.status).toBe(400);
    expect(error.exitCode).toBe(65);
    expect(error.code).toBe('SIMPLEPIPE_DATA');
    expect(error.message).toMatch(/the gateway rejected the push \(HTTP 400\)/);
  });

  it('carries the status of a body the gateway cannot parse, pushed by pushToGateway', async () => {
    const error = await thrown(pushToGateway('not { exposition text\n', { gateway: gateway.url, job: 'garbled' }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('SIMPLEPIPE_DATA');
  });

  it("wraps a refused connection: the system's code is on the cause, and there is no status", async () => {
    const port = await freePort();
    const error = await thrown(
      pushToGateway('m 1\n', { gateway: `http://127.0.0.1:${port}`, job: 'nowhere', retry: { retries: 0, timeoutMs: 2000, deadlineMs: 5000 } }),
    );
    expect(error).toBeInstanceOf(TemporaryError);
    expect(error.exitCode).toBe(75);
    expect(error.code).toBe('SIMPLEPIPE_TEMPORARY');
    expect(error.status).toBeUndefined();
    expect((error.cause as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNREFUSED');
  });

  it("carries the gateway's own final answer, a 404 for a wrong route prefix, as status", async () => {
    const error = await thrown(pushToGateway('m 1\n', { gateway: `${gateway.url}/no/prefix`, job: 'j' }));
    expect(error.status).toBe(404);
    expect(error.exitCode).toBe(78);
    expect(error.code).toBe('SIMPLEPIPE_CONFIG');
  });

  it('carries the last answer of a retried 503 as status once the retries run out', async () => {
    const proxy = await startFaultProxy(gateway.url, { fault: { kind: 'status', status: 503 } });
    try {
      const error = await thrown(pushToGateway('m 1\n', { gateway: proxy.url, job: 'j', retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 10 } }));
      expect(error).toBeInstanceOf(TemporaryError);
      expect(error.status).toBe(503);
      expect(error.exitCode).toBe(75);
      expect(proxy.requests).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });
});
