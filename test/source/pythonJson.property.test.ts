import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonText, parseTolerantly } from '../../src/source/jsonText.js';
import { escapePointer } from '../../src/validate/schema.js';

/** Any JSON value, with NaN, ±Infinity and -0 wherever a number may stand, and any string, lone surrogates included. */
const pythonValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.double(),
    fc.integer(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** The value in Python's JSON dialect, for Python to read: what json.loads accepts. */
function pythonDialect(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? '-0.0' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonDialect).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${pythonDialect(item)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** Equal as values: numbers by Object.is (NaN is NaN, -0 is not 0), objects by their own keys. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => same(item, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return a === b;
}

describe('Python’s JSON', () => {
  it('any value, with NaN and the infinities anywhere, as Python’s json.dump writes it, reads back as the same value', () => {
    // One Python run for all the samples: json.load reads our rendering, json.dump writes each in its own way.
    const values = fc.sample(pythonValue, { numRuns: 300, seed: 21 });
    const script = 'import json, sys\nfor line in sys.stdin:\n  print(json.dumps(json.loads(line)))';
    const written = execFileSync('/usr/bin/python3', ['-c', script], { input: `${values.map(pythonDialect).join('\n')}\n`, encoding: 'utf8' }).trimEnd().split('\n');
    expect(written).toHaveLength(values.length);
    expect(written.some((text) => text.includes('NaN')) && written.some((text) => text.includes('-Infinity'))).toBe(true);
    values.forEach((value, i) => {
      const read = parseJsonText(written[i]!);
      expect(same(read.value, value), `${written[i]}`).toBe(true);
      expect(read.findings).toEqual([]);
    });
  });

  it('the tolerant reader reads every JSON text as JSON.parse does, and finds nothing in it', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const tolerant = parseTolerantly(text);
        expect(same(tolerant.value, JSON.parse(text))).toBe(true);
        expect(tolerant.findings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a key given twice, anywhere, whatever it holds (a colon, an escaped colon), is found at its pointer', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(':', 'a:b', '__proto__', '\u003a'));
    fc.assert(
      fc.property(fc.jsonValue(), key, fc.nat(3), fc.boolean(), (value, duplicated, depth, escaped) => {
        const written = escaped ? JSON.stringify(duplicated).replaceAll(':', '\\u003a') : JSON.stringify(duplicated);
        let text = `{${written}: ${JSON.stringify(value)}, "other": 1, ${written}: 2}`;
        let pointer = `/${escapePointer(duplicated)}`;
        for (let level = 0; level < depth; level++) {
          text = `[${JSON.stringify(value)}, ${text}]`;
          pointer = `/1${pointer}`;
        }
        const read = parseJsonText(text);
        expect(read.findings.map((finding) => finding.pointer)).toEqual([pointer]);
      }),
      { numRuns: 300 },
    );
  });

  it('a number that underflows to 0 or overflows to ±Infinity is found, one that does not is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -420, max: 420 }), fc.nat(330), (digit, exponent, zeros) => {
        const literals = [`${digit}e${exponent}`, `0.${'0'.repeat(zeros)}${digit}`];
        for (const literal of literals) {
          const value = Number(literal);
          const read = parseJsonText(`{"v": [${literal}]}`);
          const outOfRange = value === 0 || !Number.isFinite(value);
          expect(read.findings.map((finding) => finding.pointer)).toEqual(outOfRange ? ['/v/0'] : []);
          expect(read.value).toEqual({ v: [value] });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a JSON5 extension other than Python’s tokens is refused, with its line and column', () => {
    const cases: [string, string, number, number][] = [
      ['[1,]', 'remove the trailing comma', 1, 3],
      ['{\n  "a": 1, // why\n}', 'JSON has no comments', 2, 11],
      ["{'a': 1}", 'use double quotes', 1, 2],
      ['{a: 1}', 'put it in double quotes', 1, 2],
      ['[+1]', 'write a decimal number', 1, 2],
      ['[.5]', 'write a decimal number', 1, 2],
      ['[0x1F]', 'write a decimal number', 1, 2],
      ['[-NaN]', 'write a decimal number', 1, 2],
      ['[1,\u00a02]', 'remove it', 1, 4],
      ['["a\\\nb"]', 'escape it', 1, 2],
      ['{"a": True}', 'JSON writes true', 1, 7],
      ['[1', 'the file was cut short', 1, 3],
      ['{NaN: 1}', 'put it in double quotes', 1, 2],
      ['[1NaN]', 'a comma is missing', 1, 3],
    ];
    for (const [text, fix, line, column] of cases) {
      let thrown: unknown;
      try {
        parseJsonText(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, text).toBeInstanceOf(JsonSyntaxError);
      const error = thrown as JsonSyntaxError;
      expect([error.message.includes(fix), error.line, error.column], text).toEqual([true, line, column]);
      expect(error.message).not.toContain('\n');
    }
  });
});
