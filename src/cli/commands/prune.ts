import type { Command } from 'commander';
import { parsePrometheusDuration } from '../../validate/duration.js';
import { describeGroup } from '../../sink/pushgateway/groups.js';
import { pruneGroups, type ExpiredGroup } from '../../sink/pushgateway/prune.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import { addGatewayOptions, gatewayOptions, type GatewayFlags } from '../flags/pushgateway.js';
import { collectValue, olderThanArgument } from '../flags/values.js';

export interface PruneFlags extends GatewayFlags {
  job?: string[];
  olderThan?: string;
  dryRun?: boolean;
}

/** `prune`: deletes the groups whose time is over, as the CronJob of each gateway overlay runs it. */
export const registerPrune: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('prune')
    .description('delete the groups whose last push is older than their TTL (--ttl, "expect": {"ttl": ...}), or than --older-than for groups without one')
    .option('--job <name>', 'only the groups of this job; repeatable', collectValue)
    .option('--older-than <duration>', 'delete groups without a TTL once their last push is older than this (30d, 12h); without it they are kept', olderThanArgument)
    .option('--dry-run', 'print the groups that would be deleted, delete nothing');
  addGatewayOptions(command)
    .addHelpText('after', '\n--grouping key=value selects only the groups whose grouping key holds that label.')
    .action((flags: PruneFlags) => onInvoke({ flags, run: (context) => prune(flags, context) }));
};

async function prune(flags: PruneFlags, context: RunContext): Promise<void> {
  const olderThan = flags.olderThan === undefined ? undefined : parsePrometheusDuration(flags.olderThan);
  const result = await pruneGroups({
    ...(await gatewayOptions(flags, context)),
    jobs: flags.job,
    olderThanMs: olderThan !== undefined && 'ms' in olderThan ? olderThan.ms : undefined,
    dryRun: flags.dryRun,
    logger: context.logger,
  });
  const verb = flags.dryRun ? 'would delete' : 'deleted';
  for (const group of result.deleted) context.io.stdout(`${verb} ${describeGroup(group.labels)} ${why(group)}\n`);
  for (const group of result.spared) context.logger.info(`kept ${describeGroup(group.labels)}: pushed again (or deleted) since it was listed`);
  context.logger.info(`${verb} ${result.deleted.length} of ${result.deleted.length + result.spared.length + result.kept} groups`, {
    spared: result.spared.length,
    ...windowFields(result.windowsMs),
  });
}

/** The time a push to a group could have been lost in (PruneResult.windowsMs): median and longest, in ms. */
function windowFields(windowsMs: readonly number[]): Record<string, number> {
  if (windowsMs.length === 0) return {};
  const sorted = [...windowsMs].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return { window_ms_median: round(sorted[Math.floor(sorted.length / 2)]!), window_ms_max: round(sorted.at(-1)!) };
}

/** "(last push 8d 2h ago, ttl 7d)" */
function why(group: ExpiredGroup): string {
  return `(last push ${seconds(group.ageSeconds)} ago, ${group.limit} ${seconds(group.limitSeconds)})`;
}

function seconds(value: number): string {
  const units: [string, number][] = [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]];
  let rest = Math.round(value);
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.length === 0 ? '0s' : parts.join(' ');
}
