import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, validate } from '../../src/index.js';
import { dataErrorOf } from '../support/dataError.js';

const gauge = (extra: Record<string, unknown> = {}) => ({ name: 'g', description: 'a gauge', value: 1, metric_type: 'gauge', ...extra });

const issuesOf = (document: unknown, options = {}) => [...dataErrorOf(() => validate(document, options)).issues];

describe('validate', () => {
  it('accepts Simplepipe’s own file, with the value as a numeric string', () => {
    const records = validate([{ name: 'simple', description: 'generated random integer', value: '6', metric_type: 'gauge' }]);
    expect(records).toEqual([{ index: 0, name: 'simple', help: 'generated random integer', type: 'gauge', labels: {}, value: 6 }]);
  });

  it('accepts the object form and merges its common labels, record labels winning', () => {
    const records = validate({ labels: { team: 'a', env: 'dev' }, metrics: [gauge({ labels: { env: 'prod' } })] });
    expect(records[0]!.labels).toEqual({ team: 'a', env: 'prod' });
  });

  it('adds --label labels under the file’s own common labels', () => {
    const records = validate({ labels: { env: 'file' }, metrics: [gauge()] }, { labels: { env: 'flag', region: 'eu' } });
    expect(records[0]!.labels).toEqual({ env: 'file', region: 'eu' });
  });

  it('parses NaN, +Inf and -Inf strings', () => {
    const records = validate([
      gauge({ value: 'NaN', labels: { k: '1' } }),
      gauge({ value: '+Inf', labels: { k: '2' } }),
      gauge({ value: '-Inf', labels: { k: '3' } }),
    ]);
    expect(records.map((r) => (r.type === 'gauge' ? r.value : undefined))).toEqual([Number.NaN, Infinity, -Infinity]);
  });

  it('reports every problem at once, each with its record and field', () => {
    const issues = issuesOf([
      gauge({ value: 'six' }),
      gauge({ name: '9bad', labels: { __x: 'y' } }),
      { name: 'c', description: 'd', value: -1, metric_type: 'counter' },
      { description: 'd', value: 1, metric_type: 'meter' },
    ]);
    expect(issues.map((i) => i.pointer)).toEqual(['/0/value', '/1/name', '/1/labels/__x', '/2/value', '/3/name', '/3/metric_type']);
    expect(issues[0]!.message).toMatch(/numeric string/);
    expect(issues[2]!.message).toMatch(/reserved/);
    expect(issues[3]!.message).toMatch(/counter value must be a finite number ≥ 0/);
  });

  it('rejects a counter with a negative value, or an infinite one', () => {
    expect(issuesOf([{ name: 'c', description: 'd', value: '-2', metric_type: 'counter' }])[0]!.pointer).toBe('/0/value');
    expect(issuesOf([{ name: 'c', description: 'd', value: '+Inf', metric_type: 'counter' }])[0]!.pointer).toBe('/0/value');
  });

  it('takes NaN and the infinities as numbers (Python’s JSON writes them bare), and refuses a numeric string beyond float64', () => {
    const records = validate([gauge({ value: Number.NaN }), gauge({ name: 'i', value: Number.POSITIVE_INFINITY }), gauge({ name: 'j', value: Number.NEGATIVE_INFINITY })]);
    expect(records.map((record) => (record.type === 'gauge' ? record.value : undefined))).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(issuesOf([gauge({ value: '1e999' })])[0]!.message).toMatch(/not a finite number/);
  });

  it('refuses a numeric string that underflows to 0, as one that overflows, and takes a written zero', () => {
    for (const value of ['1e-400', '0.5e-330', `0.${'0'.repeat(400)}1`]) {
      expect(issuesOf([gauge({ value })]), value).toEqual([{ pointer: '/0/value', message: expect.stringMatching(/^is too small for a float64: it would be read as 0/) }]);
    }
    expect(issuesOf([{ name: 'h', description: 'd', value: ['1', '1e-999'], metric_type: 'histogram' }])[0]!.pointer).toBe('/0/value/1');
    expect(validate([gauge({ value: '0e-999' }), gauge({ name: 'z', value: '-0.000' })])).toHaveLength(2);
  });

  it('refuses a counter, an observation or a bucket bound that is NaN or infinite', () => {
    const issues = issuesOf([
      { name: 'c_total', description: 'd', value: Number.POSITIVE_INFINITY, metric_type: 'counter' },
      { name: 'n_total', description: 'd', value: Number.NaN, metric_type: 'counter' },
      { name: 'h', description: 'd', value: [1, Number.NaN], metric_type: 'histogram', buckets: [1, Number.POSITIVE_INFINITY] },
    ]);
    expect(issues).toEqual([
      { pointer: '/0/value', message: 'a counter value must be a finite number ≥ 0' },
      { pointer: '/1/value', message: expect.stringMatching(/^a counter value must be a finite number ≥ 0/) },
      { pointer: '/2/value/1', message: 'an observation must be a finite number' },
      { pointer: '/2/buckets/1', message: 'a bucket bound must be a finite number (+Inf is always added)' },
    ]);
  });

  it('reads a boolean value as 1 or 0, as the Python Simplepipe pushed it', () => {
    const records = validate([gauge({ value: true }), gauge({ name: 'f', value: false }), { name: 'c_total', description: 'd', value: true, metric_type: 'counter' }]);
    expect(records.map((record) => (record.type === 'gauge' || record.type === 'counter' ? record.value : undefined))).toEqual([1, 0, 1]);
  });

  it('rejects duplicate series, treating an empty label value as absent', () => {
    const issues = issuesOf([gauge({ labels: { a: '1' } }), gauge({ labels: { a: '1', b: '' } })]);
    expect(issues).toEqual([{ pointer: '/1', message: 'duplicate series: same name and labels as /0 (both named g)' }]);
  });

  it('rejects one name declared with two types or two descriptions', () => {
    expect(issuesOf([gauge(), gauge({ metric_type: 'counter', labels: { x: '1' } })])[0]).toEqual({
      pointer: '/1/metric_type',
      message: expect.stringMatching(/declared as gauge at \/0/),
    });
    expect(issuesOf([gauge(), gauge({ description: 'other', labels: { x: '1' } })])[0]!.pointer).toBe('/1/description');
  });

  it('rejects labels that clash with the grouping key, job included', () => {
    const issues = issuesOf([gauge({ labels: { job: 'x', instance: 'y' } })], { job: 'j', grouping: { instance: 'i' } });
    expect(issues.map((i) => i.pointer)).toEqual(['/0/labels/job', '/0/labels/instance']);
    expect(issuesOf({ labels: { job: 'x' }, metrics: [gauge()] })[0]!.pointer).toBe('/labels/job');
  });

  it('rejects invalid label names and non-string label values', () => {
    const issues = issuesOf([gauge({ labels: { 'a-b': 'x', n: 5 } })]);
    expect(issues.map((i) => i.pointer)).toEqual(['/0/labels/a-b', '/0/labels/n']);
  });

  it('ignores a field it does not know with a warning, as the Python Simplepipe ignored it, and refuses it with strict', () => {
    const warned: unknown[] = [];
    const records = validate([gauge({ job: 'simple', type: 'gauge' })], { warnUnknownFields: (warnings) => warned.push(...warnings) });
    expect(records).toHaveLength(1);
    expect(records[0]).not.toHaveProperty('job');
    expect(warned).toEqual([
      { pointer: '/0/job', message: 'is not a known field; ignored' },
      { pointer: '/0/type', message: 'is not a known field (did you mean "metric_type"?); ignored' },
    ]);
    expect(issuesOf([gauge({ job: 'simple' })], { strict: true })).toEqual([{ pointer: '/0/job', message: 'is not a known field' }]);
  });

  it('names a misspelt field beside the problem it causes, with the field meant', () => {
    const withoutDescription: Record<string, unknown> = gauge({ help: 'h' });
    delete withoutDescription.description;
    expect(issuesOf([withoutDescription, gauge({ name: 'ok', job: 'x' })])).toEqual([
      { pointer: '/0/description', message: 'is required' },
      { pointer: '/0/help', message: 'is not a known field (did you mean "description"?)' },
    ]);
  });

  it('accepts histograms with buckets and rejects unordered buckets or buckets elsewhere', () => {
    const ok = validate([{ name: 'h', description: 'd', value: [0.1, 2], metric_type: 'histogram', buckets: [1, 5] }]);
    expect(ok[0]).toMatchObject({ type: 'histogram', observations: [0.1, 2], buckets: [1, 5] });
    expect(issuesOf([{ name: 'h', description: 'd', value: 1, metric_type: 'histogram', buckets: [5, 1] }])[0]!.pointer).toBe('/0/buckets/1');
    expect(issuesOf([gauge({ buckets: [1] })])[0]).toEqual({ pointer: '/0/buckets', message: 'is only allowed for a histogram' });
  });

  it('accepts a summary’s own quantiles, [] included, and rejects them out of [0, 1], unordered, elsewhere or differing within a family', () => {
    const summary = (extra: Record<string, unknown>) => ({ name: 's', description: 'd', value: [1, 2], metric_type: 'summary', ...extra });
    expect(validate([summary({ quantiles: [0, 0.5, 1] })])[0]).toMatchObject({ type: 'summary', quantiles: [0, 0.5, 1] });
    expect(validate([summary({ quantiles: [] })])[0]).toMatchObject({ quantiles: [] });
    expect(validate([summary({})])[0]!).not.toHaveProperty('quantiles', expect.anything());
    expect(issuesOf([summary({ quantiles: [0.5, 1.5, -0.1] })]).map((i) => i.pointer)).toEqual(['/0/quantiles/1', '/0/quantiles/2']);
    expect(issuesOf([summary({ quantiles: ['0.5'] })])[0]!.pointer).toBe('/0/quantiles/0');
    expect(issuesOf([summary({ quantiles: [0.9, 0.5] })])).toEqual([{ pointer: '/0/quantiles/1', message: 'quantiles must be strictly increasing' }]);
    expect(issuesOf([summary({ quantiles: [0.5, 0.5] })])[0]!.pointer).toBe('/0/quantiles/1');
    expect(issuesOf([gauge({ quantiles: [0.5] })])).toEqual([{ pointer: '/0/quantiles', message: 'is only allowed for a summary' }]);
    expect(issuesOf([{ name: 'h', description: 'd', value: 1, metric_type: 'histogram', quantiles: [0.5] }])[0]!.pointer).toBe('/0/quantiles');
    expect(issuesOf([summary({ quantiles: [0.5], labels: { a: '1' } }), summary({ quantiles: [0.9], labels: { a: '2' } })])).toEqual([
      { pointer: '/1/quantiles', message: '"s" has other quantiles at /0; one summary has one list of quantiles' },
    ]);
  });

  it('reserves le for histograms and quantile for summaries', () => {
    expect(issuesOf([{ name: 'h', description: 'd', value: 1, metric_type: 'histogram', labels: { le: '1' } }])[0]!.pointer).toBe('/0/labels/le');
    expect(issuesOf([{ name: 's', description: 'd', value: 1, metric_type: 'summary', labels: { quantile: '1' } }])[0]!.pointer).toBe('/0/labels/quantile');
  });

  it('rejects a gauge whose name is a sample name of a histogram', () => {
    const issues = issuesOf([{ name: 'h', description: 'd', value: 1, metric_type: 'histogram' }, gauge({ name: 'h_count' })]);
    expect(issues[0]!.pointer).toBe('/1/name');
  });

  it('exposes an info record as <name>_info, never doubling a suffix the name already has', () => {
    const info = (name: string, extra: Record<string, unknown> = {}) => ({ name, description: 'd', value: { v: '1' }, metric_type: 'info', ...extra });
    expect(validate([info('build')])[0]!.name).toBe('build_info');
    expect(validate([info('build_info')])[0]!.name).toBe('build_info');
    const base = (name: string): string => name.replace(/_info$/, '');
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/).filter((n) => !n.startsWith('__')), fc.boolean(), (name, withSuffix) => {
        const given = withSuffix ? `${base(name)}_info` : name;
        if (`${base(given)}_info`.startsWith('__')) {
          expect(issuesOf([info(given)])).toEqual([{ pointer: '/0/name', message: expect.stringMatching(/reserved/) }]);
          return;
        }
        const exposed = validate([info(given)])[0]!.name;
        expect(exposed).toBe(`${base(given)}_info`);
        // Both spellings name one family: the same facts twice are one series given twice.
        expect(issuesOf([info(base(given)), info(`${base(given)}_info`)])).toEqual([
          { pointer: '/1', message: `duplicate series: same name and labels as /0 (both named ${base(given)}_info)` },
        ]);
      }),
    );
  });

  it('rejects an info fact that a label of any origin also sets, naming where that label was given', () => {
    const names = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 3 });
    const labelsOf = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, `v_${k}`]));
    fc.assert(
      fc.property(names, names, names, names.filter((keys) => keys.length > 0), (own, file, flag, facts) => {
        const record = { name: 'build', description: 'd', metric_type: 'info', value: labelsOf(facts), ...(own.length > 0 && { labels: labelsOf(own) }) };
        const document = { labels: labelsOf(file), metrics: [record] };
        const clashes = facts.filter((key) => own.includes(key) || file.includes(key) || flag.includes(key));
        if (clashes.length === 0) {
          expect(validate(document, { labels: labelsOf(flag) })[0]).toMatchObject({ info: labelsOf(facts) });
          return;
        }
        const issues = issuesOf(document, { labels: labelsOf(flag) });
        expect(issues.map((issue) => issue.pointer)).toEqual(clashes.map((key) => `/metrics/0/value/${key}`));
        clashes.forEach((key, i) => {
          const where = own.includes(key) ? "the record's labels" : file.includes(key) ? `/labels/${key}` : `labels ${key}`;
          expect(issues[i]!.message).toContain(where);
        });
      }),
    );
  });

  it('accepts info records and rejects non-string info values', () => {
    const ok = validate([{ name: 'build', description: 'd', value: { version: '1.2' }, metric_type: 'info' }]);
    expect(ok[0]).toMatchObject({ name: 'build_info', type: 'info', info: { version: '1.2' } });
    expect(issuesOf([{ name: 'b', description: 'd', value: { v: 1 }, metric_type: 'info' }])[0]!.pointer).toBe('/0/value/v');
  });

  it('rejects text that is not well-formed Unicode', () => {
    expect(issuesOf([gauge({ labels: { a: '\ud800' } })])[0]).toEqual({ pointer: '/0/labels/a', message: expect.stringMatching(/surrogate/) });
  });

  it('rejects an empty file rather than wiping a group with an empty PUT', () => {
    expect(issuesOf([])[0]!.message).toMatch(/no metrics/);
  });

  it('treats __proto__ and constructor as ordinary keys', () => {
    const document = JSON.parse('[{"name":"g","description":"d","value":1,"metric_type":"gauge","labels":{"constructor":"c","__proto__":"p"}}]');
    expect(issuesOf(document)).toEqual([{ pointer: '/0/labels/__proto__', message: expect.stringMatching(/reserved/) }]);
    const records = validate(JSON.parse('[{"name":"g","description":"d","value":1,"metric_type":"gauge","labels":{"constructor":"c"}}]'));
    expect(records[0]!.labels).toEqual({ constructor: 'c' });
  });
});

describe('validate on any JSON value', () => {
  it('returns records or throws a DataError, never another error (a null record once threw a TypeError)', () => {
    const file = fc.oneof(
      fc.jsonValue(),
      fc.array(fc.jsonValue({ maxDepth: 3 })),
      fc.record({ labels: fc.jsonValue({ maxDepth: 2 }), metrics: fc.array(fc.jsonValue({ maxDepth: 3 })) }, { requiredKeys: ['metrics'] }),
    );
    fc.assert(
      fc.property(file, (document) => {
        try {
          validate(document, { job: 'j' });
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
