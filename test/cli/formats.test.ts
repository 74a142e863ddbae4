import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { useGateway } from '../support/gatewayFixture.js';
import { boundedMemoryEnv, peakRssMiB } from '../support/memoryProbe.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { runMain } from '../support/runMain.js';

/** A Kubeflow Pipelines v1 metrics file as the KFP SDK's `json.dump` writes it, RAW, PERCENTAGE and no format. */
const KFP_EXAMPLE = fileURLToPath(new URL('../../examples/mlpipeline-metrics.json', import.meta.url));
const JSONL_EXAMPLE = fileURLToPath(new URL('../../examples/metrics.jsonl', import.meta.url));

const fixture = useGateway(runMain);
const { push, family } = fixture;
const record = (name: string, value: unknown = 1) => JSON.stringify({ name, description: 'd', value, metric_type: 'gauge' });

describe('a Kubeflow Pipelines v1 metrics file', () => {
  it('is recognised by its shape, and each entry is pushed as a gauge the gateway keeps, named by the documented rule', async () => {
    const run = await push([KFP_EXAMPLE, 'kfp']);
    expect(run.stderr).toMatch(/read .*mlpipeline-metrics\.json format=kfp/);
    expect(run.code).toBe(0);
    const group = await fixture.gateway.group({ job: 'kfp' });
    expect(group?.accuracy_score).toMatchObject({
      type: 'GAUGE',
      help: 'Kubeflow Pipelines metric accuracy-score (format PERCENTAGE: a fraction, 1 is 100%)',
      metrics: [{ labels: { instance: '', job: 'kfp' }, value: '0.913' }],
    });
    expect(group?.roc_auc_score).toMatchObject({ type: 'GAUGE', help: 'Kubeflow Pipelines metric roc-auc-score (format RAW)', metrics: [{ value: '0.8741' }] });
    expect(group?.training_rows).toMatchObject({ type: 'GAUGE', help: 'Kubeflow Pipelines metric training-rows', metrics: [{ value: '200000' }] });
  });

  it('takes --name-prefix before every name, and --label on every series', async () => {
    expect((await push([KFP_EXAMPLE, 'kfp-prefixed', '--name-prefix', 'kfp_', '--label', 'model=churn'])).code).toBe(0);
    expect((await family('kfp-prefixed', 'kfp_accuracy_score'))?.metrics[0]).toEqual({ labels: { instance: '', job: 'kfp-prefixed', model: 'churn' }, value: '0.913' });
    expect(await family('kfp-prefixed', 'accuracy_score')).toBeUndefined();
  });

  it('is read as KFP’s with --format kfp, whatever its name says', async () => {
    const file = tempFile('{"metrics": [{"name": "loss", "numberValue": 0.25}]}', 'step-output.jsonl');
    expect((await push([file, 'kfp-forced', '--format', 'kfp'])).code).toBe(0);
    expect((await family('kfp-forced', 'loss'))?.metrics[0]?.value).toBe('0.25');
  });

  it('65: two entries whose names map to one are a duplicate naming both entries, and nothing is pushed', async () => {
    const file = tempFile({ metrics: [{ name: 'accuracy-score', numberValue: 0.9, format: 'PERCENTAGE' }, { name: 'accuracy_score', numberValue: 0.8 }] });
    const run = await push([file, 'kfp-duplicate']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/^ {2}\/metrics\/1: duplicate series: same name and labels as \/metrics\/0 \(both named accuracy_score\)$/m);
    expect(await fixture.gateway.group({ job: 'kfp-duplicate' })).toBeUndefined();
  });

  it('65: every problem points into the KFP file, and nothing is pushed', async () => {
    const file = tempFile({ metrics: [{ name: 'ok', numberValue: 1 }, { name: 'bad name', numberValue: '0.5', format: 'percent' }] });
    const run = await push([file, 'kfp-bad']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/^ {2}\/metrics\/1\/name: is not a valid Kubeflow Pipelines metric name/m);
    expect(run.stderr).toMatch(/^ {2}\/metrics\/1\/numberValue: must be a number, or "NaN", "Infinity" or "-Infinity"$/m);
    expect(run.stderr).toMatch(/^ {2}\/metrics\/1\/format: must be one of RAW, PERCENTAGE$/m);
    expect(await fixture.gateway.group({ job: 'kfp-bad' })).toBeUndefined();
  });

  it('64: a --name-prefix that cannot start a metric name, or one given for a file that is not KFP’s', async () => {
    const badPrefix = await push([KFP_EXAMPLE, 'kfp-usage', '--name-prefix', '1st_']);
    expect(badPrefix.code).toBe(64);
    expect(badPrefix.stderr).toMatch(/"1st_" cannot start a metric name/);
    const notKfp = await push([tempFile(SIMPLEPIPE_EXAMPLE), 'kfp-usage', '--name-prefix', 'kfp_']);
    expect(notKfp.code).toBe(64);
    expect(notKfp.stderr).toMatch(/--name-prefix applies to Kubeflow Pipelines metrics files only; .* is read as json/);
    expect((await push([KFP_EXAMPLE, 'kfp-usage', '--format', 'yaml'])).code).toBe(64);
    expect(await fixture.gateway.group({ job: 'kfp-usage' })).toBeUndefined();
  });

  it('is offered in --help, with --format and --name-prefix, by push and validate', async () => {
    for (const command of ['push', 'validate']) {
      const help = (await runMain([command, '--help'])).stdout.replace(/\s+/g, ' ');
      expect(help).toMatch(/--format <format> .*\(choices: "json", "jsonl", "kfp", "auto"\)/);
      expect(help).toMatch(/--name-prefix <prefix>/);
    }
    expect((await runMain(['--help'])).stdout).toMatch(/mlpipeline-metrics\.json my-job --name-prefix kfp_/);
  });

  it('validate reads it too', async () => {
    const run = await runMain(['validate', KFP_EXAMPLE]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/is valid format=kfp series=3/);
  });
});

