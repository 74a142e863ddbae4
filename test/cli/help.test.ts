import type { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { runMain } from '../support/runMain.js';

const program = buildProgram('0.0.0', () => {});
const options: [string, Option][] = program.commands.flatMap((command) => command.options.map((option): [string, Option] => [`${command.name()} ${option.long}`, option]));

describe('--help', () => {
  it.each(options.filter(([, option]) => option.defaultValue !== undefined && option.parseArg !== undefined))(
    '%s shows a default that, copied onto the command line, gives the flag its default value',
    (_, option) => {
      // A default shown as the raw value would be read in the flag's own unit: 10000 as a duration is 10000 s.
      const shown = option.defaultValueDescription ?? String(option.defaultValue);
      expect(option.parseArg!(shown, undefined as never)).toEqual(option.defaultValue);
    },
  );

  it.each(options.filter(([, option]) => option.defaultValue !== undefined))('%s states its default once, not in its description too', (_, option) => {
    expect(option.description).not.toMatch(/default/i);
  });

  it('offers no flag the command refuses: watch writes each push at its own time, so it has no --timestamp', () => {
    const watch = program.commands.find((command) => command.name() === 'watch')!;
    expect(watch.options.map((option) => option.long)).not.toContain('--timestamp');
    expect(watch.helpInformation()).not.toContain('--timestamp');
    // push, whose every push is one write, keeps it.
    expect(program.commands.find((command) => command.name() === 'push')!.helpInformation()).toContain('--timestamp');
  });

  it('prints the retry and size defaults in the units the flags take', async () => {
    const help = (await runMain(['push', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('(500ms, 2s, 1m, 1h or seconds) (default: 10s)');
    expect(help).toContain('all attempts included (default: 30s)');
    expect(help).toContain('(bytes, or with KiB, MiB, GiB) (default: 64MiB)');
    expect(help).toContain('refuse a longer label value (Pushgateway) (default: 4KiB)');
    // Sizes and durations carry their unit; a count (--max-series 100000) is a plain number.
    expect(help.replace('(default: 100000)', '')).not.toMatch(/default: \d{4,}/);
  });
});
