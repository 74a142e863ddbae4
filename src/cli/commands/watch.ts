import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_WATCH_TIMING, watchFile } from '../../watch/watcher.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import { addPushOptions, givenFlags, pushPipelineOptions, type PushFlags } from '../flags/push.js';
import { durationOption } from '../flags/values.js';

interface WatchFlags extends PushFlags {
  interval: number;
  debounce: number;
  poll: number;
  deleteOnExit?: boolean;
}

/** `watch <file> <job>`: the sidecar of a long job, pushing the file it rewrites; the watching itself is src/watch/. */
export const registerWatch: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('watch')
    .description('push <file> as the group of <job> once it exists, again each time it changes and at least every --interval; on SIGTERM push it once more (or --delete-on-exit) and exit 0')
    .argument('<file>', 'metric file a running job rewrites, in any format push reads; it need not exist yet')
    .argument('<job>', 'job name: the first part of the grouping key')
    .addOption(durationOption('--interval <duration>', 'push at least this often, changed or not, so the group shows the job alive', DEFAULT_WATCH_TIMING.intervalMs))
    .addOption(durationOption('--debounce <duration>', 'quiet time after the last file-system event before the file is read', DEFAULT_WATCH_TIMING.debounceMs))
    .addOption(durationOption('--poll <duration>', 'look at the file this often too, for volumes whose file-system events never arrive', DEFAULT_WATCH_TIMING.pollMs))
    .option('--delete-on-exit', 'on SIGTERM delete the group instead of pushing once more: for runs whose metrics mean nothing once they end');
  command.addHelpText(
    'after',
    `
--timeout, --retries and --deadline apply to each push. A push while watching ends within the shorter of
--deadline and --interval; if it fails, the watch logs it and tries again at the next interval or change.
A file not valid (caught half-written) is not pushed: one warning, and the last good push stays.
Exit codes: 0 after SIGTERM and the final push; the first push and the final one fail as push does
(75, 77, 78; 65 if the file was never valid, 66 if it never existed). A second SIGTERM ends at once (75; 143 once the body was sent).
See docs/watch.md.`,
  );
  // Each push is written at its own time: watch has no --timestamp to offer.
  addPushOptions(command, { timestamp: false }).action((file: string, job: string, flags: WatchFlags, self: Command) =>
    onInvoke({ flags, run: (context) => watch(file, job, flags, givenFlags(self), context) }),
  );
};

async function watch(file: string, job: string, flags: WatchFlags, given: Set<string>, context: RunContext): Promise<void> {
  if (job === '') throw new UsageError('the job name must not be empty');
  if (file === '-' || file.startsWith('s3://')) throw new UsageError(`watch reads a local file, which it can look at for changes; ${file} is not one`);
  const options = await pushPipelineOptions({ input: file, job }, flags, given, context);
  const summary = await watchFile({
    ...options,
    path: file,
    job,
    intervalMs: flags.interval,
    debounceMs: flags.debounce,
    pollMs: flags.poll,
    deleteOnExit: flags.deleteOnExit,
    stop: context.io.signal ?? new AbortController().signal,
    signal: context.io.forceSignal,
  });
  context.logger.info('stopped', { pushes: summary.pushes, invalid: summary.invalid, failed: summary.failed });
}
