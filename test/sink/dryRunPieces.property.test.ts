import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSeries } from '../../src/convert/exposition.js';
import { countRecordSeries } from '../../src/convert/series.js';
import { runPipeline, validate } from '../../src/index.js';
import { writeTextPieces } from '../../src/sink/remoteWrite/text.js';
import { anyRecords } from '../support/recordArbitraries.js';

// A dry run hands its text over piece by piece (writePreview: the CLI's stdout) rather than hold it whole. Whatever
// the records and wherever the pieces break, the pieces must join to the very text returned as `preview`.

const at = Date.UTC(2026, 11, 4, 21, 0);
const target = { job: 'j', grouping: { run: '7' }, timestampMs: at };

describe('a dry run written in pieces', () => {
  it('remote write: the pieces join to the text of one piece, each ending a line, with the series the records count', () => {
    fc.assert(
      fc.property(anyRecords, fc.integer({ min: 1, max: 30 }), (raw, linesPerPiece) => {
        const records = validate(raw, { job: 'j' });
        const [whole = ''] = [...writeTextPieces(records, target, Infinity)];
        const pieces = [...writeTextPieces(records, target, linesPerPiece)];
        expect(pieces.join('')).toBe(whole);
        for (const piece of pieces) expect(piece.endsWith('\n')).toBe(true);
        expect(countSeries(whole)).toBe(countRecordSeries(records));
      }),
      { numRuns: 300 },
    );
  });

  it('runPipeline: writePreview receives, in pieces, the preview it would have returned, for either sink', async () => {
    await fc.assert(
      fc.asyncProperty(anyRecords, fc.boolean(), async (document, remote) => {
        const sink = remote ? { remoteWrite: { url: 'http://127.0.0.1:1/api/v1/write', timestampMs: at } } : { gateway: 'http://127.0.0.1:1' };
        const options = { document, job: 'j', dryRun: true, ...sink };
        const returned = await runPipeline(options);
        const pieces: string[] = [];
        const written = await runPipeline({ ...options, writePreview: (piece) => void pieces.push(piece) });
        expect(returned.preview).toBeDefined();
        expect(pieces.join('')).toBe(returned.preview);
        expect(written.preview).toBeUndefined();
        expect(written.series).toBe(returned.series);
      }),
      { numRuns: 60 },
    );
  });

  it('writes a large dry run in many pieces, none of them the whole', async () => {
    const document = Array.from({ length: 10_000 }, (_, i) => ({ name: `m_${i}`, description: 'd', value: i, metric_type: 'gauge' }));
    for (const sink of [{ gateway: 'http://127.0.0.1:1' }, { remoteWrite: { url: 'http://127.0.0.1:1/api/v1/write', timestampMs: at } }]) {
      const pieces: string[] = [];
      await runPipeline({ document, job: 'j', dryRun: true, ...sink, writePreview: (piece) => void pieces.push(piece) });
      expect(pieces.length).toBeGreaterThan(5);
      expect(pieces.join('').split('\n').filter((line) => line.startsWith('m_'))).toHaveLength(10_000);
    }
  });
});
