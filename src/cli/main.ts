import { CommanderError } from 'commander';
import { ExitCode, OptionError, SimplepipeError, UsageError } from '../errors.js';
import { stoppedBeforeSending } from '../net/retry.js';
import { createStreamLogger, redactingWriter, type Logger } from '../log.js';
import { expandArgsJson } from './argsJson.js';
import type { CliIo, Invocation } from './context.js';
import type { CommonFlags } from './flags/common.js';
import { messageForCommandLine, usageErrorOf } from './flags/libraryOptions.js';
import { environmentSecrets } from './flags/secrets.js';
import { buildProgram } from './program.js';

export type { CliIo } from './context.js';

/** Runs one command line and returns the exit code. The only place errors become exit codes. */
export async function main(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  let invocation: Invocation | undefined;
  const program = buildProgram(
    version,
    (parsed) => {
      invocation = parsed;
    },
    argv,
  );
  // Commander's own error text is kept, to be logged below like every other error.
  let parseError = '';
  const output = { writeOut: io.stdout, writeErr: io.stderr, outputError: (text: string) => (parseError += text) };
  for (const command of [program, ...program.commands]) command.exitOverride().configureOutput(output);

  try {
    await program.parseAsync(expandArgsJson(argv), { from: 'user' });
  } catch (error) {
    if (error instanceof UsageError) {
      loggerFor(requestedLogFlags(argv), io).error(`${error.message} (see --help)`, { exit: ExitCode.usage });
      return ExitCode.usage;
    }
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return ExitCode.ok; // --help, --version
    const message = (parseError.trim() || error.message).replace(/^error: /, '');
    loggerFor(requestedLogFlags(argv), io).error(`${message} (see --help)`, { exit: ExitCode.usage });
    return ExitCode.usage;
  }
  if (invocation === undefined) return ExitCode.usage;

  // Every secret the run learns goes in here, and the logger blanks each one from every line it writes.
  const secrets = environmentSecrets(io.env);
  const logger = loggerFor(invocation.flags, { ...io, stderr: redactingWriter(io.stderr, secrets) });
  try {
    // A signal that came while the program was loading: nothing has been sent.
    if (io.signal?.aborted) throw stoppedBeforeSending(io.signal);
    await invocation.run({ io, logger, secrets });
    return ExitCode.ok;
  } catch (caught) {
    // The library names its options; the command line's user knows them by their flags.
    const error = caught instanceof OptionError ? usageErrorOf(caught) : caught;
    if (error instanceof SimplepipeError) {
      logger.error(messageForCommandLine(error), { exit: error.exitCode });
      return error.exitCode;
    }
    // EX_SOFTWARE: a bug in simplepipe, not in its input.
    logger.error(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, { exit: 70 });
    return 70;
  }
}

/**
 * The log flags as far as they can be read from a command line commander refused: an error in parsing
 * is reported in the format asked for, whatever else on the line is wrong.
 */
function requestedLogFlags(argv: readonly string[]): CommonFlags {
  const at = argv.findIndex((arg) => arg === '--log-format' || arg.startsWith('--log-format='));
  const value = at === -1 ? undefined : argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
  return { logFormat: value === 'json' ? 'json' : 'text' };
}

function loggerFor(flags: CommonFlags, io: CliIo): Logger {
  return createStreamLogger(io.stderr, { level: flags.verbose ? 'debug' : 'info', format: flags.logFormat });
}
