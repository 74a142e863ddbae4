import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFaultProxy, type FaultPlan, type FaultProxy } from './faultProxy.js';
import { startPrometheus, type Prometheus } from './prometheus.js';
import { writeWebConfig } from './webConfig.js';

export interface ReceiverFixture {
  /** The real Prometheus of this test file, accepting remote write on /api/v1/write. */
  prometheus: Prometheus;
  /** A proxy with its own fault plan, closed after the test that made it; its URL ends in /api/v1/write. */
  proxy: (plan?: FaultPlan) => Promise<FaultProxy & { writeUrl: string }>;
  /** The receiver's own remote-write URL, no proxy between. */
  writeUrl: string;
}

/**
 * Registers the hooks that give a test file one real Prometheus (Debian's 2.42) started with
 * --web.enable-remote-write-receiver, optionally behind basic auth, and fault-injecting proxies before it.
 */
export function useReceiverBehindProxy(options: { users?: Record<string, string> } = {}): ReceiverFixture {
  const perTest: FaultProxy[] = [];
  const fixture = {
    proxy: async (plan?: FaultPlan) => {
      const proxy = await startFaultProxy(fixture.prometheus.url, plan);
      perTest.push(proxy);
      return Object.assign(proxy, { writeUrl: `${proxy.url}/api/v1/write` });
    },
  } as ReceiverFixture;
  beforeAll(async () => {
    const [user, password] = Object.entries(options.users ?? {})[0] ?? [];
    fixture.prometheus = await startPrometheus({
      remoteWriteReceiver: true,
      ...(options.users && {
        webConfigFile: writeWebConfig(mkdtempSync(join(tmpdir(), 'simplepipe-promweb-')), { users: options.users }),
        probeHeaders: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
      }),
    });
    fixture.writeUrl = `${fixture.prometheus.url}/api/v1/write`;
  });
  afterEach(async () => {
    await Promise.all(perTest.splice(0).map((proxy) => proxy.close()));
  });
  afterAll(async () => {
    await fixture.prometheus?.stop();
  });
  return fixture;
}
