import type { Command } from 'commander';
import type { FileExpectation, Labels, ValidDocument } from '../records.js';
import { validateInputDocument } from '../check.js';
import { loadInput, type InputFormat } from '../source/index.js';
import type { RunContext } from './context.js';
import type { CommonFlags } from './flags/common.js';
import { inputSpec, type InputFlags } from './flags/input.js';
import { resolvePushTarget } from './flags/pushTarget.js';
import { prometheusDurationArgument } from './flags/values.js';

/** The flags `rules` and `dashboard` share: the input, as a push of <job> would read it, and --every. */
export interface GeneratorFlags extends CommonFlags, Omit<InputFlags, 'format'> {
  /** The input's format: `--format` names the output of these commands. */
  inputFormat?: InputFormat | 'auto';
  job?: string;
  grouping?: Labels;
  every?: string;
}

/** The job a generator writes for, required as for a push (not a dry run), and the input to read. */
export function generatorTarget(args: readonly (string | undefined)[], flags: GeneratorFlags): { input?: string; job: string } {
  const target = resolvePushTarget(args, flags.job, { hasInlineMetrics: (flags.metric ?? []).length > 0, dryRun: false });
  // resolvePushTarget refuses a missing job when it is not a dry run.
  return { input: target.input, job: target.job! };
}

/** Reads and validates the input as the push of `job` would, with --every over the file's own `expect.every`. */
export async function readForGenerator(
  input: string | undefined,
  job: string,
  flags: GeneratorFlags,
  context: RunContext,
): Promise<{ origin: string; document: ValidDocument }> {
  const loaded = await loadInput(inputSpec(input, { ...flags, format: flags.inputFormat }, context));
  const document = withEvery(validateInputDocument(loaded, { job, grouping: flags.grouping, labels: flags.label }), flags.every);
  return { origin: loaded.origin, document };
}

/** The flag of rules and dashboard that states how often the job pushes, for inputs without a file-level `expect`. */
export function addEveryOption(command: Command): Command {
  return command.option(
    '--every <duration>',
    'longest allowed gap between two pushes of the group (24h, 30m, 1d): as the file’s "expect": {"every": ...}, which it overrides',
    prometheusDurationArgument,
  );
}

/** The file's expectation with `--every` over its own `every`. */
export function withEvery<T extends { expect?: FileExpectation }>(document: T, every: string | undefined): T {
  return every === undefined ? document : { ...document, expect: { ...document.expect, every } };
}
