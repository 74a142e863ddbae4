import { describe, expect, it } from 'vitest';
import { validate, validateDocument } from '../../src/index.js';
import { dataErrorOf } from '../support/dataError.js';

const record = (history: unknown, metricType = 'gauge', value: unknown = 0.9) => ({
  name: 'model_accuracy_ratio',
  description: 'Accuracy',
  value,
  metric_type: metricType,
  expect: { history },
});
const issuesOf = (document: unknown) => [...dataErrorOf(() => validateDocument(document)).issues];

describe('expect.history on a record', () => {
  it('is carried through as written, alone or beside min and max', () => {
    const history = { window: '14d', maxDrop: 0.05, maxRise: 0.5 };
    expect(validate([record(history)])[0]!.expect).toEqual({ history });
    expect(validate([record({ window: '1h', maxRise: 0 }, 'counter', 3)])[0]!.expect).toEqual({ history: { window: '1h', maxRise: 0 } });
  });

  it('needs maxDrop, maxRise or both', () => {
    expect(issuesOf([record({ window: '14d' })])).toEqual([{ pointer: '/0/expect/history', message: expect.stringMatching(/needs "maxDrop", "maxRise" or both/) }]);
  });

  it('refuses a window of 0, a missing window, a negative fraction and an unknown field', () => {
    expect(issuesOf([record({ window: '0', maxDrop: 0.1 })])).toEqual([{ pointer: '/0/expect/history/window', message: expect.stringMatching(/longer than 0/) }]);
    expect(issuesOf([record({ maxDrop: 0.1 })]).map((issue) => issue.pointer)).toEqual(['/0/expect/history/window']);
    expect(issuesOf([record({ window: '1d', maxDrop: -0.1 })]).map((issue) => issue.pointer)).toEqual(['/0/expect/history/maxDrop']);
    expect(issuesOf([record({ window: '1d', maxDrop: 0.1, maxdrop: 0.1 })]).map((issue) => issue.pointer)).toEqual(['/0/expect/history/maxdrop']);
  });

  it('applies to a gauge or counter only', () => {
    const [issue] = issuesOf([record({ window: '1d', maxDrop: 0.1 }, 'histogram', [1, 2])]);
    expect(issue).toEqual({ pointer: '/0/expect/history', message: expect.stringMatching(/a histogram has no single value to bound/) });
  });
});
