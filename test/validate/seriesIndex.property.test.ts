import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelsHash, SeriesIndex } from '../../src/validate/seriesIndex.js';

type Labels = Record<string, string>;

/** The key it replaced (issue 28): label names and values over sorted names, as JSON; an empty value left out. */
function referenceKey(labels: Labels): string {
  const parts: string[] = [];
  for (const label of Object.keys(labels).sort()) if (labels[label] !== '') parts.push(label, labels[label]!);
  return JSON.stringify(parts);
}

/** For each series, the first earlier one with the same key, as the old Map of keys found it. */
function referenceDuplicates(series: readonly Labels[]): (number | undefined)[] {
  const seen = new Map<string, number>();
  return series.map((labels, index) => {
    const key = referenceKey(labels);
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, index);
    return earlier;
  });
}

function indexDuplicates(series: readonly Labels[], hash?: (labels: Labels) => number): (number | undefined)[] {
  const index = new SeriesIndex((i) => series[i]!, hash);
  return series.map((labels, i) => index.add(labels, i));
}

// Few short names and values, so that series often coincide; values hold any character, and the ones a key would use.
const labelName = fc.stringMatching(/^[ab_][ab1]{0,1}$/);
const labelValue = fc.oneof(fc.constant(''), fc.stringMatching(/^[ab1:"]{0,2}$/), fc.string({ maxLength: 3, unit: 'binary' }));
const labels = fc.dictionary(labelName, labelValue, { maxKeys: 3 });
/** The same series written again: its labels in another order, an empty label added or not. */
const again = (given: Labels) =>
  fc.tuple(fc.shuffledSubarray(Object.keys(given), { minLength: Object.keys(given).length }), fc.option(labelName)).map(([order, empty]) => {
    const copy: Labels = {};
    for (const label of order) copy[label] = given[label]!;
    if (empty !== null && !Object.hasOwn(copy, empty)) copy[empty] = '';
    return copy;
  });
/** A family's series: new ones, and earlier ones written again. */
const family = fc.array(labels, { minLength: 1, maxLength: 12 }).chain((drawn) =>
  fc.tuple(...drawn.map((given, i) => (i === 0 ? fc.constant(given) : fc.oneof(fc.constant(given), fc.nat(i - 1).chain((j) => again(drawn[j]!)))))),
);

describe('SeriesIndex', () => {
  it('finds the same earlier series as the Map of JSON keys did, whatever the order and the empty labels', () => {
    fc.assert(fc.property(family, (series) => {
        expect(indexDuplicates(series)).toEqual(referenceDuplicates(series));
      }), { numRuns: 1000 });
  });

  it('finds them alike when every series has the same hash, so that only the comparison tells them apart', () => {
    fc.assert(fc.property(family, (series) => {
        expect(indexDuplicates(series, () => 0)).toEqual(referenceDuplicates(series));
      }), { numRuns: 1000 });
  });

  it('hashes labels in any order alike, leaving out empty ones', () => {
    fc.assert(
      fc.property(labels.chain((given) => fc.tuple(fc.constant(given), again(given))), ([given, other]) => {
        expect(labelsHash(other)).toBe(labelsHash(given));
      }),
    );
  });
});
