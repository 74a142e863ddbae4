import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toYaml, type YamlValue } from '../../src/generate/yaml.js';

/** Any well-formed text: ASCII, control characters, line breaks YAML 1.1 knows, astral characters. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.constantFrom('a', ' ', "'", '"', '\\', '\n', '\r', '\t', '\0', '\x7f', '\x85', '\u2028', '\ufeff', '#', ':', '-', '{', '😀') }),
  fc.constantFrom('on', 'No', 'OFF', 'y', 'Y', 'yes', 'true', '~', 'null', '1e3', '0x1F', '.inf', '.NaN', '2001-12-14', '1_000', '0o17', '<<', '=', '- a', '? b', '*x', '&y', '!tag', '%', '@', '`'),
);
const { document } = fc.letrec<{ document: Record<string, YamlValue>; value: YamlValue }>((tie) => ({
  document: fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, fc.array(tie('value'), { maxLength: 3 }), tie('document')),
}));

describe('the YAML writer', () => {
  it('writes what YAML 1.2 and YAML 1.1 parsers read back as the same strings, sequences and mappings', () => {
    fc.assert(
      fc.property(document, (value) => {
        const written = toYaml(value);
        expect(parse(written)).toEqual(value);
        expect(parse(written, { version: '1.1' })).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('writes a rule the way people write them', () => {
    const written = toYaml({ groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up{job="x"} == 0', labels: { severity: 'page' }, annotations: {} }] }] });
    expect(written).toBe(
      [
        'groups:',
        '  - name: g',
        '    rules:',
        '      - alert: A',
        `        expr: 'up{job="x"} == 0'`,
        '        labels:',
        '          severity: page',
        '        annotations: {}',
        '',
      ].join('\n'),
    );
  });

  it('quotes words a YAML 1.1 parser would read as booleans or null, and anything that is not a plain name', () => {
    expect(toYaml({ on: 'Off', yes: 'N', ok: 'y', a: 'null', b: '1e3', c: '.inf', d: 'a b', e: '', f: 'app.kubernetes.io/name' })).toBe(
      "'on': 'Off'\n'yes': 'N'\nok: 'y'\na: 'null'\nb: '1e3'\nc: '.inf'\nd: 'a b'\ne: ''\nf: app.kubernetes.io/name\n",
    );
  });
});
