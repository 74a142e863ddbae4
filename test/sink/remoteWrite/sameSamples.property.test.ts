import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderExposition, validate, type ValidRecord } from '../../../src/index.js';
import { loadEncoder } from '../../../src/sink/remoteWrite/encode.js';
import { buildWriteRequests } from '../../../src/sink/remoteWrite/timeseries.js';
import { sameSampleValue } from '../../../src/sink/pushgateway/samples.js';
import { samplesFromExposition } from '../../support/exposition.js';
import { decodeWriteRequest } from '../../support/remoteWrite.js';

const job = 'train';
const grouping = { run: '42', instance: '' };
const at = 1795285800000;

type Kind = 'gauge' | 'counter' | 'summary' | 'histogram' | 'info';
const kinds: Kind[] = ['gauge', 'counter', 'summary', 'histogram', 'info'];
// Upper-case first letters sort before "__name__", which a "name first" sort would get wrong.
const labelName = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,4}$/).filter((name) => !['job', 'run', 'instance', 'le', 'quantile'].includes(name));
const labelValue = fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 8 }));
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
const observations = fc.array(finite, { minLength: 1, maxLength: 6 });

const family = fc.record({
  kind: fc.constantFrom(...kinds),
  help: fc.string({ unit: 'binary', maxLength: 12 }),
  labelNames: fc.uniqueArray(labelName, { maxLength: 3 }),
  buckets: fc.option(fc.uniqueArray(finite, { minLength: 1, maxLength: 4, comparator: 'SameValueZero' }).map((b) => b.sort((x, y) => x - y)), { nil: undefined }),
  series: fc.array(fc.tuple(fc.array(labelValue, { minLength: 3, maxLength: 3 }), fc.oneof(fc.double(), observations), observations), { minLength: 1, maxLength: 4 }),
});

type Generated = typeof family extends fc.Arbitrary<infer T> ? T : never;

function toDocument(families: (Generated & { name: string })[]): unknown[] {
  return families.flatMap((f) =>
    f.series.map(([values, single, observed], i) => {
      // A label "k" told apart by index keeps the series of a family distinct.
      const labels = Object.fromEntries([['k', String(i)], ...f.labelNames.map((name, n) => [name, values[n]!])]);
      const base = { name: f.name, description: f.help, labels };
      switch (f.kind) {
        case 'gauge':
          return { ...base, metric_type: 'gauge', value: typeof single === 'number' ? (Number.isNaN(single) ? 'NaN' : Number.isFinite(single) ? single : single > 0 ? '+Inf' : '-Inf') : single[0] };
        case 'counter':
          return { ...base, metric_type: 'counter', value: Math.abs(observed[0]!) };
        case 'summary':
          return { ...base, metric_type: 'summary', value: observed };
        case 'histogram':
          return { ...base, metric_type: 'histogram', value: observed, ...(f.buckets && { buckets: f.buckets }) };
        case 'info':
          return { name: f.name, description: f.help, metric_type: 'info', labels: { k: String(i) }, value: Object.fromEntries(f.labelNames.map((name, n) => [name, values[n]!])) };
      }
    }),
  );
}

const documents = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { minLength: 1, maxLength: 5 })
  .chain((names) => fc.tuple(...names.map(() => family)).map((families) => toDocument(families.map((f, i) => ({ ...f, name: `m_${names[i]}` })))));

/** What a scrape of the exposition stores: every sample line, with the labels the gateway adds for the group. */
function scraped(exposition: string): Map<string, number> {
  return new Map(
    samplesFromExposition(exposition).map((sample) => {
      const brace = sample.series.indexOf('[');
      const name = sample.series.slice(0, brace);
      const labels = Object.fromEntries(JSON.parse(sample.series.slice(brace)) as [string, string][]);
      return [key(name, { ...labels, job, run: grouping.run }), sample.value];
    }),
  );
}

/** Each family's TYPE and HELP as the exposition's comment lines give them, HELP unescaped. */
function familiesOf(exposition: string): Map<string, string> {
  const help = new Map<string, string>();
  const families = new Map<string, string>();
  for (const line of exposition.split('\n')) {
    const match = /^# (HELP|TYPE) (\S+) ?(.*)$/s.exec(line);
    if (match?.[1] === 'HELP') help.set(match[2]!, match[3]!.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')));
    if (match?.[1] === 'TYPE') families.set(match[2]!, `${match[3]} ${help.get(match[2]!)}`);
  }
  return families;
}

function key(name: string, labels: Record<string, string>): string {
  const normalised = Object.entries(labels)
    .filter(([, value]) => value !== '')
    .map(([label, value]): [string, string] => [label, label === 'le' || label === 'quantile' ? String(Number(value === '+Inf' ? Infinity : value)) : value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${name}${JSON.stringify(normalised)}`;
}

describe('remote write and the exposition carry the same samples', () => {
  it('for every metric type, labels, HELP and value: the decoded write equals a scrape of the exposition, plus job and grouping', async () => {
    const encode = await loadEncoder();
    await fc.assert(
      fc.asyncProperty(documents, fc.integer({ min: 1, max: 7 }), async (document, maxSamples) => {
        let records: ValidRecord[];
        try {
          records = validate(document, { job, grouping });
        } catch {
          fc.pre(false);
          return;
        }
        const exposition = await renderExposition(records);
        const expected = scraped(exposition);
        const requests = await buildWriteRequests(records, { job, grouping, timestampMs: at }, maxSamples);
        const written = new Map<string, number>();
        const metadata = new Map<string, string>();
        for (const request of requests) {
          const decoded = decodeWriteRequest(encode(request));
          for (const family of decoded.metadata) {
            expect(metadata.has(family.metric_family_name), `${family.metric_family_name} in two requests`).toBe(false);
          }
          for (const family of decoded.metadata) metadata.set(family.metric_family_name, `${family.type.toLowerCase()} ${family.help}`);
          // At most maxSamples, unless one family larger than that goes alone: a family is never split.
          if (decoded.metadata.length > 1) expect(decoded.timeseries.length).toBeLessThanOrEqual(maxSamples);
          for (const series of decoded.timeseries) {
            const names = series.labels.map((l) => l.name);
            // Sorted by name, strictly: no label twice. No empty value. One sample at the run's timestamp.
            expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
            expect(new Set(names).size).toBe(names.length);
            expect(series.labels.every((l) => l.value !== '')).toBe(true);
            expect(series.samples).toHaveLength(1);
            expect(series.samples[0]!.timestamp).toBe(at);
            const labels = Object.fromEntries(series.labels.map((l) => [l.name, l.value]));
            const { __name__: name, ...rest } = labels;
            const id = key(name!, rest);
            expect(written.has(id), id).toBe(false);
            written.set(id, series.samples[0]!.value);
          }
        }
        expect([...written.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [id, value] of written) expect(sameSampleValue(value, expected.get(id)!), id).toBe(true);
        expect(metadata).toEqual(familiesOf(exposition));
      }),
      { numRuns: 150 },
    );
  });
});
