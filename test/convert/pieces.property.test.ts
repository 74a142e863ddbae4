import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSeries } from '../../src/convert/exposition.js';
import { groupByName } from '../../src/convert/families.js';
import { expositionPieces, renderExposition } from '../../src/convert/render.js';
import { countRecordSeries } from '../../src/convert/series.js';
import { validate } from '../../src/index.js';
import { anyRecords } from '../support/recordArbitraries.js';

// A push sends the exposition in pieces rendered as it goes (pushFamilies); the dry run and --verify use
// the whole text. Whatever the records and wherever the pieces break, the two must be the same bytes, and
// the series the push reports (counted from the records, before rendering) must be the text's.

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
