import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, runPipeline } from '../../../src/index.js';
import { useGatewayBehindProxy } from '../../support/gatewayFixture.js';
import { tempFile } from '../../support/files.js';
import { findBinary } from '../../support/processes.js';
import type { GatewayFamily } from '../../support/pushgateway.js';

const fixture = useGatewayBehindProxy();

type Kind = 'gauge' | 'counter' | 'info';
interface GeneratedFamily {
  name: string;
  kind: Kind;
  help: string;
  /** One series per entry: the value of label `l` (absent when the family has one unlabelled series) and the number. */
  series: { label?: string; value: number }[];
}

// snake_case names whose parts are no unit abbreviation ("_d", "_ms") or type suffix, so promtool's lint
// has nothing to say either: the check is strict, any output fails it.
const familyName = fc.stringMatching(/^v[a-z0-9]{2,10}$/);
const anyText = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

const family: fc.Arbitrary<Omit<GeneratedFamily, 'name'>> = fc.constantFrom<Kind>('gauge', 'counter', 'info').chain((kind) =>
  fc.record({
    kind: fc.constant(kind),
    // The text format's parser skips blanks before a HELP text: one that starts with a blank is not kept exactly.
    help: anyText.map((text) => `h${text}`),
    series: fc.oneof(
      (kind === 'counter' ? fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }) : finite).map((value) => [{ value }]),
      fc.uniqueArray(anyText, { minLength: 1, maxLength: 4 }).chain((labels) =>
        fc.tuple(...labels.map(() => finite)).map((values) => labels.map((label, i) => ({ label, value: kind === 'counter' ? Math.abs(values[i]!) : values[i]! }))),
      ),
    ),
  }),
);
const recordSet = fc.uniqueArray(familyName, { minLength: 1, maxLength: 5 }).chain((names) =>
  fc.tuple(...names.map(() => family)).map((families) => families.map((f, i): GeneratedFamily => ({ ...f, name: `${f.kind === 'info' ? 'info' : 'metric'}_${names[i]}${f.kind === 'counter' ? '_total' : ''}` }))),
);

function toRecords(families: GeneratedFamily[]): Record<string, unknown>[] {
  return families.flatMap((f) =>
    f.series.map((s) => {
      const labels = s.label === undefined ? undefined : { l: s.label };
      if (f.kind === 'info') return { name: f.name, description: f.help, metric_type: 'info', value: { l: s.label ?? 'only', n: String(s.value) } };
      return { name: f.name, description: f.help, metric_type: f.kind, value: s.value, ...(labels && { labels }) };
    }),
  );
}

function promtoolCheck(exposition: string): { status: number | null; output: string } {
  const result = spawnSync(findBinary('promtool'), ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

let runs = 0;

describe('any valid record set', () => {
  it('renders exposition promtool accepts, and the real gateway stores exactly its label values and numbers', async () => {
    await fc.assert(
      fc.asyncProperty(recordSet, anyText, async (families, groupValue) => {
        const job = `property_${++runs}`;
        const input = tempFile(toRecords(families));
        // What is pushed is the dry run's text, rendered while sent (test/convert/pieces.property.test.ts).
        const { exposition } = await runPipeline({ input, job, grouping: { g: groupValue }, gateway: fixture.gateway.url, dryRun: true });
        await runPipeline({ input, job, grouping: { g: groupValue }, gateway: fixture.gateway.url });
        const lint = promtoolCheck(exposition!);
        expect(lint.output).toBe('');
        expect(lint.status).toBe(0);

        const group = (await fixture.gateway.group({ job, g: groupValue })) as unknown as Record<string, GatewayFamily> | undefined;
        expect(group).toBeDefined();
        for (const f of families) {
          const stored = group![f.kind === 'info' ? `${f.name}_info` : f.name]!;
          expect(stored.help).toBe(f.help);
          const actual = stored.metrics.map((m) => (f.kind === 'info' ? { label: m.labels.l, value: Number(m.labels.n) } : { label: m.labels.l, value: Number(m.value) }));
          const expected = f.series.map((s) => ({ label: s.label ?? (f.kind === 'info' ? 'only' : undefined), value: s.value === 0 ? 0 : s.value }));
          const byLabel = (a: { label?: string }, b: { label?: string }) => ((a.label ?? '') < (b.label ?? '') ? -1 : 1);
          expect(actual.map((a) => ({ ...a, value: a.value === 0 ? 0 : a.value })).sort(byLabel)).toEqual(expected.sort(byLabel));
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** One way to break a valid record, each a rule the validator must catch before anything is sent. */
const breakRecord: fc.Arbitrary<(record: Record<string, unknown>) => Record<string, unknown>> = fc.oneof(
  fc.constantFrom('1abc', 'a-b', '__reserved', '', 'a b').map((name) => (r: Record<string, unknown>) => ({ ...r, name })),
  fc.constantFrom('gauges', 'Gauge', '', 'untyped').map((metric_type) => (r: Record<string, unknown>) => ({ ...r, metric_type })),
  fc.constantFrom('name', 'description', 'value', 'metric_type').map((field) => (r: Record<string, unknown>) => {
    const copy = { ...r };
    delete copy[field];
    return copy;
  }),
  fc.double({ min: 1e-300, noNaN: true, noDefaultInfinity: true }).map((v) => (r: Record<string, unknown>) => ({ ...r, metric_type: 'counter', value: -v })),
  fc.constantFrom('six', '', '1,5', '0x', 'Infinity').map((value) => (r: Record<string, unknown>) => ({ ...r, value })),
  fc.constantFrom('__x', '1a', 'a-b', 'job', '').map((label) => (r: Record<string, unknown>) => ({ ...r, labels: { [label]: 'v' } })),
  fc.constantFrom(1, null, true, ['v']).map((value) => (r: Record<string, unknown>) => ({ ...r, labels: { l: value } })),
  fc.constant((r: Record<string, unknown>) => ({ ...r, labels: { l: 'lone \uD800 surrogate' } })),
  // An unknown field is no longer one: the Python Simplepipe ignored them, and so does a push, with a warning.
  fc.constant((r: Record<string, unknown>) => ({ ...r, expect: { min: 2, max: 1 } })),
  fc.constant((r: Record<string, unknown>) => ({ ...r, buckets: [1, 2] })),
);

describe('any invalid record', () => {
  it('is refused with a DataError, and zero requests reach the gateway', async () => {
    await fc.assert(
      fc.asyncProperty(recordSet, breakRecord, fc.nat(), async (families, breakIt, at) => {
        const records = toRecords(families).filter((r) => r.metric_type !== 'info');
        const victim = records.length === 0 ? { name: 'x', description: 'd', value: 1, metric_type: 'gauge' } : records[at % records.length]!;
        const broken = [...records.filter((r) => r !== victim), breakIt(victim)];
        const before = fixture.sharedProxy.requests.length;
        const error = await runPipeline({ input: tempFile(broken), job: 'never_pushed', gateway: fixture.sharedProxy.url }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DataError);
        expect(fixture.sharedProxy.requests.length).toBe(before);
      }),
      { numRuns: 60 },
    );
    expect(await fixture.gateway.group({ job: 'never_pushed' })).toBeUndefined();
  });
});
