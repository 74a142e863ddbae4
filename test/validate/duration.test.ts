import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrometheusDuration } from '../../src/validate/duration.js';
import { promtoolCheckRules } from '../support/promtool.js';

/** A rule file whose only rule waits `duration`: promtool reads it as Prometheus reads a rule's `for`. */
const ruleWaiting = (duration: string): string =>
  `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: vector(1)\n        for: ${JSON.stringify(duration)}\n`;

/** Strings near the grammar: digits (short and huge) and unit-like letters, in any order. */
const durationLike = fc
  .array(
    fc.oneof(
      fc.constantFrom('y', 'w', 'd', 'h', 'm', 's', 'ms', 'M', 'x', ' ', '.', '-', '0'),
      fc.integer({ min: 0, max: 400 }).map(String),
      fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** Durations in the grammar, each unit present or not, counts up to past the overflow. */
const wellFormed = fc
  .tuple(...['y', 'w', 'd', 'h', 'm', 's', 'ms'].map((unit) => fc.option(fc.oneof({ arbitrary: fc.nat(1000), weight: 9 }, { arbitrary: fc.bigInt({ min: 0n, max: 10n ** 13n }), weight: 1 }).map((n) => `${n}${unit}`))))
  .map((parts) => parts.filter((part) => part !== null).join(''));

describe('Prometheus durations', () => {
  it('reads the units, largest first, into milliseconds', () => {
    expect(parsePrometheusDuration('0')).toEqual({ ms: 0 });
    expect(parsePrometheusDuration('30s')).toEqual({ ms: 30_000 });
    expect(parsePrometheusDuration('1h30m')).toEqual({ ms: 5_400_000 });
    expect(parsePrometheusDuration('1d')).toEqual({ ms: 86_400_000 });
    expect(parsePrometheusDuration('1y2w3d4h5m6s7ms')).toEqual({ ms: ((((365 + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000 + 7 });
    for (const text of ['', '30m1h', '1.5h', '5M', '1d1d', ' 5m', '-1s']) expect(parsePrometheusDuration(text), text).toEqual({ problem: 'malformed' });
    expect(parsePrometheusDuration('106752d')).toEqual({ problem: 'too long' });
  });

  it('accepts and refuses exactly the strings promtool 2.42 accepts and refuses', () => {
    const samples = [
      ...fc.sample(durationLike, { numRuns: 300, seed: 11 }),
      ...fc.sample(wellFormed, { numRuns: 200, seed: 11 }),
      // Around the overflow edge: 2^63-1 ns is 106751d 23h 47m 16s 854ms.
      '106751d',
      '106752d',
      '2562047h',
      '2562048h',
      '290y',
      '292y',
      '106751d23h47m16s854ms',
      '106751d23h47m16s855ms',
      '9223372036854ms',
      '9223372036855ms',
      '',
      '0',
      '00',
    ];
    const cases = [...new Set(samples)];
    const verdicts = promtoolCheckRules(Object.fromEntries(cases.map((text) => [text, ruleWaiting(text)])));
    const disagreements = cases.filter((text) => 'ms' in parsePrometheusDuration(text) !== verdicts[text]!.ok);
    expect(disagreements.map((text) => `${JSON.stringify(text)}: promtool ${verdicts[text]!.message}`)).toEqual([]);
    expect(cases.filter((text) => verdicts[text]!.ok).length).toBeGreaterThan(20);
    expect(cases.filter((text) => !verdicts[text]!.ok).length).toBeGreaterThan(20);
  });
});
