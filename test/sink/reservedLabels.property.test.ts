import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByName } from '../../src/convert/families.js';
import { DataError, remoteWrite, runPipeline, SimplepipeError, validate, type MetricType, type PipelineOptions } from '../../src/index.js';
import { pushFamilies } from '../../src/sink/pushgateway/push.js';
import { tempFile } from '../support/files.js';

/**
 * Every way a label reaches a series (--grouping, --label, the file's common labels, a record's own),
 * for every type and both sinks: a label the series' own type reserves (`le` on a histogram's, `quantile`
 * on a summary's) is refused with 65 before anything is sent, and whatever is accepted leaves with no
 * label name twice, the dry run showing it so.
 */
type Source = 'grouping' | 'flag' | 'file' | 'record';
type Sink = 'pushgateway' | 'remote-write';
const TYPES: MetricType[] = ['gauge', 'counter', 'summary', 'histogram', 'info'];
const RESERVES: Partial<Record<MetricType, string>> = { histogram: 'le', summary: 'quantile' };

function recordOf(type: MetricType, index: number, labels: Record<string, string>): unknown {
  const base = { name: `m${index}_${type}`, description: 'd', metric_type: type, labels };
  if (type === 'summary' || type === 'histogram') return { ...base, value: [1, 2, 3], ...(type === 'histogram' ? { buckets: [1, 2] } : { quantiles: [0.5, 0.9] }) };
  return type === 'info' ? { ...base, value: { version: '1' } } : { ...base, value: 1 };
}

/** Where nothing listens: a request sent at all fails as a connection error (75), never as refused data (65). */
const NOWHERE = 'http://127.0.0.1:9';

function optionsFor(sink: Sink, source: Source, label: string, types: MetricType[], dryRun: boolean): PipelineOptions {
  const value = '5';
  const metrics = types.map((type, i) => recordOf(type, i, source === 'record' && i === 0 ? { [label]: value } : {}));
  const document = { ...(source === 'file' ? { labels: { [label]: value } } : {}), metrics };
  return {
    input: tempFile(document),
    job: 'train',
    dryRun,
    ...(source === 'grouping' ? { grouping: { [label]: value } } : {}),
    ...(source === 'flag' ? { labels: { [label]: value } } : {}),
    retry: { retries: 0, timeoutMs: 2000, deadlineMs: 4000 },
    ...(sink === 'remote-write' ? { remoteWrite: { url: `${NOWHERE}/api/v1/write` } } : { gateway: NOWHERE }),
  };
}

/** Each sample line's label names, in order: from `name{a="x",b="y"} value [timestamp]`. */
function labelNamesOfLines(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [...(/^[^{ ]*\{(.*)\} /.exec(line)?.[1] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)].map((match) => match[1]!));
}

describe('a label a series’ type reserves, from every source, on both sinks', () => {
  it('is refused with 65 and nothing sent; anything accepted leaves with each label name once, as the dry run prints it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Sink>('pushgateway', 'remote-write'),
        fc.constantFrom<Source>('grouping', 'flag', 'file', 'record'),
        fc.constantFrom('le', 'quantile', 'zone'),
        fc.array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 3 }),
        async (sink, source, label, types) => {
          const concerned = source === 'record' ? [types[0]!] : types;
          const reserved = concerned.some((type) => RESERVES[type] === label);
          if (reserved) {
            for (const dryRun of [true, false]) {
              const error = await runPipeline(optionsFor(sink, source, label, types, dryRun)).then(
                () => undefined,
                (caught: unknown) => caught,
              );
              expect(error, `${sink} ${source} ${label} ${types.join(',')} dryRun=${dryRun}`).toBeInstanceOf(SimplepipeError);
              expect((error as SimplepipeError).exitCode, (error as Error).message).toBe(65);
              expect((error as Error).message).toMatch(new RegExp(`"${label}" is reserved for (histogram|summary) samples`));
            }
            return;
          }
          const result = await runPipeline(optionsFor(sink, source, label, types, true));
          const text = result.writeText ?? result.exposition ?? '';
          const lines = labelNamesOfLines(text);
          expect(lines).toHaveLength(result.series);
          for (const names of lines) expect(new Set(names).size, text).toBe(names.length);
          // No series collapsed into another: every line names a different series.
          const series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => line.replace(/ [^ ]+( \d+)?$/, ''));
          expect(new Set(series).size).toBe(series.length);
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('records validated without the grouping they are sent with', () => {
  const records = validate([
    { name: 'batch_seconds', description: 'd', value: [1, 2], metric_type: 'histogram', buckets: [1] },
    { name: 'acc', description: 'd', value: 1, metric_type: 'gauge', labels: { run: '7' } },
  ]);
  const retry = { retries: 0, timeoutMs: 2000, deadlineMs: 4000 };

  it('a Pushgateway push refuses a grouping label a family’s type reserves (65), before any request', async () => {
    const pushed = pushFamilies(groupByName(records), { gateway: NOWHERE, job: 'train', grouping: { le: '5' }, retry });
    await expect(pushed).rejects.toThrow(DataError);
    await expect(pushed).rejects.toThrow(/^grouping le: "le" is reserved for histogram samples, and batch_seconds is a histogram; nothing was pushed/);
  });

  it.each([
    ['a reserved label', { le: '5' }, /a series of batch_seconds_bucket would carry the label "le" twice/],
    ['a label a record also has', { run: '42' }, /a series of acc would carry the label "run" twice/],
  ])('a remote write refuses %s given as grouping (65): no series leaves with a label twice', async (_, grouping, message) => {
    const written = remoteWrite(records, { url: `${NOWHERE}/api/v1/write`, job: 'train', grouping, retry });
    await expect(written).rejects.toThrow(DataError);
    await expect(written).rejects.toThrow(message);
  });
});
