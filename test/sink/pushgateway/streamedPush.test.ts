import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../../src/index.js';
import { useGatewayBehindProxy } from '../../support/gatewayFixture.js';
import { tempFile } from '../../support/files.js';

// A push encodes its body while sending it, chunked, in pieces of about 64 KiB (pushFamilies). 30,000
// series make several pieces and fill the socket's buffer, so the writer waits for the gateway to read;
// every test reads the group back (--verify compares each series and value) to show it arrived whole.
const fixture = useGatewayBehindProxy();

const SERIES = 30_000;
/** Every record type, families interleaved in the file (a family is still written in one place). */
const records = Array.from({ length: SERIES / 3 }, (_, i) => [
  { name: 'rows_processed_total', description: 'rows', value: i, metric_type: 'counter', labels: { shard: String(i) } },
  { name: 'feature_drift_score', description: 'drift', value: i / 7, metric_type: 'gauge', labels: { feature: `f${i}` } },
  { name: 'model_info', description: 'model', value: { version: String(i) }, metric_type: 'info' },
]).flat();
const input = tempFile(records);

const groupSize = async (job: string): Promise<number> => {
  const group = (await fixture.gateway.group({ job })) as Record<string, unknown> | undefined;
  return ['rows_processed_total', 'feature_drift_score', 'model_info'].reduce(
    (sum, name) => sum + ((group?.[name] as { metrics: unknown[] } | undefined)?.metrics.length ?? 0),
    0,
  );
};

describe('a push encoded while it is sent', () => {
  it('is sent chunked, and the gateway holds every series of it', async () => {
    const via = await fixture.proxy();
    const result = await runPipeline({ input, job: 'streamed', gateway: via.url, verify: true });
    expect(result.series).toBe(SERIES);
    expect(result.exposition).toBeUndefined();
    const put = via.requests.find((request) => request.method === 'PUT')!;
    expect(put.headers['transfer-encoding']).toBe('chunked');
    expect(put.headers['content-length']).toBeUndefined();
    expect(await groupSize('streamed')).toBe(SERIES);
  });

  it('encodes the body again for a retry, and the retry delivers all of it', async () => {
    const via = await fixture.proxy({ fault: { kind: 'status', status: 503 }, times: 1, methods: ['PUT'] });
    const result = await runPipeline({ input, job: 'streamed_retried', gateway: via.url, verify: true, retry: { baseDelayMs: 10 } });
    expect(result.push?.attempts).toBe(2);
    expect(await groupSize('streamed_retried')).toBe(SERIES);
  });

  it('goes through a library caller’s undici dispatcher whole', async () => {
    const dispatcher = new Agent();
    try {
      await runPipeline({ input, job: 'streamed_undici', gateway: fixture.gateway.url, verify: true, dispatcher });
      expect(await groupSize('streamed_undici')).toBe(SERIES);
    } finally {
      await dispatcher.close();
    }
  });

  it('leaves the gateway holding what the dry run prints: the same families, series and values as that text pushed as it is', async () => {
    const { exposition } = await runPipeline({ input, gateway: fixture.gateway.url, dryRun: true });
    const text = await fetch(`${fixture.gateway.url}/metrics/job/as_text`, { method: 'PUT', body: exposition });
    expect(text.status).toBe(200);
    await runPipeline({ input, job: 'as_pushed', gateway: fixture.gateway.url });
    const held = async (job: string) => {
      const { labels, push_time_seconds, push_failure_time_seconds, last_push_successful, ...families } = (await fixture.gateway.group({ job })) as Record<string, unknown>;
      const metrics = families as Record<string, { time_stamp?: string; metrics: { labels: Record<string, string> }[] }>;
      for (const family of Object.values(metrics)) {
        delete family.time_stamp; // the time of each push
        for (const metric of family.metrics) delete metric.labels.job;
      }
      return { labels: { ...(labels as object), job: undefined }, times: [typeof push_time_seconds, typeof push_failure_time_seconds], last_push_successful, families };
    };
    const [pushed, printed] = [await held('as_pushed'), await held('as_text')];
    expect(Object.keys(pushed.families)).toHaveLength(3);
    expect(pushed).toEqual(printed);
  });
});
