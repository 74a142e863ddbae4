import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, validate } from '../../src/index.js';
import { groupingPath } from '../../src/sink/pushgateway/groupingKey.js';
import { groupingValue } from '../support/groupingKeys.js';

const file = [{ name: 'g', description: 'd', value: 1, metric_type: 'gauge' }];

/** What a call comes to: its result's absence of error, or the error's class and message. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

// Label names valid and not: invalid characters, reserved, `job`, and ordinary ones.
const labelName = fc.oneof(fc.constantFrom('a-b', '1a', '__x', 'job', '', 'a b', 'instance', 'run_1'), fc.string({ maxLength: 4 }));
const anyText = fc.oneof(groupingValue, fc.constantFrom('\uD800', 'a\uDC00b'));
const grouping = fc.uniqueArray(fc.tuple(labelName, anyText), { maxLength: 3, selector: ([name]) => name }).map((pairs) => Object.fromEntries(pairs));

describe('the grouping key check', () => {
  it('refuses in validate exactly what push and delete refuse, with the same error', () => {
    fc.assert(
      fc.property(anyText, grouping, (job, key) => {
        const pushed = outcome(() => groupingPath(job, key));
        expect(outcome(() => validate(file, { job, grouping: key }))).toBe(pushed);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses an invalid grouping label name before looking at the file', () => {
    expect(() => validate('not a metric file', { job: 'j', grouping: { 'a-b': '1' } })).toThrow(ConfigError);
    expect(() => validate(file, { job: 'j', grouping: { 'a-b': '1' } })).toThrow(/^grouping a-b: "a-b" is not a valid label name/);
  });
});
