import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, MetricCollector, OptionError } from '../../src/index.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startPushgateway, type GatewayFamily, type Pushgateway } from '../support/pushgateway.js';

const KFP_EXAMPLE = fileURLToPath(new URL('../../examples/mlpipeline-metrics.json', import.meta.url));
const JSONL_EXAMPLE = fileURLToPath(new URL('../../examples/metrics.jsonl', import.meta.url));

let gateway: Pushgateway;
let collector: MetricCollector;
beforeAll(async () => {
  gateway = await startPushgateway();
  collector = new MetricCollector({ gateway: gateway.url });
});
afterAll(() => gateway?.stop());

const family = async (job: string, name: string): Promise<GatewayFamily | undefined> =>
  (await gateway.group({ job }))?.[name] as GatewayFamily | undefined;

async function refusal(load: Promise<unknown>): Promise<unknown> {
  try {
    await load;
  } catch (error) {
    return error;
  }
  throw new Error('expected loadAndPush to throw');
}

describe('MetricCollector.loadAndPush reads every input format', () => {
  it('a Kubeflow Pipelines metrics file by its shape, with a name prefix', async () => {
    await collector.loadAndPush(KFP_EXAMPLE, 'library-kfp', { namePrefix: 'kfp_' });
    expect((await family('library-kfp', 'kfp_accuracy_score'))?.metrics[0]?.value).toBe('0.913');
  });

  it('JSON Lines by a .jsonl name, or by format whatever the name', async () => {
    await collector.loadAndPush(JSONL_EXAMPLE, 'library-jsonl');
    expect((await family('library-jsonl', 'rows_read_total'))?.type).toBe('COUNTER');
    const lines = tempFile('{"name": "step_seconds", "description": "d", "value": 3, "metric_type": "gauge"}\n', 'metrics.log');
    await collector.loadAndPush(lines, 'library-format', { format: 'jsonl' });
    expect((await family('library-format', 'step_seconds'))?.metrics[0]?.value).toBe('3');
  });

  it('throws a DataError whose issues name the line, and pushes nothing', async () => {
    const lines = tempFile('{"name": "a", "description": "d", "value": 1, "metric_type": "gauge"}\n{"name": "b", "description": "d", "value": "x", "metric_type": "gauge"}\n', 'bad.jsonl');
    const error = await refusal(collector.loadAndPush(lines, 'library-bad'));
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).issues).toEqual([{ pointer: 'line 2 /value', message: expect.stringMatching(/numeric string/) }]);
    expect(await gateway.group({ job: 'library-bad' })).toBeUndefined();
  });

  it('throws an OptionError naming namePrefix, the option, for a name prefix given with a file that is not KFP’s', async () => {
    const error = await refusal(collector.loadAndPush(tempFile(SIMPLEPIPE_EXAMPLE), 'library-usage', { namePrefix: 'kfp_' }));
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).options).toEqual(['namePrefix']);
    expect((error as OptionError).message).toMatch(/^namePrefix applies to Kubeflow Pipelines metrics files only/);
    expect((error as OptionError).exitCode).toBe(78);
  });
});
