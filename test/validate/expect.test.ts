import { describe, expect, it } from 'vitest';
import { renderExposition, validate, validateDocument } from '../../src/index.js';
import { dataErrorOf } from '../support/dataError.js';

const accuracy = (expectation: unknown, extra: Record<string, unknown> = {}) => ({
  name: 'model_accuracy_ratio',
  description: 'Accuracy on the hold-out set',
  value: 0.913,
  metric_type: 'gauge',
  expect: expectation,
  ...extra,
});

const issuesOf = (document: unknown, options = {}) => [...dataErrorOf(() => validateDocument(document, options)).issues];

describe('expect on a record', () => {
  it('is carried through to the validated record as written', () => {
    const expectation = { min: 0.9, max: 1, for: '5m', severity: 'critical', labels: { team: 'ml' }, annotations: { runbook_url: 'https://x' } };
    const [record] = validate([accuracy(expectation)]);
    expect(record).toEqual({
      index: 0,
      name: 'model_accuracy_ratio',
      help: 'Accuracy on the hold-out set',
      type: 'gauge',
      labels: {},
      value: 0.913,
      expect: expectation,
    });
  });

  it('accepts either bound alone, and equal bounds', () => {
    expect(validate([accuracy({ min: 0.9 })])[0]!.expect).toEqual({ min: 0.9 });
    expect(validate([accuracy({ max: 1 })])[0]!.expect).toEqual({ max: 1 });
    expect(validate([accuracy({ min: 1, max: 1 })])[0]!.expect).toEqual({ min: 1, max: 1 });
    expect(validate([{ name: 'rows_total', description: 'rows', value: 3, metric_type: 'counter', expect: { min: 1 } }])[0]!.expect).toEqual({ min: 1 });
  });

  it('is not pushed: the exposition is byte-identical with and without expect', async () => {
    const file = (withExpect: boolean) => ({
      labels: { model: 'churn' },
      ...(withExpect ? { expect: { every: '24h' } } : {}),
      metrics: [
        accuracy(withExpect ? { min: 0.9, for: '5m', labels: { team: 'ml' } } : undefined),
        { name: 'rows_total', description: 'rows', value: 3, metric_type: 'counter', ...(withExpect ? { expect: { min: 1 } } : {}) },
        { name: 'batch_seconds', description: 'batch time', value: [0.5, 2], metric_type: 'histogram' },
      ].map((record) => JSON.parse(JSON.stringify(record)) as unknown),
    });
    const plain = await renderExposition(validate(file(false)));
    expect(plain).toContain('model_accuracy_ratio{model="churn"} 0.913');
    expect(await renderExposition(validate(file(true)))).toBe(plain);
  });

  it('rejects bounds that contradict each other', () => {
    expect(issuesOf([accuracy({ min: 1, max: 0.9 })])).toEqual([
      { pointer: '/0/expect/min', message: 'is above "max" (0.9): no value could meet both bounds' },
    ]);
  });

  it('rejects a bound on an info, summary or histogram record', () => {
    const issues = issuesOf([
      { name: 'build', description: 'facts', value: { version: '1' }, metric_type: 'info', expect: { min: 1 } },
      { name: 'latency', description: 'latency', value: [1], metric_type: 'summary', expect: { max: 2 } },
      { name: 'batch', description: 'batch', value: [1], metric_type: 'histogram', expect: { severity: 'page' } },
    ]);
    expect(issues).toEqual([
      { pointer: '/0/expect/min', message: 'a info has no single value to bound; "expect" applies to a gauge or counter' },
      { pointer: '/1/expect/max', message: 'a summary has no single value to bound; "expect" applies to a gauge or counter' },
      { pointer: '/2/expect', message: 'a histogram has no single value to bound; "expect" applies to a gauge or counter' },
    ]);
  });

  it('rejects an expectation without a bound', () => {
    expect(issuesOf([accuracy({ for: '5m' })])).toEqual([{ pointer: '/0/expect', message: expect.stringMatching(/needs "min", "max", "history" or more/) }]);
  });

  it('rejects a malformed or overlong duration, naming the field', () => {
    const issues = issuesOf([accuracy({ min: 1, for: '5 minutes' }), accuracy({ min: 1, for: '300y' }, { labels: { k: '2' } })]);
    expect(issues).toEqual([
      { pointer: '/0/expect/for', message: expect.stringMatching(/is not a Prometheus duration/) },
      { pointer: '/1/expect/for', message: expect.stringMatching(/longer than Prometheus can hold/) },
    ]);
  });

  it('rejects an unknown key, with a hint for a near miss', () => {
    expect(issuesOf([accuracy({ minimum: 0.9 })])).toEqual([
      { pointer: '/0/expect/minimum', message: 'is not a known field (did you mean "min"?)' },
    ]);
    expect(issuesOf([accuracy({ min: 0.9 }, { expected: { min: 1 } })])[0]).toEqual({
      pointer: '/0/expected',
      message: 'is not a known field (did you mean "expect"?)',
    });
  });

  it('rejects bounds that are not numbers, or outside float64', () => {
    expect(issuesOf([accuracy({ min: '0.9' })])).toEqual([{ pointer: '/0/expect/min', message: 'must be number' }]);
    expect(issuesOf(JSON.parse('[{"name":"g","description":"d","value":1,"metric_type":"gauge","expect":{"max":1e400}}]'))[0]).toEqual({
      pointer: '/0/expect/max',
      message: expect.stringMatching(/not a finite number/),
    });
  });

  it('rejects alert labels that would rewrite the alert’s identity', () => {
    const issues = issuesOf([accuracy({ min: 1, severity: 'page', labels: { __x: 'a', alertname: 'b', job: 'c', instance: 'd', severity: 'e' } })], {
      job: 'train',
      grouping: { instance: 'a' },
    });
    expect(issues.map((i) => i.pointer)).toEqual([
      '/0/expect/labels/__x',
      '/0/expect/labels/alertname',
      '/0/expect/labels/job',
      '/0/expect/labels/instance',
      '/0/expect/labels/severity',
    ]);
  });

  it('rejects an empty severity and text that is not well-formed Unicode', () => {
    expect(issuesOf([accuracy({ min: 1, severity: '' })])[0]!.pointer).toBe('/0/expect/severity');
    expect(issuesOf([accuracy({ min: 1, annotations: { summary: 'a\uD800' } })])).toEqual([
      { pointer: '/0/expect/annotations/summary', message: expect.stringMatching(/lone UTF-16 surrogate/) },
    ]);
  });

  it('reports an expect problem beside the record’s other problems', () => {
    const issues = issuesOf([accuracy({ min: 2, max: 1 }, { labels: { __bad: 'x' } })]);
    expect(issues.map((i) => i.pointer)).toEqual(['/0/labels/__bad', '/0/expect/min']);
  });
});