describe('a JSON Lines file', () => {
  it('is read one record per line by its .jsonl name, and pushed', async () => {
    const run = await push([JSONL_EXAMPLE, 'lines']);
    expect(run.stderr).toMatch(/format=jsonl/);
    expect(run.code).toBe(0);
    expect((await family('lines', 'rows_read_total'))?.metrics[0]?.value).toBe('1200');
    expect((await family('lines', 'model_accuracy_ratio'))?.metrics[0]?.labels.split).toBe('holdout');
  });

  it('is read from stdin with --format jsonl, as a shell step appends it', async () => {
    const run = await push(['-', 'lines-stdin', '--format', 'jsonl'], `${record('first')}\n\n${record('second', '2')}\n`);
    expect(run.code).toBe(0);
    expect((await family('lines-stdin', 'second'))?.metrics[0]?.value).toBe('2');
  });

  it('65: a problem names its line, and nothing is pushed', async () => {
    const run = await push(['-', 'lines-bad', '--format', 'jsonl'], `${record('a')}\n\n{"name": "b",\n${record('c', 'six')}\n`);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/^ {2}line 3: is not valid JSON/m);
    const values = await push(['-', 'lines-bad', '--format', 'jsonl'], `${record('a')}\n\n${record('c', 'six')}\n${record('a')}\n`);
    expect(values.code).toBe(65);
    expect(values.stderr).toMatch(/^ {2}line 3 \/value: must be a number or a numeric string/m);
    expect(values.stderr).toMatch(/^ {2}line 4: duplicate series: same name and labels as line 1 \(both named a\)$/m);
    expect(await fixture.gateway.group({ job: 'lines-bad' })).toBeUndefined();
  });

  it('65: refuses stdin larger than --max-input-bytes, as for JSON', async () => {
    const run = await push(['-', 'lines-big', '--format', 'jsonl', '--max-input-bytes', '1KiB'], `${record('a')}\n`.repeat(100));
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/stdin is larger than --max-input-bytes 1024/);
  });
});

