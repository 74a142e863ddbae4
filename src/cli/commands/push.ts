import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { readMemoryBudget } from '../../memory.js';
import { runPipeline } from '../../pipeline.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import {
  addGatewayOptions,
  addInputOptions,
  addLimitOptions,
  addRemoteWriteOptions,
  addStrictOption,
  addTenantLabelOption,
  gatewayOptions,
  headerSecrets,
  inputSpec,
  pushLimits,
  remoteWriteTarget,
  tenantLabelOf,
  type GatewayFlags,
  type InputFlags,
  type LimitFlags,
  type RemoteWriteFlags,
} from '../options.js';
import { ttlArgument } from '../parseValues.js';
import { resolvePushTarget } from '../pushTarget.js';

export interface PushFlags extends GatewayFlags, InputFlags, RemoteWriteFlags, LimitFlags {
  job?: string;
  method: 'put' | 'post';
  dryRun?: boolean;
  verify?: boolean;
  strict?: boolean;
  tenantLabel?: string;
  ttl?: string;
}

/** `[push] <file> <job>`: the default command, Simplepipe's shape; with --remote-write, a remote write instead. */
export const registerPush: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('push', { isDefault: true })
    .description('validate [file] and any --metric flags and push them as the group of <job> (PUT replaces the group), or write them with --remote-write')
    .argument('[file]', 'metric file: a JSON array of records or {"labels": {...}, "metrics": [...]}, JSON Lines, or KFP metrics; - for stdin; s3://bucket/key')
    .argument('[job]', 'job name: the first part of the grouping key (or --job)')
    .option('--job <name>', 'job name, instead of the <job> argument (needed when there is no file)')
    .addOption(new Option('--method <method>', 'put replaces the group; post replaces only same-name metrics').choices(['put', 'post']).default('put'))
    .option('--dry-run', 'print what would be sent on stdout (the exposition text, or with --remote-write the series and their timestamp) and send nothing')
    .option('--verify', 'read the group back from /api/v1/metrics after the push; exit 75 if the gateway did not keep it')
    .option('--ttl <duration>', 'how long the group stays meaningful after this push (7d, 12h), stored in it for `prune`; over the file’s "expect": {"ttl": ...}', ttlArgument);
  addLimitOptions(addTenantLabelOption(addRemoteWriteOptions(addStrictOption(addInputOptions(addGatewayOptions(command)))))).action(
    (file: string | undefined, job: string | undefined, flags: PushFlags, self: Command) =>
      onInvoke({ flags, run: (context) => push([file, job], flags, given(self), context) }),
  );
};

/** The flags given on the command line, as opposed to defaults: --method has one, yet naming it with --remote-write is a mistake. */
function given(command: Command): Set<string> {
  return new Set(command.options.map((option) => option.attributeName()).filter((name) => command.getOptionValueSource(name) === 'cli'));
}

async function push(args: (string | undefined)[], flags: PushFlags, givenFlags: Set<string>, context: RunContext): Promise<void> {
  const dryRun = flags.dryRun === true;
  const target = resolvePushTarget(args, flags.job, { hasInlineMetrics: (flags.metric ?? []).length > 0, dryRun });
  const remoteWrite = remoteWriteTarget(flags, context);
  if (remoteWrite) {
    const pushgatewayOnly = ['gateway', 'method', 'verify', 'ttl', 'tenantLabel'].filter((name) => givenFlags.has(name));
    if (pushgatewayOnly.length > 0) {
      throw new UsageError(`${pushgatewayOnly.map((name) => `--${name}`).join(', ')} cannot be combined with --remote-write: no Pushgateway is contacted`);
    }
  }
  headerSecrets(flags.header, context);
  const gateway = await gatewayOptions(flags, context, remoteWrite ? 'remote-write' : 'pushgateway');
  const result = await runPipeline({
    ...inputSpec(target.input, flags, context, gateway.retry),
    ...gateway,
    job: target.job,
    labels: flags.label,
    method: flags.method === 'post' ? 'POST' : 'PUT',
    dryRun,
    strict: flags.strict,
    tenantLabel: tenantLabelOf(flags.tenantLabel, context.io.env),
    limits: pushLimits(flags),
    memory: readMemoryBudget(),
    verify: flags.verify,
    ttl: flags.ttl,
    headers: flags.header,
    remoteWrite,
    logger: context.logger,
  });
  if (dryRun) {
    context.io.stdout(result.exposition ?? result.writeText ?? '');
    const what = remoteWrite ? 'the series to write are on stdout, each with its timestamp' : 'the exposition is on stdout';
    context.logger.info(`dry run: ${what}; nothing was pushed`, { series: result.series });
  }
}
