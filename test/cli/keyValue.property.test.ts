import fc from 'fast-check';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectKeyValue } from '../../src/cli/flags/values.js';

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
const labels = fc.dictionary(labelName, fc.string({ unit: 'grapheme', maxLength: 12 }), { maxKeys: 5 });

describe('--grouping and --label as one JSON object', () => {
  it('give the same labels as the same pairs flag by flag, for any names and values', () => {
    fc.assert(
      fc.property(labels, (pairs) => {
        const flagByFlag = Object.entries(pairs).reduce<Record<string, string>>((previous, [name, value]) => collectKeyValue(`${name}=${value}`, previous), {});
        expect(collectKeyValue(JSON.stringify(pairs))).toEqual(flagByFlag);
      }),
    );
  });

  it('mix with pairs given flag by flag, and refuse a label given twice, whichever form gave it first', () => {
    expect(collectKeyValue('{"b":"2"}', collectKeyValue('a=1'))).toEqual({ a: '1', b: '2' });
    expect(() => collectKeyValue('{"a":"2"}', { a: '1' })).toThrow(InvalidArgumentError);
    expect(() => collectKeyValue('a=2', collectKeyValue('{"a":"1"}'))).toThrow(InvalidArgumentError);
  });

  it('refuse what is not an object of strings', () => {
    for (const text of ['{', '{"a":1}', '{"a":null}', '{"a":["x"]}']) expect(() => collectKeyValue(text), text).toThrow(InvalidArgumentError);
  });
});