describe('expect on the file', () => {
  it('is returned beside the records by validateDocument, and validate() still returns the records alone', () => {
    const document = { expect: { every: '24h' }, metrics: [accuracy({ min: 0.9 })] };
    const validated = validateDocument(document);
    expect(validated.expect).toEqual({ every: '24h' });
    expect(validated.records).toEqual(validate(document));
    expect(validateDocument({ metrics: [accuracy(undefined)] })).not.toHaveProperty('expect');
  });

  it('rejects a bad, zero or overlong every, an empty expect and an unknown key', () => {
    expect(issuesOf({ expect: { every: '1 day' }, metrics: [accuracy({ min: 1 })] })).toEqual([
      { pointer: '/expect/every', message: expect.stringMatching(/is not a Prometheus duration/) },
    ]);
    expect(issuesOf({ expect: { every: '0s' }, metrics: [accuracy({ min: 1 })] })).toEqual([
      { pointer: '/expect/every', message: expect.stringMatching(/must be longer than 0/) },
    ]);
    expect(issuesOf({ expect: { every: '106752d' }, metrics: [accuracy({ min: 1 })] })[0]!.message).toMatch(/longer than Prometheus can hold/);
    expect(issuesOf({ expect: {}, metrics: [accuracy({ min: 1 })] })).toEqual([{ pointer: '/expect', message: 'needs "every", "ttl" or both: an empty expectation expects nothing' }]);
    expect(issuesOf({ expect: { ttl: '0' }, metrics: [accuracy({ min: 1 })] })).toEqual([
      { pointer: '/expect/ttl', message: 'must be longer than 0: the group would expire as it is pushed' },
    ]);
    expect(validateDocument({ expect: { ttl: '7d' }, metrics: [accuracy({ min: 1 })] }).expect).toEqual({ ttl: '7d' });
    expect(issuesOf({ expect: { every: '1d', min: 1 }, metrics: [accuracy({ min: 1 })] })).toEqual([
      { pointer: '/expect/min', message: 'is not a known field' },
    ]);
  });
});
