import { describe, expect, it } from 'vitest';
import { DataError, MetricCollector, runPipeline, type MetricRecord } from '../../src/index.js';
import { DELIMITED_PROTOBUF_CONTENT_TYPE } from '../../src/convert/metricFamilies.js';
import { tempFile } from '../support/files.js';
import { useGatewayBehindProxy } from '../support/gatewayFixture.js';

const fixture = useGatewayBehindProxy();

/** Every type, so that what is counted and what is sent differ from a record count. */
const RECORDS: MetricRecord[] = [
  { name: 'loss', description: 'd', value: 0.25, metric_type: 'gauge', labels: { split: 'val' } },
  { name: 'steps_total', description: 'd', value: 7, metric_type: 'counter' },
  { name: 'epoch_seconds', description: 'd', value: [1, 2, 3], metric_type: 'summary', quantiles: [0.5, 0.9] },
  { name: 'batch_seconds', description: 'd', value: [0.2, 7], metric_type: 'histogram', buckets: [0.5, 5] },
  { name: 'model', description: 'd', value: { version: '1.2.3' }, metric_type: 'info' },
];
/** As Prometheus counts them: 1 + 1 + (2 quantiles + _sum + _count) + (2 buckets + +Inf + _sum + _count) + 1. */
const SERIES = 1 + 1 + 4 + 5 + 1;

describe('MetricCollector.parseAndPush runs the pipeline the CLI runs', () => {
  it('sends the records as one streamed protobuf push and counts their series once', async () => {
    const via = await fixture.proxy();
    const result = await new MetricCollector({ gateway: via.url }).parseAndPush(RECORDS, 'parsed');
    expect(result).toMatchObject({ url: `${via.url}/metrics/job/parsed`, status: 200, attempts: 1, series: SERIES });
    expect(via.requests.map((request) => [request.method, request.headers['content-type'], request.headers['transfer-encoding']])).toEqual([
      ['PUT', DELIMITED_PROTOBUF_CONTENT_TYPE, 'chunked'],
    ]);
  });

  it('leaves the gateway holding what runPipeline leaves for the same records in a file', async () => {
    await new MetricCollector({ gateway: fixture.gateway.url }).parseAndPush(RECORDS, 'from_memory');
    await runPipeline({ input: tempFile(RECORDS), job: 'from_file', gateway: fixture.gateway.url });
    const families = async (job: string) => {
      // The gateway's own push times differ from push to push; the job differs by name.
      const group = Object.entries((await fixture.gateway.group({ job }))!).filter(([name]) => !name.startsWith('push_'));
      return JSON.stringify(group).replaceAll(`"job":"${job}"`, '"job":"?"').replace(/"time_stamp":"[^"]*"/g, '"time_stamp":"?"');
    };
    expect(await families('from_memory')).toEqual(await families('from_file'));
  });

  it('refuses records that are not valid as the CLI does, naming them "the records", and sends nothing', async () => {
    const via = await fixture.proxy();
    const error = await new MetricCollector({ gateway: via.url })
      .parseAndPush([{ name: 'bad', description: 'd', value: 'six', metric_type: 'gauge' }] as unknown as MetricRecord[], 'refused')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(/^the records: .*nothing was pushed/);
    expect(via.requests).toEqual([]);
  });
});
