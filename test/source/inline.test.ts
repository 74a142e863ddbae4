import { describe, expect, it } from 'vitest';
import { validateInput } from '../../src/check.js';
import { loadInput } from '../../src/source/index.js';
import { inlinePlaces, inlineRecord, joinInlineRecords, parseInlineMetric } from '../../src/source/inline.js';
import { documentPlaces, joinPlaces } from '../../src/source/places.js';
import { placeProblems, type Problem } from '../../src/validate/places.js';
import { dataErrorOf } from '../support/dataError.js';
import { tempFile } from '../support/files.js';

describe('parsing a --metric flag', () => {
  it('reads NAME=VALUE, keeping the value as written', () => {
    expect(parseInlineMetric('workflow_duration_seconds=12.5')).toEqual({ name: 'workflow_duration_seconds', value: '12.5' });
    expect(parseInlineMetric('expr=a=b')).toEqual({ name: 'expr', value: 'a=b' });
  });

  it('reads a type only from a last colon part that names gauge or counter', () => {
    expect(parseInlineMetric('retries:counter=2')).toEqual({ name: 'retries', type: 'counter', value: '2' });
    expect(parseInlineMetric('job:rate5m=0.5')).toEqual({ name: 'job:rate5m', value: '0.5' });
    expect(parseInlineMetric('job:rate5m:gauge=0.5')).toEqual({ name: 'job:rate5m', type: 'gauge', value: '0.5' });
  });

  it('rejects a flag without a name or =, and types that need more than one value', () => {
    expect(() => parseInlineMetric('=1')).toThrow(/expected NAME=VALUE/);
    expect(() => parseInlineMetric('name')).toThrow(/expected NAME=VALUE/);
    expect(() => parseInlineMetric('h:histogram=1')).toThrow(/a histogram cannot be given as an inline metric/);
  });
});

describe('joining inline records to a file', () => {
  const record = inlineRecord({ name: 'extra', value: '1' }, 'counter');

  it('appends them after an object-form file’s metrics, saying where the first one is', () => {
    const joined = joinInlineRecords({ labels: { a: 'b' }, metrics: [{ name: 'x' }] }, [record]);
    expect(joined.document).toEqual({ labels: { a: 'b' }, metrics: [{ name: 'x' }, record] });
    expect(joined.inlineFrom).toBe(1);
  });

  it('leaves a file whose metrics are not a list for the schema to report', () => {
    const broken = { metrics: 'nope' };
    expect(joinInlineRecords(broken, [record]).document).toBe(broken);
  });

  it('names problems of inline records by their flags, in pointers and in the records messages mention', () => {
    const issues: Problem[] = [
      { record: 0, field: '/value', message: 'bad' },
      { record: 2, message: { record: 1, say: (place) => `duplicate series: same name and labels as ${place}` } },
    ];
    const flags = [inlineRecord({ name: 'a', value: '1' }, 'gauge'), inlineRecord({ name: 'b', value: '1' }, 'gauge')];
    expect(placeProblems(issues, joinPlaces(documentPlaces(''), 1, inlinePlaces(flags)))).toEqual([
      { pointer: '/0/value', message: 'bad' },
      { pointer: '--metric b', message: 'duplicate series: same name and labels as --metric a' },
    ]);
  });

  it('65: leaves a quoted label name that reads like the pointer of a --metric record as written', async () => {
    // Record 1 of the joined document is the first --metric flag; the label's name only looks like its pointer.
    const file = tempFile({ labels: { '/metrics/1': 'x' }, metrics: [{ name: 'a', description: 'd', value: 1, metric_type: 'gauge' }] });
    const input = await loadInput({ input: file, metrics: [{ name: 'c', value: '1' }, { name: 'c', value: '2' }] });
    const error = dataErrorOf(() => validateInput(input, { job: 'j' }));
    expect(error.issues).toEqual([
      { pointer: '/labels/~1metrics~11', message: '"/metrics/1" is not a valid label name (letters, digits and _; not starting with a digit)' },
      { pointer: '--metric c', message: 'duplicate series: same name and labels as --metric c (both named c)' },
    ]);
  });
});
