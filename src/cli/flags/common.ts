import { Option, type Command } from 'commander';

/** Options of every command, as commander hands them over. */
export interface CommonFlags {
  verbose?: boolean;
  logFormat: 'text' | 'json';
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('-v, --verbose', 'log each step in detail')
    .addOption(new Option('--log-format <format>', 'log line format on stderr').choices(['text', 'json']).default('text'));
}

/** Names that break Prometheus naming conventions are errors: for the commands that check a file for a push. */
export function addStrictOption(command: Command): Command {
  return command.option(
    '--strict',
    'names that break Prometheus naming conventions (promtool check metrics), unknown record fields, duplicate keys and numbers beyond float64 are errors (65), not warnings',
  );
}
