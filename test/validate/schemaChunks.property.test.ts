import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SCHEMA_ISSUES, SchemaChunks, SchemaSearchStopped } from '../../src/validate/chunkedSchema.js';
import { problemAt } from '../../src/validate/places.js';
import { checkSchema } from '../../src/validate/schema.js';

// A long list is checked against the schema a chunk at a time, as the semantic pass reaches each record
// (so that a push can send the first records before the schema has seen the rest). Whatever the list, the
// problems are those one check of the whole document finds, in its order; past MAX_SCHEMA_ISSUES the
// search stops, holding the first of them.

const good = (i: number) => ({ name: `step_${i}_seconds`, description: 'time', value: i, metric_type: 'gauge' });
const breakages = [
  (i: number) => ({ ...good(i), value: 'fast' }),
  (i: number) => ({ ...good(i), metric_type: 'gauges' }),
  (i: number) => ({ name: `step_${i}`, value: 1 }),
  (i: number) => ({ ...good(i), labels: { 'bad-name': 'x' } }),
  () => 'not a record',
  () => null,
];

const documents = fc
  .record({
    length: fc.integer({ min: 1, max: 3_000 }),
    // Anywhere, or at the edge of a chunk of 1,000 records, where a chunk that skipped or repeated a record would show.
    broken: fc.array(fc.tuple(fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 2 }).chain((k) => fc.constantFrom(k * 1000 - 1, k * 1000, k * 1000 + 1))), fc.integer({ min: 0, max: breakages.length - 1 })), { maxLength: 140 }),
    objectForm: fc.boolean(),
    badCommonLabels: fc.boolean(),
  })
  .map(({ length, broken, objectForm, badCommonLabels }) => {
    const list: unknown[] = Array.from({ length }, (_, i) => good(i));
    for (const [where, kind] of broken) {
      const at = where < 1 ? Math.floor(where * length) : where;
      if (at < length) list[at] = breakages[kind]!(at);
    }
    return objectForm ? { labels: badCommonLabels ? { 'bad-name': 'x' } : { env: 'prod' }, metrics: list } : list;
  });

describe('the schema checked chunk by chunk', () => {
  it('finds what one check of the whole document finds, in its order, stopping past the most it lists', () => {
    fc.assert(
      fc.property(documents, (document) => {
        const prefix = Array.isArray(document) ? '' : '/metrics';
        const whole = checkSchema(document).map((issue) => problemAt(issue.pointer, issue.message, prefix));
        const length = Array.isArray(document) ? document.length : document.metrics.length;
        const chunks = new SchemaChunks(document);
        let stopped = false;
        try {
          // In record order, as the semantic pass asks.
          for (let index = 0; index < length; index++) chunks.broken(index);
          chunks.checkAll();
        } catch (error) {
          if (!(error instanceof SchemaSearchStopped)) throw error;
          stopped = true;
        }
        if (stopped) {
          expect(chunks.issues).toHaveLength(MAX_SCHEMA_ISSUES);
          expect(chunks.issues).toEqual(whole.slice(0, MAX_SCHEMA_ISSUES));
        } else {
          expect(chunks.issues).toEqual(whole);
        }
        // Which records are broken: those the whole check names.
        const named = new Set(whole.map((problem) => problem.record).filter((record) => record !== undefined));
        if (!stopped) for (let index = 0; index < length; index++) expect(chunks.broken(index)).toBe(named.has(index));
      }),
      { numRuns: 40 },
    );
  });
});
