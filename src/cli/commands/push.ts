import type { Command } from 'commander';
import { runPipeline } from '../../pipeline.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import { addGateOptions, gateOptions, type GateFlags } from '../flags/gate.js';
import { addPushOptions, givenFlags, pushPipelineOptions, type PushFlags } from '../flags/push.js';
import { resolvePushTarget } from '../flags/pushTarget.js';

interface PushCommandFlags extends PushFlags, GateFlags {
  dryRun?: boolean;
}

/** `[push] <file> <job>`: the default command, Simplepipe's shape; with --remote-write, a remote write instead. */
export const registerPush: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('push', { isDefault: true })
    .description('validate [file] and any --metric flags and push them as the group of <job> (PUT replaces the group), or write them with --remote-write')
    .argument('[file]', 'metric file: a JSON array of records or {"labels": {...}, "metrics": [...]}, JSON Lines, or KFP metrics; - for stdin; s3://bucket/key')
    .argument('[job]', 'job name: the first part of the grouping key (or --job)')
    .option('--job <name>', 'job name, instead of the <job> argument (needed when there is no file)')
    .option('--dry-run', 'print what would be sent on stdout (the exposition text, or with --remote-write the series and their timestamp) and send nothing');
  addGateOptions(addPushOptions(command)).action((file: string | undefined, job: string | undefined, flags: PushCommandFlags, self: Command) =>
    onInvoke({ flags, run: (context) => push([file, job], flags, givenFlags(self), context) }),
  );
};

async function push(args: (string | undefined)[], flags: PushCommandFlags, given: Set<string>, context: RunContext): Promise<void> {
  const dryRun = flags.dryRun === true;
  const target = resolvePushTarget(args, flags.job, { hasInlineMetrics: (flags.metric ?? []).length > 0, dryRun });
  const gate = gateOptions(flags);
  const options = await pushPipelineOptions(target, flags, given, context);
  // A dry run's text is written as it is made: 100,000 series are 15 MB of text, never held whole.
  const result = await runPipeline({ ...options, dryRun, gate, ...(dryRun && { writePreview: context.io.stdout }) });
  if (gate) context.logger.info('every value meets its "expect"', { baseline: gate.baselineFrom === undefined ? 'none (min and max only)' : 'from Prometheus' });
  if (dryRun) {
    const what = result.sink === 'remoteWrite' ? 'the series to write are on stdout, each with its timestamp' : 'the exposition is on stdout';
    context.logger.info(`dry run: ${what}; nothing was pushed`, { series: result.series });
  }
}
