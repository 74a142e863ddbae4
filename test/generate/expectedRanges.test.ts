import { describe, expect, it } from 'vitest';
import { expectedRanges } from '../../src/generate/dashboard/expectedRanges.js';
import { validate } from '../../src/index.js';

const gauge = (name: string, labels: Record<string, string>, expectation?: object) => ({
  name, description: 'd', value: 1, metric_type: 'gauge', labels, ...(expectation && { expect: expectation }),
});

describe('expectedRanges', () => {
  it('gives a family the range its records state, records without one not counting against it', () => {
    const records = validate([gauge('a', { s: '1' }, { min: 0.9 }), gauge('a', { s: '2' }), gauge('a', { s: '3' }, { min: 0.9 }), gauge('b', {}, { max: 5 })]);
    expect(expectedRanges(records)).toEqual({ ranges: new Map([['a', { min: 0.9, max: undefined }], ['b', { min: undefined, max: 5 }]]), conflicting: [] });
  });

  it('gives a family whose records disagree no range, and names it', () => {
    const records = validate([gauge('a', { s: '1' }, { min: 0.9 }), gauge('a', { s: '2' }, { min: 0.8 }), gauge('a', { s: '3' }, { min: 0.9 })]);
    expect(expectedRanges(records)).toEqual({ ranges: new Map(), conflicting: ['a'] });
  });
});
