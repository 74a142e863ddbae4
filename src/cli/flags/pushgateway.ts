import { Option, type Command } from 'commander';
import { DEFAULT_PUSH_LIMITS, type PushLimits } from '../../limits.js';
import type { Labels } from '../../records.js';
import { DEFAULT_GATEWAY, parseGatewayAddress, resolveGatewayAddress } from '../../sink/pushgateway/gateway.js';
import type { CliIo, RunContext } from '../context.js';
import { addClientOptions, clientOptions, type ClientFlags } from './client.js';
import { addCommonOptions } from './common.js';
import { addUserinfoSecrets, CREDENTIAL_VARIABLES, warnOfPasswordInFlag } from './secrets.js';
import { byteSizeArgument, collectKeyValue, positiveCountArgument, ttlArgument } from './values.js';

/** Which gateway, and which group on it: the flags of every command that talks to a Pushgateway. */
export interface GatewayFlags extends ClientFlags {
  gateway?: string;
  grouping?: Labels;
}

/** The flags of delete and prune, and of a push besides its input: the gateway, the group, the client. */
export function addGatewayOptions(command: Command): Command {
  return addClientOptions(
    addCommonOptions(command)
      .option('--gateway <url>', `Pushgateway base URL (env PUSHGATEWAY_URL, then PUSH_GATEWAY_HOSTNAME; default ${DEFAULT_GATEWAY})`)
      .option('--grouping <key=value>', 'grouping label after job (with --remote-write: a label on every series); repeatable, or a JSON object of several', collectKeyValue),
  );
}

/**
 * The gateway's address: --gateway, else the environment's. Its password is added to `context.secrets`, and a
 * wrong address is found here, before the input is read, not after a minute of validating it.
 */
export function gatewayAddress(flags: Pick<GatewayFlags, 'gateway'>, context: RunContext): string {
  const gateway = resolveGatewayAddress(flags.gateway, context.io.env);
  addUserinfoSecrets(gateway, 'gateway', context);
  parseGatewayAddress(gateway);
  if (flags.gateway) warnOfPasswordInFlag(flags.gateway, '--gateway', CREDENTIAL_VARIABLES.pushgateway, context);
  return gateway;
}

/** The gateway flags as the Pushgateway's requests take them (delete, prune); every secret found is added to `context.secrets`. */
export async function gatewayOptions(flags: GatewayFlags, context: RunContext) {
  const gateway = gatewayAddress(flags, context);
  return { gateway, grouping: flags.grouping, ...(await clientOptions(flags, context, 'pushgateway')) };
}

/** What a push to a Pushgateway alone reads: how it replaces the group, whether it reads it back, its TTL. */
export interface PushgatewayPushFlags {
  method: 'put' | 'post';
  verify?: boolean;
  ttl?: string;
}

export function addPushgatewayPushOptions(command: Command): Command {
  return command
    .addOption(new Option('--method <method>', 'put replaces the group; post replaces only same-name metrics').choices(['put', 'post']).default('put'))
    .option('--verify', 'read the group back from /api/v1/metrics after the push; exit 75 if the gateway did not keep it')
    .option('--ttl <duration>', 'how long the group stays meaningful after this push (7d, 12h), stored in it for `prune`; over the file’s "expect": {"ttl": ...}', ttlArgument);
}

/**
 * The label a namespace's gateway stamps (docs/multi-tenancy.md): the shipped templates set
 * SIMPLEPIPE_TENANT_LABEL=namespace, so a push there that would set it is refused. An empty value turns it off.
 */
export function addTenantLabelOption(command: Command): Command {
  return command.option(
    '--tenant-label <name>',
    'the label the gateway’s tenancy stamp sets (namespace): refuse it, and exported_<name>, on every series and in --grouping (env SIMPLEPIPE_TENANT_LABEL; empty: off)',
  );
}

/** --tenant-label, else SIMPLEPIPE_TENANT_LABEL; empty means no stamp. */
export function tenantLabelOf(flag: string | undefined, env: CliIo['env']): string | undefined {
  return (flag ?? env.SIMPLEPIPE_TENANT_LABEL) || undefined;
}

/** The limits of one push (src/limits.ts), each raised by its flag. */
export interface LimitFlags {
  maxLabelsPerSeries: number;
  maxLabelValueBytes: number;
  maxSeriesBytes: number;
  maxSeries: number;
}

export function addLimitOptions(command: Command): Command {
  const { labelsPerSeries, labelValueBytes, seriesBytes, series } = DEFAULT_PUSH_LIMITS;
  return command
    .addOption(new Option('--max-labels-per-series <n>', 'refuse a series with more labels, grouping key included (Pushgateway)').argParser(positiveCountArgument).default(labelsPerSeries))
    .addOption(new Option('--max-label-value-bytes <size>', 'refuse a longer label value (Pushgateway)').argParser(byteSizeArgument).default(labelValueBytes, `${labelValueBytes / 1024}KiB`))
    .addOption(
      new Option('--max-series-bytes <size>', 'refuse a series whose name and labels are longer (Pushgateway)').argParser(byteSizeArgument).default(seriesBytes, `${seriesBytes / 1024}KiB`),
    )
    .addOption(new Option('--max-series <n>', 'refuse a push of more series, a histogram’s buckets, _sum and _count each (Pushgateway)').argParser(positiveCountArgument).default(series));
}

export function pushLimits(flags: LimitFlags): PushLimits {
  return { labelsPerSeries: flags.maxLabelsPerSeries, labelValueBytes: flags.maxLabelValueBytes, seriesBytes: flags.maxSeriesBytes, series: flags.maxSeries };
}
