import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, validate } from '../../src/index.js';

// The validator finds a duplicate series through a key per family (semantic.ts, seriesKey.ts). Compared here
// with the plainest reading of the rule: a record repeats the first earlier record of the same exposed name
// whose labels (common labels, its own, an info record's facts), empty ones left out, are the same.

const labels = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('', '1', '2'), { maxKeys: 3 });
const record = fc.record({ name: fc.constantFrom('m', 'n', 'm_info'), info: fc.boolean(), labels, facts: labels }).map(({ name, info, labels: own, facts }) =>
  info
    ? { name, description: 'd', metric_type: 'info', value: { f: '1', ...facts }, labels: own }
    : { name, description: 'd', metric_type: 'gauge', value: 1, labels: own },
);
const document = fc.record({ common: fc.dictionary(fc.constantFrom('a', 'z'), fc.constantFrom('', '1'), { maxKeys: 2 }), records: fc.array(record, { maxLength: 12 }) });

type Written = { name: string; metric_type: string; value: unknown; labels: Record<string, string> };

function expectedDuplicates(common: Record<string, string>, records: Written[]): string[] {
  const key = (r: Written): string => {
    const name = r.metric_type === 'info' && !r.name.endsWith('_info') ? `${r.name}_info` : r.name;
    const all: Record<string, string> = { ...common, ...r.labels, ...(r.metric_type === 'info' ? (r.value as Record<string, string>) : {}) };
    return JSON.stringify([name, ...Object.keys(all).sort().filter((l) => all[l] !== '').map((l) => [l, all[l]])]);
  };
  return records.flatMap((r, i) => {
    const earlier = records.findIndex((other, j) => j < i && key(other) === key(r));
    return earlier === -1 ? [] : [`/metrics/${i} ${earlier}`];
  });
}

function foundDuplicates(file: unknown): string[] {
  try {
    validate(file);
    return [];
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    return error.issues.flatMap((issue) => {
      const at = /^duplicate series: same name and labels as \/metrics\/(\d+)/.exec(issue.message);
      return at === null ? [] : [`${issue.pointer} ${at[1]}`];
    });
  }
}

describe('duplicate series', () => {
  it('are the records whose name and non-empty labels an earlier record has, whatever the order and origin of the labels', () => {
    fc.assert(
      fc.property(document, ({ common, records }) => {
        expect(foundDuplicates({ labels: common, metrics: records })).toEqual(expectedDuplicates(common, records as Written[]));
      }),
      { numRuns: 500 },
    );
  });
});
