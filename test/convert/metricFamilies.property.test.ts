import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByName } from '../../src/convert/families.js';
import { metricFamilyPieces } from '../../src/convert/metricFamilies.js';
import { expandRecords, formatValue, type FamilyType } from '../../src/convert/series.js';
import type { Labels } from '../../src/records.js';
import { validate } from '../../src/index.js';
import { decodeMetricFamilies, samplesOf, type Sample } from '../support/metricFamilies.js';
import { anyRecords } from '../support/recordArbitraries.js';

// A push sends delimited MetricFamily messages (metricFamilyPieces); the dry run prints text. Whatever the
// records and wherever the pieces break, a protobuf library must read from the body exactly the samples
// the text holds: the families in order with their type and HELP, every series with its labels and value.

const join = (pieces: Iterable<Uint8Array>): Uint8Array => Buffer.concat([...pieces]);

function expectedSamples(records: ReturnType<typeof validate>): Sample[] {
  const samples: Sample[] = [];
  expandRecords(records, {
    family: (name: string, type: FamilyType, help: string) => samples.push(['family', name, type, help]),
    sample: (name: string, labels: Labels, value: number) => samples.push(['sample', name, labels, formatValue(value)]),
  });
  return samples;
}

describe('the push body as delimited MetricFamily messages', () => {
  it('holds the samples of the text exposition, wherever its pieces break', () => {
    fc.assert(
      fc.property(anyRecords, fc.integer({ min: 1, max: 300 }), (file, pieceBytes) => {
        const records = validate(file);
        const body = join(metricFamilyPieces(groupByName(records), pieceBytes));
        expect(samplesOf(decodeMetricFamilies(body))).toEqual(expectedSamples(records));
      }),
      { numRuns: 300 },
    );
  });

  it('is one message a family, in the order of the families (the gateway keeps only the last message of a name)', () => {
    fc.assert(
      fc.property(anyRecords, (file) => {
        const families = groupByName(validate(file));
        expect(decodeMetricFamilies(join(metricFamilyPieces(families))).map((family) => family.name)).toEqual(families.map((family) => family[0]!.name));
      }),
    );
  });

  it('writes labels and HELP text outside ASCII as UTF-8, and label values of any length', () => {
    const long = 'é'.repeat(70_000);
    const records = validate([
      { name: 'température', description: 'ünïcode ✓', value: 1, metric_type: 'gauge', labels: { lieu: 'Zürich 🏔', long } },
    ].map((record) => ({ ...record, name: 'temperature_celsius' })));
    const [family] = decodeMetricFamilies(join(metricFamilyPieces(groupByName(records), 64)));
    expect(family!.help).toBe('ünïcode ✓');
    expect(family!.metric[0]!.label).toEqual([
      { name: 'lieu', value: 'Zürich 🏔' },
      { name: 'long', value: long },
    ]);
  });
});
