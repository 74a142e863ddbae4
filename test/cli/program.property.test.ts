import fc from 'fast-check';
import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { Invocation } from '../../src/cli/context.js';
import { buildProgram, commandsReachedBy } from '../../src/cli/program.js';

/**
 * What commander makes of a command line: the command whose action ran, with its arguments and options,
 * the flags it handed over, what it printed (help, version, errors), and how it stopped.
 */
async function outcome(program: Command, flagsOf: () => Invocation | undefined, argv: string[]): Promise<unknown> {
  let out = '';
  let action: unknown;
  program.hook('preAction', (_, command) => {
    action = { command: command.name(), args: command.processedArgs, options: command.opts() };
  });
  const output = { writeOut: (text: string) => (out += text), writeErr: (text: string) => (out += `[err] ${text}`), outputError: (text: string) => (out += `[error] ${text}`) };
  for (const command of [program, ...program.commands]) command.exitOverride().configureOutput(output);
  let stopped: unknown;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    stopped = error instanceof CommanderError ? { code: error.code, exitCode: error.exitCode, message: error.message } : { thrown: String(error) };
  }
  return { action, flags: JSON.stringify(flagsOf()?.flags), out, stopped };
}

/** The same command line through the whole program and through the one main() builds for it. */
async function bothWays(argv: string[]): Promise<[unknown, unknown]> {
  const run = async (given?: readonly string[]) => {
    let invocation: Invocation | undefined;
    const program = buildProgram('1.2.3', (parsed) => (invocation = parsed), given);
    return outcome(program, () => invocation, argv);
  };
  return [await run(), await run(argv)];
}

const everyCommand = buildProgram('1.2.3', () => {}).commands.map((command) => command.name());

/** Pieces of command lines: every command's name, commander's help, the options of the program and of several commands, values, files. */
const token = fc.oneof(
  fc.constantFrom(...everyCommand, 'help', 'pushh', 'valid'),
  fc.constantFrom('-', '--', '-h', '--help', '-V', '--version', '-hV', '-Vh', '--help=1', '-v', '--verbose', '--log-format', 'json', '--dry-run', '-x', '--unknown', '--no-such=1'),
  fc.constantFrom('--gateway', 'http://127.0.0.1:9091', '--job', 'my_job', '--grouping', 'instance=a', '--metric', 'm=1', '--strict', '--retries', '0', '--timeout', '5s'),
  fc.constantFrom('--older-than', '30d', '--every', '1d', '--namespace', 'team-a', '--overview', '--interval', '30s', '--args-json', '["--dry-run"]'),
  fc.constantFrom('metrics.json', 'job', 'help.json', 'validate.json', '-1', '7'),
);

describe('the program main() builds for a command line', () => {
  it('gives every command line the same outcome as the whole program: the same action, arguments, options, output and error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 7 }), async (argv) => {
        const [whole, built] = await bothWays(argv);
        expect(built).toEqual(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it('is the push alone for a push of a file, and the whole program wherever another command, help or the version may be asked', () => {
    const names = (argv: string[]) => buildProgram('1.2.3', () => {}, argv).commands.map((command) => command.name());
    expect(names(['metrics.json', 'job', '--gateway', 'http://127.0.0.1:9091'])).toEqual(['push']);
    expect(names(['-', 'job', '--dry-run'])).toEqual(['push']);
    expect(names(['--job', 'exit-handler', '--metric', 'm=1'])).toEqual(['push']);
    for (const command of everyCommand.filter((name) => name !== 'push')) {
      expect(names([command, 'x']), command).toEqual(everyCommand);
      expect(names(['--', command]), command).toEqual(everyCommand);
    }
    for (const asks of [['help'], ['metrics.json', 'job', '--help'], ['-V'], ['--args-json', '["validate"]'], []]) expect(names(asks)).toEqual(everyCommand);
    expect(commandsReachedBy(['metrics.json', 'job'])).toHaveLength(1);
  });
});
