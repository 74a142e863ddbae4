import { describe, expect, it } from 'vitest';
import { expandArgsJson } from '../../src/cli/argsJson.js';
import { UsageError } from '../../src/errors.js';

describe('--args-json', () => {
  it('stands for the arguments of its JSON array, where it stands, each kept whole', () => {
    expect(expandArgsJson(['f.json', 'job', '--args-json=["--label", "a=x y", "--ttl", "7d"]', '--verify'])).toEqual(['f.json', 'job', '--label', 'a=x y', '--ttl', '7d', '--verify']);
    expect(expandArgsJson(['--args-json', '["--dry-run"]', 'f.json'])).toEqual(['--dry-run', 'f.json']);
    expect(expandArgsJson(['--args-json=[]'])).toEqual([]);
  });

  it('is left alone after --, where every argument is an operand', () => {
    expect(expandArgsJson(['--', '--args-json=["x"]'])).toEqual(['--', '--args-json=["x"]']);
  });

  it('refuses what is not a JSON array of strings, a missing value, and itself inside itself (usage, 64)', () => {
    for (const argv of [['--args-json=--verify'], ['--args-json=[1]'], ['--args-json={"a":"b"}'], ['--args-json'], ['--args-json=["--args-json=[]"]']]) {
      expect(() => expandArgsJson(argv), argv.join(' ')).toThrow(UsageError);
    }
  });
});
