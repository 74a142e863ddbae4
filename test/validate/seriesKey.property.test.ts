import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seriesKey } from '../../src/validate/seriesKey.js';

/** The key it replaced (issue 28): name, then label names and values over sorted names, as JSON; an empty value left out. */
function referenceKey(name: string, labels: Record<string, string>): string {
  const parts = [name];
  for (const label of Object.keys(labels).sort()) if (labels[label] !== '') parts.push(label, labels[label]!);
  return JSON.stringify(parts);
}

// Few and short names and values, so that generated series often coincide; values hold the characters a key uses (digits, ':').
const metricName = fc.stringMatching(/^[a-c_:][a-c0-9_:]{0,3}$/);
const labelName = fc.stringMatching(/^[a-c_][a-c0-9_]{0,2}$/);
const labelValue = fc.oneof(fc.constant(''), fc.stringMatching(/^[a-c0-9:]{0,4}$/), fc.string({ maxLength: 4, unit: 'binary' }));
const labels = fc.dictionary(labelName, labelValue, { maxKeys: 4 });
/** Labels written in another order, with an empty label added or not: the same series. */
const reordered = (given: Record<string, string>) =>
  fc.tuple(fc.shuffledSubarray(Object.keys(given), { minLength: Object.keys(given).length }), fc.option(labelName)).map(([order, empty]) => {
    const copy: Record<string, string> = {};
    for (const label of order) copy[label] = given[label]!;
    if (empty !== null && !Object.hasOwn(copy, empty)) copy[empty] = '';
    return copy;
  });
const series = fc.tuple(metricName, labels);
/**
 * A series and another whose parts run together into the same text: one character moved from a label's
 * value to the end of its name (`{a="ba"}` and `{ab="a"}`), or from the name to its first label's name.
 */
const runTogether = fc
  .tuple(metricName, fc.dictionary(labelName, fc.stringMatching(/^[a-c0-9:]{2,4}$/), { minKeys: 1, maxKeys: 3 }), fc.nat(), fc.boolean())
  .map(([name, given, pick, fromName]) => {
    const names = Object.keys(given);
    const moved = names[pick % names.length]!;
    const other: Record<string, string> = {};
    if (fromName && name.length >= 2) {
      for (const label of names) other[label === names[0] ? name.slice(-1) + label : label] = given[label]!;
      return { a: [name, given] as const, b: [name.slice(0, -1), other] as const };
    }
    for (const label of names) {
      const value = given[label]!;
      if (label === moved) other[label + value[0]] = value.slice(1);
      else other[label] = value;
    }
    return { a: [name, given] as const, b: [name, other] as const };
  });

describe('seriesKey', () => {
  it('makes two series one exactly when the JSON key did, for any names, labels and values', () => {
    fc.assert(
      fc.property(series, series, ([nameA, labelsA], [nameB, labelsB]) => {
        expect(seriesKey(nameA, labelsA) === seriesKey(nameB, labelsB)).toBe(referenceKey(nameA, labelsA) === referenceKey(nameB, labelsB));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps apart series whose names, labels and values run together into the same text', () => {
    fc.assert(
      fc.property(runTogether, ({ a: [nameA, labelsA], b: [nameB, labelsB] }) => {
        expect(seriesKey(nameA, labelsA) === seriesKey(nameB, labelsB)).toBe(referenceKey(nameA, labelsA) === referenceKey(nameB, labelsB));
      }),
    );
  });

  it('gives a series its key whatever order its labels are written in, and whatever empty labels it has', () => {
    fc.assert(
      fc.property(
        series.chain(([name, given]) => fc.tuple(fc.constant(name), fc.constant(given), reordered(given))),
        ([name, given, other]) => {
          expect(seriesKey(name, other)).toBe(seriesKey(name, given));
          expect(referenceKey(name, other)).toBe(referenceKey(name, given));
        },
      ),
    );
  });
});
