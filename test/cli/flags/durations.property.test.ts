import fc from 'fast-check';
import { InvalidArgumentError, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { durationArgument, formatDuration, MAX_TIMER_MS } from '../../../src/cli/flags/values.js';
import { main } from '../../../src/cli/main.js';
import { buildProgram } from '../../../src/cli/program.js';

const UNITS: [string, number][] = [['y', 365 * 86_400_000], ['w', 7 * 86_400_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/** A Prometheus duration: each unit at most once, largest first, with the milliseconds it stands for. */
const prometheusDuration = fc
  .tuple(...UNITS.map(([unit, ms]) => fc.option(fc.nat({ max: unit === 'y' ? 2 : 100_000 }), { nil: undefined }).map((count) => ({ unit, ms, count }))))
  .filter((parts) => parts.some((part) => part.count !== undefined))
  .map((parts) => ({
    text: parts.map(({ unit, count }) => (count === undefined ? '' : `${count}${unit}`)).join(''),
    ms: parts.reduce((sum, { ms, count }) => sum + (count ?? 0) * ms, 0),
  }));

const program = buildProgram('0.0.0', () => {});
/** Every flag of every command whose value is a duration: a timer's (--timeout, --interval, ...) or a Prometheus one (--ttl, --every). */
const durationFlags: [string, Option][] = program.commands.flatMap((command) =>
  command.options.filter((option) => option.flags.endsWith('<duration>')).map((option): [string, Option] => [`${command.name()} ${option.long}`, option]),
);
/** Those a timer waits for; the others (--ttl, --older-than, --every) are kept as written, for rules and the group, and may be longer. */
const timerFlags = durationFlags.filter(([, option]) => option.parseArg === durationArgument);

describe('duration flags', () => {
  it('read every Prometheus duration (ms, s, m, h, d, w, y, combined) a timer can wait as its milliseconds, and refuse a longer one', () => {
    fc.assert(
      fc.property(prometheusDuration, ({ text, ms }) => {
        if (ms === 0) expect(() => durationArgument(text)).toThrow(/longer than 0/);
        else if (ms > MAX_TIMER_MS) expect(() => durationArgument(text)).toThrow(/longer than a timer can wait/);
        else expect(durationArgument(text)).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('read a number of seconds, plain or with one unit, decimals included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('', 'ms', 's', 'm', 'h'), (whole, hundredths, unit) => {
        const text = `${whole}.${String(hundredths).padStart(2, '0')}${unit}`;
        const ms = Math.round(Number(`${whole}.${String(hundredths).padStart(2, '0')}`) * { '': 1000, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]);
        if (ms === 0) expect(() => durationArgument(text)).toThrow(/longer than 0/);
        else if (ms > MAX_TIMER_MS) expect(() => durationArgument(text)).toThrow(/longer than a timer can wait/);
        else expect(durationArgument(text)).toBe(ms);
      }),
    );
  });

  it('show every duration in --help as text they read back to the same milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_TIMER_MS }), (ms) => {
        expect(durationArgument(formatDuration(ms))).toBe(ms);
      }),
    );
  });

  it.each(durationFlags)('%s accepts every unit, h included, the way the others do', (_, option) => {
    fc.assert(
      fc.property(prometheusDuration.filter(({ ms }) => ms > 0 && ms <= MAX_TIMER_MS), ({ text }) => {
        expect(() => option.parseArg!(text, undefined as never)).not.toThrow();
      }),
      { numRuns: 200 },
    );
    for (const text of ['1h', '90m', '1h30m', '45s', '250ms']) expect(() => option.parseArg!(text, undefined as never), text).not.toThrow();
  });

  it('cover the timer flags of push, watch, delete and prune', () => {
    expect(timerFlags.map(([name]) => name)).toEqual(expect.arrayContaining(['push --timeout', 'push --deadline', 'watch --interval', 'watch --debounce', 'watch --poll', 'delete --timeout', 'prune --deadline']));
  });

  it('refuse what is not a duration, nothing, and what a timer cannot wait', () => {
    for (const text of ['', 'soon', '1x', '1h 30m', '-5s', '1e3', '5 hours', '0', '0s', '0.0001', '30d', '25d', '4w', '1y', '300y']) {
      expect(() => durationArgument(text), text).toThrow(InvalidArgumentError);
    }
  });
});

/** Arguments each command needs besides the flag: the flag's refusal must not hide behind a missing one. */
const ARGUMENTS: Record<string, string[]> = { push: ['f.json', 'j'], watch: ['f.json', 'j'], validate: ['f.json'], delete: ['j'], prune: [], rules: ['f.json', 'j'], dashboard: ['f.json', 'j'] };

describe('a bad duration is a usage error (64) naming its flag', () => {
  const refused = (flags: [string, Option][], values: string[]) => flags.flatMap(([name, option]) => values.map((value): [string, string, string] => [name, option.long!, value]));
  const cases = [...refused(durationFlags, ['soon', '1h 30m', '0']), ...refused(timerFlags, ['25d', '0.0001'])];
  it.each(cases)('%s %s %s', async (name, flag, value) => {
    const command = name.split(' ')[0]!;
    let stderr = '';
    const code = await main([command, ...ARGUMENTS[command]!, flag, value], { stdout: () => {}, stderr: (text) => void (stderr += text), env: {} }, 'test');
    expect(code).toBe(64);
    expect(stderr).toContain(flag);
  });
});
