import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, MetricCollector, runPipeline, type MetricRecord, type RemoteWriteResult } from '../../src/index.js';
import { tempFile } from '../support/files.js';
import { startPrometheus, type Prometheus } from '../support/prometheus.js';

let prometheus: Prometheus;
let url: string;
beforeAll(async () => {
  prometheus = await startPrometheus({ remoteWriteReceiver: true });
  url = `${prometheus.url}/api/v1/write`;
});
afterAll(() => prometheus?.stop());

const progress = (value: number): MetricRecord[] => [{ name: 'epoch_progress', description: 'd', value, metric_type: 'gauge' }];
/** Every sample of a series within the last minute before `untilMs`: value and timestamp. */
async function history(selector: string, untilMs: number): Promise<[number, string][]> {
  const [series] = await prometheus.query(`${selector}[1m]`, { time: untilMs / 1000 });
  return ((series as unknown as { values?: [number, string][] })?.values ?? []).map(([t, v]) => [Math.round(t * 1000), v]);
}

describe('the library’s remote-write sink', () => {
  it('MetricCollector writes records, with grouping labels, at the given timestamp, and no gateway is asked for', async () => {
    const timestampMs = Math.floor(Date.now() / 1000) * 1000 - 1000;
    // No gateway reachable: the default, http://pushgateway:9091, does not resolve here.
    const collector = new MetricCollector({ remoteWrite: { url, timestampMs }, grouping: { run: '7' } });
    const result = (await collector.parseAndPush(progress(0.5), 'collected')) as RemoteWriteResult;
    expect(result).toMatchObject({ url, status: 204, requests: 1, series: 1, timestampMs });
    const stored = await prometheus.query('epoch_progress{job="collected"}', { time: timestampMs / 1000 });
    expect(stored.map((s) => [s.metric, s.value[1]])).toEqual([[{ __name__: 'epoch_progress', job: 'collected', run: '7' }, '0.5']]);
  });

  it('loadAndPush and runPipeline read a file and write it', async () => {
    const timestampMs = Math.floor(Date.now() / 1000) * 1000 - 1000;
    const file = tempFile(progress(2));
    const collector = new MetricCollector({ remoteWrite: { url, timestampMs } });
    expect(await collector.loadAndPush(file, 'loaded')).toMatchObject({ status: 204, series: 1 });
    const result = await runPipeline({ input: file, job: 'piped', remoteWrite: { url, timestampMs }, retry: { retries: 0 } });
    expect(result.write).toMatchObject({ requests: 1, series: 1, timestampMs });
    expect(result.exposition).toBeUndefined();
    for (const job of ['loaded', 'piped']) {
      expect((await prometheus.query(`epoch_progress{job="${job}"}`, { time: timestampMs / 1000 })).map((s) => s.value[1])).toEqual(['2']);
    }
  });

  it('the periodic pusher writes each push at its own time: a series of the job’s progress, the last one from stop()', async () => {
    let step = 0;
    const pusher = new MetricCollector({ remoteWrite: { url } }).startPeriodicPush({
      job: 'periodic',
      intervalSeconds: 0.3,
      collect: ({ final }) => progress(final ? 100 : ++step),
    });
    const deadline = Date.now() + 30_000;
    while (pusher.pushes < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await pusher.stop();
    const samples = await history('epoch_progress{job="periodic"}', Date.now() + 1000);
    expect(samples.map(([, value]) => value)).toEqual([...Array.from({ length: step }, (_, i) => String(i + 1)), '100']);
    const times = samples.map(([t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
  });

  it('refuses a number of samples per request that is not a whole number above zero, before sending', async () => {
    for (const maxSamplesPerRequest of [0, -1, 2.5]) {
      const collector = new MetricCollector({ remoteWrite: { url: 'http://127.0.0.1:1/api/v1/write', maxSamplesPerRequest } });
      await expect(collector.parseAndPush(progress(1), 'bad_split')).rejects.toThrow(ConfigError);
    }
  });

  it('refuses a gateway beside remoteWrite: with remote write no Pushgateway is contacted', () => {
    expect(() => new MetricCollector('http://127.0.0.1:1', { remoteWrite: { url } })).toThrow(/exclude each other/);
    expect(() => new MetricCollector({ gateway: 'http://127.0.0.1:1', remoteWrite: { url } })).toThrow(ConfigError);
  });

  it('a periodic pusher refuses a fixed timestamp, which would give every push the same one', () => {
    const collector = new MetricCollector({ remoteWrite: { url, timestampMs: Date.now() } });
    expect(() => collector.startPeriodicPush({ job: 'fixed', intervalSeconds: 1, collect: () => progress(1) })).toThrow(ConfigError);
  });
});
