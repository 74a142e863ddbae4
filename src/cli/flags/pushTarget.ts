import { UsageError } from '../../errors.js';

/**
 * Reads `[file] [job]` and `--job` as one choice: Simplepipe's `<file> <job>`, `<file> --job <job>`,
 * or `--job <job>` alone when --metric flags are the whole input. A lone argument is always the file.
 * A dry run pushes nothing and its exposition holds no job, so it needs none.
 */
export function resolvePushTarget(
  args: readonly (string | undefined)[],
  jobFlag: string | undefined,
  { hasInlineMetrics, dryRun }: { hasInlineMetrics: boolean; dryRun: boolean },
): { input?: string; job?: string } {
  const [input, jobArgument] = args;
  if (jobArgument !== undefined && jobFlag !== undefined && jobArgument !== jobFlag) {
    throw new UsageError(`the job is given twice: "${jobArgument}" as an argument and "${jobFlag}" with --job`);
  }
  const job = jobArgument ?? jobFlag;
  requireInput(input, hasInlineMetrics);
  if (job === undefined && !dryRun) throw new UsageError('no job: give it after the file, or with --job NAME (see --help)');
  if (job === '') throw new UsageError('the job name must not be empty');
  return { input, job };
}

/** A file, stdin or an S3 object, or --metric flags: a command that reads metrics needs one of them. */
export function requireInput(input: string | undefined, hasInlineMetrics: boolean): void {
  if (input === undefined && !hasInlineMetrics) {
    throw new UsageError('no input: give a metric file, - for stdin, s3://bucket/key, or --metric NAME=VALUE (see --help)');
  }
}
