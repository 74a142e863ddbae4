import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSeries } from '../../src/convert/exposition.js';
import { groupByName } from '../../src/convert/families.js';
import { expositionPieces, renderExposition } from '../../src/convert/render.js';
import { countRecordSeries } from '../../src/convert/series.js';
import { validate } from '../../src/index.js';

// A push sends the exposition in pieces rendered as it goes (pushFamilies); the dry run and --verify use
// the whole text. Whatever the records and wherever the pieces break, the two must be the same bytes, and
// the series the push reports (counted from the records, before rendering) must be the text's.

const TYPES = ['gauge', 'counter', 'info', 'summary', 'histogram'] as const;
const observations = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 5 });
const labelValue = fc.string({ maxLength: 6 });

/** A valid record of the family `name` (one type and HELP text per name), told apart from the rest of its family by `i`. */
const record = (name: string, type: (typeof TYPES)[number], help: string, i: number) =>
  fc.record({ text: labelValue, value: fc.double({ noNaN: false }), seen: observations }).map(({ text, value, seen }) => {
    const labels = { i: String(i), t: text };
    switch (type) {
      case 'gauge':
      case 'counter':
        return { name, description: help, value: type === 'counter' ? (Number.isFinite(value) ? Math.abs(value) : 0) : spelled(value), metric_type: type, labels };
      case 'info':
        return { name, description: help, value: { v: text }, metric_type: type, labels };
      case 'summary':
        return { name, description: help, value: seen, metric_type: type, labels };
      case 'histogram':
        return { name, description: help, value: seen, metric_type: type, labels, buckets: [-1, 0, 10] };
    }
  });

/** A number as a record gives it: NaN and the infinities as strings. */
const spelled = (value: number): number | string =>
  Number.isNaN(value) ? 'NaN' : value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : value;

/** Up to 40 records of up to five families, the families' records interleaved in the file. */
const anyRecords = fc
  .array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.constantFrom(...TYPES), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 5 })
  .chain((families) => {
    const family = new Map(families.map(([name, type, help]) => [name, { type, help }]));
    const names = [...family.keys()];
    return fc
      .array(fc.constantFrom(...names), { minLength: 1, maxLength: 40 })
      .chain((order) => fc.tuple(...order.map((name, i) => record(name, family.get(name)!.type, family.get(name)!.help, i))));
  });

describe('the exposition sent in pieces', () => {
  it('joins to the whole exposition, each piece ending a line, and has the series the records count', async () => {
    await fc.assert(
      fc.asyncProperty(anyRecords, fc.integer({ min: 1, max: 30 }), async (raw, linesPerPiece) => {
        const records = validate(raw, { job: 'j' });
        const whole = await renderExposition(records);
        const pieces = [...expositionPieces(groupByName(records), linesPerPiece)];
        expect(pieces.join('')).toBe(whole);
        for (const piece of pieces) {
          expect(piece.endsWith('\n')).toBe(true);
          // A piece breaks only after a whole record: at most one record's lines past the size asked for.
          expect(piece.split('\n').length - 1).toBeLessThanOrEqual(linesPerPiece + 16);
        }
        expect(countRecordSeries(records)).toBe(countSeries(whole));
      }),
      { numRuns: 300 },
    );
  });

  it('renders afresh for each iteration, as a retried push does', () => {
    const records = validate([{ name: 'x', description: 'd', value: 1, metric_type: 'gauge' }], { job: 'j' });
    const pieces = expositionPieces(groupByName(records), 1);
    expect([...pieces].join('')).toBe([...pieces].join(''));
    expect([...pieces].join('')).toBe('# HELP x d\n# TYPE x gauge\nx 1\n');
  });
});
