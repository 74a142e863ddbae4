import type { Command } from 'commander';
import type { Logger } from '../log.js';
import type { CommonFlags } from './flags/common.js';

/** What a command may touch of the process: its streams, environment and stop signal. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** What an input of `-` reads; the process's stdin unless given (a test running the CLI in process). */
  stdin?: AsyncIterable<Uint8Array>;
  /** Aborted on SIGTERM/SIGINT: the run ends promptly with exit 75. */
  signal?: AbortSignal;
  /** Aborted on a second SIGTERM/SIGINT: a command that finishes its work on the first (watch's final push) ends at once. */
  forceSignal?: AbortSignal;
}

/** Handed to a command when it runs: the process, a logger, and the set of secrets the logger blanks. */
export interface RunContext {
  io: CliIo;
  logger: Logger;
  /** A command adds every secret it learns (passwords, tokens) so that no log line shows it. */
  secrets: Set<string>;
}

/** One parsed command line: the flags every command has, and the command's work bound to its arguments. */
export interface Invocation {
  flags: CommonFlags;
  run: (context: RunContext) => Promise<void>;
}

/** Adds one subcommand to the program; its action hands back an Invocation instead of running anything. */
export type RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => void;
