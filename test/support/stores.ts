import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFaultProxy, type FaultPlan, type FaultProxy } from './faultProxy.js';
import { startPrometheus, type InstantSample } from './prometheus.js';
import { startVictoriaMetrics } from './victoriaMetrics.js';

/** A real remote-write receiver, read back the same way whichever store it is. */
export interface WriteStore {
  name: 'Prometheus' | 'VictoriaMetrics';
  url: string;
  writeUrl: string;
  /** An instant query at `time` (Unix seconds). */
  query: (promql: string, time: number) => Promise<InstantSample[]>;
  /** Every value the store keeps of the one series `selector` names at `time` (Unix seconds), copies included. */
  storedValues: (selector: string, time: number) => Promise<string[]>;
  /** A counting, fault-injecting proxy in front of it, closed after the test; its URL ends in /api/v1/write. */
  proxy: (plan?: FaultPlan) => Promise<FaultProxy & { writeUrl: string }>;
}

/**
 * Registers the hooks that give a test file both real receivers: Prometheus 2.42 with
 * --web.enable-remote-write-receiver and a single-node VictoriaMetrics 1.79, each on its own loopback
 * port with its own storage. `stores` is filled in beforeAll; use it inside tests (or describe.each over
 * STORE_NAMES and `storeNamed`).
 */
export function useWriteStores(): { stores: WriteStore[]; storeNamed: (name: WriteStore['name']) => WriteStore } {
  const stores: WriteStore[] = [];
  const perTest: FaultProxy[] = [];
  const stops: (() => Promise<void>)[] = [];
  const withProxy = (url: string): WriteStore['proxy'] => async (plan) => {
    const proxy = await startFaultProxy(url, plan);
    perTest.push(proxy);
    return Object.assign(proxy, { writeUrl: `${proxy.url}/api/v1/write` });
  };
  beforeAll(async () => {
    const [prometheus, victoria] = await Promise.all([startPrometheus({ remoteWriteReceiver: true }), startVictoriaMetrics()]);
    stops.push(prometheus.stop, victoria.stop);
    stores.push(
      {
        name: 'Prometheus',
        url: prometheus.url,
        writeUrl: `${prometheus.url}/api/v1/write`,
        query: (promql, time) => prometheus.query(promql, { time }),
        storedValues: async (selector, time) => {
          // A range selector returns the samples themselves, not one per series as an instant vector does.
          const params = new URLSearchParams({ query: `${selector}[1s]`, time: String(time) });
          const json = (await (await fetch(`${prometheus.url}/api/v1/query?${params}`)).json()) as { data: { result: { values: [number, string][] }[] } };
          return json.data.result.flatMap((series) => series.values.map(([, value]) => value));
        },
        proxy: withProxy(prometheus.url),
      },
      {
        name: 'VictoriaMetrics',
        url: victoria.url,
        writeUrl: victoria.writeUrl,
        query: (promql, time) => victoria.query(promql, { time }),
        storedValues: async (selector, time) => {
          const series = await victoria.exported(selector);
          return series.flatMap((one) => one.values.filter((_, i) => one.timestamps[i] === time * 1000).map(String));
        },
        proxy: withProxy(victoria.url),
      },
    );
  }, 60_000);
  afterEach(async () => {
    await Promise.all(perTest.splice(0).map((proxy) => proxy.close()));
  });
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
  });
  const storeNamed = (name: WriteStore['name']): WriteStore => {
    const store = stores.find((one) => one.name === name);
    if (store === undefined) throw new Error(`${name} did not start`);
    return store;
  };
  return { stores, storeNamed };
}

export const STORE_NAMES: WriteStore['name'][] = ['Prometheus', 'VictoriaMetrics'];

/** Every series of a query as `labels → value`, labels sorted, for comparing whole results at once. */
export function byLabels(samples: InstantSample[]): Record<string, string> {
  return Object.fromEntries(samples.map((sample) => [seriesKey(sample.metric), sample.value[1]]));
}

/** A series' labels as byLabels() keys it. */
export const seriesKey = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort());