// The memory tests measure a process's peak RSS under its own heap cap: they run the bundle (runApp).
describe('the memory a JSON Lines input takes', () => {
  it('never holds the input whole as text, nor does a plain JSON array: 46 MiB of padded records peak lower than as the object form, read whole, by most of its size', async () => {
    // Spaces inside each line make the input large and its records small, so the text is what the runs differ by. The
    // object form {"metrics": [...]} is read as one text; a plain array a run of records at a time (jsonArray.ts).
    const padding = ' '.repeat(48_000);
    const lines = Array.from({ length: 1000 }, (_, i) => `{"name":"m","description":"d","value":${i},"metric_type":"gauge","labels":{"i":"${i}"}${padding}}`);
    const inputMiB = (lines.length * (lines[0]!.length + 1)) / 2 ** 20;
    const dryRun = (content: string, name: string) => runApp([tempFile(content, name), 'padded', '--dry-run'], { env: boundedMemoryEnv(256) });
    const asObject = await dryRun(`{"metrics":[${lines.join(',')}]}`, 'metrics.json');
    const asArray = await dryRun(`[${lines.join(',')}]`, 'metrics.json');
    const asLines = await dryRun(`${lines.join('\n')}\n`, 'metrics.jsonl');
    expect([asObject.code, asArray.code, asLines.code]).toEqual([0, 0, 0]);
    expect(asLines.stdout).toBe(asObject.stdout);
    expect(asArray.stdout).toBe(asObject.stdout);
    const [objectPeak, arrayPeak, linesPeak] = [peakRssMiB(asObject.stderr), peakRssMiB(asArray.stderr), peakRssMiB(asLines.stderr)];
    console.log(`peak RSS reading ${inputMiB.toFixed(0)} MiB of padded records: object form ${objectPeak.toFixed(0)} MiB, JSON array ${arrayPeak.toFixed(0)} MiB, JSON Lines ${linesPeak.toFixed(0)} MiB`);
    expect(linesPeak).toBeLessThan(objectPeak - inputMiB / 2);
    expect(arrayPeak).toBeLessThan(objectPeak - inputMiB / 2);
  });
});

describe('100,000 records', () => {
  const RECORDS = 100_000;
  const records = Array.from({ length: RECORDS }, (_, i) =>
    JSON.stringify({ name: `metric_${i}`, description: `record ${i}`, value: i / 2, metric_type: 'gauge', labels: { run: '42' } }),
  );

  it('65: a bad line 57,311 of 100,000 is reported by its number, and nothing is pushed', async () => {
    // Line 10 is blank, so line 57,311 holds record 57,309 (from 0): the number is the line's, not the record's.
    const lines = [...records.slice(0, 9), '', ...records.slice(9, RECORDS - 1)];
    lines[57_310] = JSON.stringify({ name: 'broken', description: 'd', value: 'twelve', metric_type: 'gauge' });
    const run = await push([tempFile(`${lines.join('\n')}\n`, 'metrics.jsonl'), 'lines-57311']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/metrics\.jsonl: 1 problem; nothing was pushed: exit=65\n {2}line 57311 \/value: must be a number or a numeric string/);
    expect(await fixture.gateway.group({ job: 'lines-57311' })).toBeUndefined();
  });

  it('as JSON Lines are pushed within the memory bound of the same records as a JSON array', async () => {
    // Each push to a gateway of its own: a gateway already holding 100,000 families checks every push against them.
    const gateways = await Promise.all([startPushgateway(), startPushgateway()]);
    try {
      // The same V8 heap cap for both (each needs under 90 MiB here), and the peak resident memory compared.
      const pushWithin = (content: string, name: string, to: Pushgateway) =>
        runApp([tempFile(content, name), 'big', '--gateway', to.url, '--timeout', '60s', '--deadline', '120s'], { env: boundedMemoryEnv(128) });
      const asArray = await pushWithin(`[${records.join(',')}]`, 'metrics.json', gateways[0]);
      const asLines = await pushWithin(`${records.join('\n')}\n`, 'metrics.jsonl', gateways[1]);
      expect(asArray.stderr).toMatch(/pushed 100000 series/);
      expect(asLines.stderr).toMatch(/format=jsonl/);
      expect(asLines.stderr).toMatch(/pushed 100000 series/);
      expect([asArray.code, asLines.code]).toEqual([0, 0]);
      const [arrayPeak, linesPeak] = [peakRssMiB(asArray.stderr), peakRssMiB(asLines.stderr)];
      console.log(`peak RSS pushing ${RECORDS} records: JSON array ${arrayPeak.toFixed(0)} MiB, JSON Lines ${linesPeak.toFixed(0)} MiB`);
      expect(linesPeak).toBeLessThan(arrayPeak * 1.15);
      expect(linesPeak).toBeLessThan(300);

      const families = async (from: Pushgateway) => Object.keys((await from.group({ job: 'big' })) ?? {}).filter((key) => key.startsWith('metric_'));
      const [fromArray, fromLines] = (await Promise.all(gateways.map(families))) as [string[], string[]];
      expect(fromLines).toHaveLength(RECORDS);
      expect(fromLines.sort()).toEqual(fromArray.sort());
    } finally {
      await Promise.all(gateways.map((g) => g.stop()));
    }
  }, 240_000);
});
