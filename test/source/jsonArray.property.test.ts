import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeInput } from '../../src/source/decode.js';
import { parseJsonArrayBytes } from '../../src/source/jsonArray.js';
import { parseJsonText } from '../../src/source/jsonText.js';

// A plain array is read a run of records at a time from its bytes (jsonArray.ts), never as one whole text. The run
// read must be the whole text's reading exactly: the same value where it reads one, and nothing where the whole
// text says something (a syntax error, a duplicate key, a number beyond float64), for the whole text's reading to
// say it with its line and column. Runs are cut small here (`chunkBytes` from 1), so that every gap is a cut.

/** Any value, with Python's NaN and infinities, -0, and strings holding what the cutter looks for: braces, commas, quotes, escapes. */
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.double(),
    fc.integer(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e-320),
    fc.string({ unit: fc.constantFrom('{', '}', ',', ' ', '"', '\\', '[', ']', 'a', 'é', '\n'), maxLength: 8 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', '}, {', '__proto__'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const record = fc.record({ name: fc.string({ maxLength: 6 }), value, labels: fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }) }, { requiredKeys: ['name'] });
const element = fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: value });

/** The array written as Python writes it (`, `), as JSON.stringify does, or indented, with NaN and the infinities as Python spells them. */
function written(values: unknown[], style: number): string {
  const spell = (item: unknown, indent: string): string => {
    if (typeof item === 'number') return Number.isNaN(item) ? 'NaN' : !Number.isFinite(item) ? (item > 0 ? 'Infinity' : '-Infinity') : Object.is(item, -0) ? '-0.0' : String(item);
    const inner = style === 2 ? `${indent}  ` : '';
    const [open, sep, close] = style === 0 ? ['', ', ', ''] : style === 1 ? ['', ',', ''] : [`\n${inner}`, `,\n${inner}`, `\n${indent}`];
    if (Array.isArray(item)) return item.length === 0 ? '[]' : `[${open}${item.map((x) => spell(x, inner)).join(sep)}${close}]`;
    if (typeof item === 'object' && item !== null) {
      const entries = Object.entries(item);
      return entries.length === 0 ? '{}' : `{${open}${entries.map(([k, x]) => `${JSON.stringify(k)}: ${spell(x, inner)}`).join(sep)}${close}}`;
    }
    return JSON.stringify(item);
  };
  return spell(values, '');
}

/** Edits that break or bend JSON where the cutter looks: a brace, a comma, a quote, a backslash, a duplicate key, a raw control character. */
const edit = fc.record({ at: fc.nat(), remove: fc.nat(3), insert: fc.constantFrom('', '{', '}', ',', '}, {', '"', '\\', '[', ']', ' ', 'NaN', '"name": 1, "name": 2', '\u0001', '1e-400', '\ufeff') });

function applied(text: string, edits: { at: number; remove: number; insert: string }[]): string {
  for (const { at, remove, insert } of edits) {
    const where = text.length === 0 ? 0 : at % (text.length + 1);
    text = text.slice(0, where) + insert + text.slice(where + remove);
  }
  return text;
}

/** Equal as values: numbers by Object.is (NaN is NaN, -0 is not 0), objects by their own keys in order. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => same(item, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a);
    return keys.join('\u0000') === Object.keys(b).join('\u0000') && keys.every((key) => same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return a === b;
}

/** What reading the whole text gives: its value when it reads with nothing to say, else undefined. */
function wholeReading(text: string): unknown[] | undefined {
  try {
    const parsed = parseJsonText(text);
    return parsed.findings.length === 0 && Array.isArray(parsed.value) ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

describe('a JSON array read a run of records at a time', () => {
  it('reads any array as the whole text reads it, cut anywhere', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 12 }), fc.nat(2), fc.integer({ min: 1, max: 200 }), (values, style, chunkBytes) => {
        const text = written(values, style);
        const read = parseJsonArrayBytes(Buffer.from(text), chunkBytes);
        const whole = wholeReading(text);
        if (read !== undefined) {
          expect(whole).toBeDefined();
          expect(same(read.value, whole), text).toBe(true);
          expect(read.findings).toEqual([]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads nothing of a text the whole reading refuses or has something to say of, and reads the same value of the rest, whatever the edits', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), fc.nat(2), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 100 }), (values, style, edits, chunkBytes) => {
        const text = applied(written(values, style), edits);
        const read = parseJsonArrayBytes(Buffer.from(text), chunkBytes);
        const whole = wholeReading(text.replace(/^\ufeff/, ''));
        if (whole === undefined) expect(read, text).toBeUndefined();
        else if (read !== undefined) expect(same(read.value, whole), text).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every plain array of records itself, not leaving it to the whole text, however small the runs', () => {
    const plainRecord = fc.record({
      name: fc.stringMatching(/^[a-z_]{1,8}$/),
      value: fc.oneof(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), fc.constant(Number.NaN)),
      labels: fc.dictionary(fc.stringMatching(/^[a-z]{1,3}$/), fc.string({ maxLength: 4 }).filter((s) => !/[{}]/.test(s)), { maxKeys: 3 }),
    });
    fc.assert(
      fc.property(fc.array(plainRecord, { maxLength: 20 }), fc.nat(2), fc.integer({ min: 1, max: 100 }), (values, style, chunkBytes) => {
        const text = written(values, style);
        const read = parseJsonArrayBytes(Buffer.from(text), chunkBytes);
        expect(read, text).toBeDefined();
        expect(same(read!.value, wholeReading(text))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves a duplicate key deep in a large file to the whole text, which places it by line and column as before', () => {
    const records = Array.from({ length: 3000 }, (_, i) => `{"name": "m_${i}", "description": "d", "value": ${i}, "metric_type": "gauge"}`);
    records[2500] = '{"name": "m_2500", "description": "d", "value": 1, "value": 2, "metric_type": "gauge"}';
    const text = `[\n${records.join(',\n')}\n]\n`;
    expect(text.length).toBeGreaterThan(4 * 32 * 1024);
    expect(parseJsonArrayBytes(Buffer.from(text))).toBeUndefined();
    const decoded = decodeInput(Buffer.from(text), { origin: 'f.json' });
    expect(decoded.warnings).toEqual([{ pointer: '/2500/value', message: '"value" is given twice in one object, and the last is read (line 2502, column 40 and line 2502, column 52)' }]);
    expect((decoded.document as unknown[])[2500]).toEqual({ name: 'm_2500', description: 'd', value: 2, metric_type: 'gauge' });
  });

  it('reads a large array of records in runs: the same document, and the same bytes decoded, as the whole text', () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({ name: `m_${i}`, description: 'd "q" \\ }, {', value: i % 7 === 0 ? Number.NaN : i / 3, metric_type: 'gauge', labels: { a: `{${i}}` } }));
    const text = written(records, 0);
    const read = parseJsonArrayBytes(Buffer.from(text));
    expect(read).toBeDefined();
    expect(same(read!.value, parseJsonText(text).value)).toBe(true);
    expect(same(decodeInput(Buffer.from(`\ufeff${text}`), { origin: 'f.json' }).document, read!.value)).toBe(true);
  });
});
