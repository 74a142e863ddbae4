import { describe, expect, it } from 'vitest';
import { validateInput } from '../../src/check.js';
import { decodeInput } from '../../src/source/decode.js';
import { parseJsonLines } from '../../src/source/jsonLines.js';
import { dataErrorOf } from '../support/dataError.js';

const record = (name: string, value: unknown = 1) => JSON.stringify({ name, description: 'd', value, metric_type: 'gauge' });
const bytes = (text: string) => Buffer.from(text);

describe('reading JSON Lines', () => {
  it('reads one record per line, skipping blank lines, and keeps the number of the line each was on', () => {
    const parsed = parseJsonLines(bytes(`${record('a')}\n\n  \t\r\n${record('b')}\r\n${record('c')}`), 'x.jsonl');
    expect(parsed.records.map((r) => (r as { name: string }).name)).toEqual(['a', 'b', 'c']);
    expect(parsed.lines).toEqual([1, 4, 5]);
  });

  it('reads a final newline as the end of the last line, and an empty input as no records', () => {
    expect(parseJsonLines(bytes(`${record('a')}\n`), 'x').lines).toEqual([1]);
    expect(parseJsonLines(bytes(''), 'x')).toEqual({ records: [], lines: [], warnings: [] });
  });

  it('drops a byte-order mark before the first line', () => {
    expect(parseJsonLines(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(record('a'))]), 'x').records).toHaveLength(1);
  });

  it('65: names each record by its line, and leaves a message’s own words alone when they look like a record’s pointer', () => {
    // A label named "/0" is invalid, and its message quotes it: the quote is the user's text, not record 0.
    const text = `\n${record('a')}\n${JSON.stringify({ name: 'b', description: 'd', value: 1, metric_type: 'gauge', labels: { '/0': 'x', '/metrics/1': 'y' } })}\n${record('a')}\n`;
    const error = dataErrorOf(() => validateInput({ ...decodeInput(bytes(text), { origin: 'x.jsonl', format: 'jsonl' }), origin: 'x.jsonl', bytes: 0 }, { job: 'j' }));
    expect(error.issues).toEqual([
      { pointer: 'line 3 /labels/~10', message: '"/0" is not a valid label name (letters, digits and _; not starting with a digit)' },
      { pointer: 'line 3 /labels/~1metrics~11', message: '"/metrics/1" is not a valid label name (letters, digits and _; not starting with a digit)' },
      { pointer: 'line 4', message: 'duplicate series: same name and labels as line 2 (both named a)' },
    ]);
  });

  it('65: lists every line that is not JSON, by its number and column, and nothing else', () => {
    const error = dataErrorOf(() => parseJsonLines(bytes(`${record('a')}\n{"name": "a",}\n${record('b')}\n[1,\n`), 'x.jsonl'));
    expect(error.exitCode).toBe(65);
    expect(error.message).toMatch(/^x\.jsonl: 2 problems:\n/);
    expect(error.issues.map((issue) => issue.pointer)).toEqual(['line 2', 'line 4']);
    expect(error.issues[0]!.message).toBe('is not valid JSON at column 13: a comma before "}": remove the trailing comma');
  });

  it('65: names the line that is not UTF-8, and the first byte in the input that breaks it', () => {
    const input = Buffer.concat([bytes(`${record('a')}\n{"name": "`), Buffer.from([0xc3, 0x28]), bytes('"}\n')]);
    const error = dataErrorOf(() => parseJsonLines(input, 'x.jsonl'));
    expect(error.issues).toEqual([{ pointer: 'line 2', message: `is not valid UTF-8 (at byte ${record('a').length + 12} of the input)` }]);
  });

  it('stops listing unparseable lines after 100, and says there are more', () => {
    const error = dataErrorOf(() => parseJsonLines(bytes('nope\n'.repeat(1000)), 'x.jsonl'));
    expect(error.issues).toHaveLength(100);
    expect(error.truncated).toBe(true);
    expect(error.message).toMatch(/^x\.jsonl: more than 100 problems \(the first 100 below\):/);
  });
});

describe('validating JSON Lines', () => {
  const validateLines = (text: string) => {
    const decoded = decodeInput(bytes(text), { origin: 'x.jsonl', format: 'jsonl' });
    return validateInput({ ...decoded, origin: 'x.jsonl', bytes: text.length }, { job: 'j' });
  };

  it('names each problem by its line, in the pointer and in the message', () => {
    const error = dataErrorOf(() => validateLines(`${record('a')}\n\n${record('b', 'six')}\n${record('a')}\n`));
    expect(error.issues).toEqual([
      { pointer: 'line 3 /value', message: expect.stringMatching(/must be a number or a numeric string/) },
      { pointer: 'line 4', message: 'duplicate series: same name and labels as line 1 (both named a)' },
    ]);
  });

  it('65: an input of only blank lines holds no metrics', () => {
    expect(dataErrorOf(() => validateLines('\n\n')).issues[0]!.message).toMatch(/holds no metrics/);
  });

  it('has no common labels: an object-form line is a record with unknown fields', () => {
    const error = dataErrorOf(() => validateLines(JSON.stringify({ labels: { a: 'b' }, metrics: [] })));
    expect(error.issues.map((issue) => issue.pointer)).toContain('line 1 /metrics');
  });
});
