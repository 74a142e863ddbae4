import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, validate } from '../../src/index.js';

/** A label name with exactly one thing wrong: it breaks the syntax, or it is reserved. */
const badLabelName = fc.oneof(
  fc.stringMatching(/^[0-9-][a-z0-9-]{0,6}$/),
  fc.stringMatching(/^[a-z][a-z0-9]{0,4}[-. /~][a-z0-9]{0,4}$/),
  fc.stringMatching(/^__[a-z][a-z0-9_]{0,6}$/),
);

/** Where a label can be given: the file's common labels, a record's labels, an info record's value, or --label. */
const placement = fc.constantFrom('file', 'record', 'info', 'flag');

function issuesOf(document: unknown, labels: Record<string, string>): { pointer: string; message: string }[] {
  try {
    validate(document, { labels });
  } catch (error) {
    if (error instanceof DataError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('a bad label name', () => {
  it('is reported once, wherever it stands, with one explanation', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(badLabelName, placement), { minLength: 1, maxLength: 6, selector: ([name]) => name }), (bad) => {
        const at = (where: string): Record<string, string> => Object.fromEntries(bad.filter(([, p]) => p === where).map(([name]) => [name, 'v']));
        const document = {
          labels: at('file'),
          metrics: [
            { name: 'g', description: 'd', value: 1, metric_type: 'gauge', labels: at('record') },
            { name: 'build', description: 'd', value: { version: '1', ...at('info') }, metric_type: 'info' },
          ],
        };
        const issues = issuesOf(document, at('flag'));
        expect(issues).toHaveLength(bad.length);
        for (const issue of issues) expect(issue.message).toMatch(/is not a valid label name \(letters, digits and _; not starting with a digit\)$|^label names starting with "__" are reserved/);
      }),
      { numRuns: 300 },
    );
  });
});
