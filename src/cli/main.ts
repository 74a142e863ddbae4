import { CommanderError } from 'commander';
import { ExitCode, SimplepipeError } from '../errors.js';
import { createStreamLogger, redactingWriter, type Logger } from '../log.js';
import type { CliIo, Invocation } from './context.js';
import { environmentSecrets, type CommonFlags } from './options.js';
import { buildProgram } from './program.js';

export type { CliIo } from './context.js';

/** Runs one command line and returns the exit code. The only place errors become exit codes. */
export async function main(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  let invocation: Invocation | undefined;
  const program = buildProgram(version, (parsed) => {
    invocation = parsed;
  });
  program.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program.commands.forEach((command) => command.exitOverride());

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw error;
  }
  if (invocation === undefined) return ExitCode.usage;

  // Every secret the run learns goes in here, and the logger blanks each one from every line it writes.
  const secrets = environmentSecrets(io.env);
  const logger = loggerFor(invocation.flags, { ...io, stderr: redactingWriter(io.stderr, secrets) });
  try {
    await invocation.run({ io, logger, secrets });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof SimplepipeError) {
      logger.error(error.message, { exit: error.exitCode });
      return error.exitCode;
    }
    logger.error(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 70; // EX_SOFTWARE: a bug in simplepipe, not in its input.
  }
}

function loggerFor(flags: CommonFlags, io: CliIo): Logger {
  return createStreamLogger(io.stderr, { level: flags.verbose ? 'debug' : 'info', format: flags.logFormat });
}
