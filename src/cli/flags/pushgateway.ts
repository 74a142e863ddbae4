import { Option, type Command } from 'commander';
import { credentialSecrets, resolveCredentials } from '../../net/auth.js';
import { DEFAULT_RETRY_POLICY } from '../../net/retry.js';
import { DEFAULT_PUSH_LIMITS, type PushLimits } from '../../limits.js';
import type { Labels } from '../../records.js';
import { DEFAULT_GATEWAY, parseGatewayAddress, resolveGatewayAddress } from '../../sink/pushgateway/gateway.js';
import type { CliIo, RunContext } from '../context.js';
import { addCommonOptions, type CommonFlags } from './common.js';
import { addUserinfoSecrets, CREDENTIAL_VARIABLES, warnOfNodeDebug, warnOfPasswordInFlag } from './secrets.js';
import { collectKeyValue, countArgument, durationOption, positiveCountArgument, byteSizeArgument } from './values.js';

/** Flags that set up the HTTP client: TLS and credentials (passwords and tokens come only from files or env). */
export interface ClientFlags {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
  passwordFile?: string;
  bearerTokenFile?: string;
}

export interface GatewayFlags extends CommonFlags, ClientFlags {
  gateway?: string;
  grouping?: Labels;
  timeout: number;
  retries: number;
  deadline: number;
}

export function addGatewayOptions(command: Command): Command {
  return addCommonOptions(command)
    .option(
      '--gateway <url>',
      `Pushgateway base URL (env PUSHGATEWAY_URL, then PUSH_GATEWAY_HOSTNAME; default ${DEFAULT_GATEWAY})`,
    )
    .option('--grouping <key=value>', 'grouping label after job (with --remote-write: a label on every series); repeatable, or a JSON object of several', collectKeyValue)
    .addOption(durationOption('--timeout <duration>', 'time allowed for one attempt (500ms, 2s, 1m or seconds)', DEFAULT_RETRY_POLICY.timeoutMs))
    .option('--retries <n>', 'retries after the first attempt on a temporary failure', countArgument, DEFAULT_RETRY_POLICY.retries)
    .addOption(durationOption('--deadline <duration>', 'overall time for the whole run (s3:// fetch, push, --verify) on one clock, all attempts included', DEFAULT_RETRY_POLICY.deadlineMs))
    .option('--ca-file <path>', 'PEM file of the CA(s) that signed the gateway’s certificate')
    .option('--cert-file <path>', 'client certificate (PEM) for a gateway that requires mutual TLS')
    .option('--key-file <path>', 'key (PEM) of --cert-file')
    .option('--insecure-skip-verify', 'do not verify the gateway’s TLS certificate (testing only)')
    .option('--password-file <path>', 'basic-auth password, user from PUSHGATEWAY_USERNAME (REMOTE_WRITE_USERNAME with --remote-write), instead of the *_PASSWORD variable')
    .option('--bearer-token-file <path>', 'send "Authorization: Bearer <token>" with the token in this file');
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

/** The gateway flags as the Pushgateway sink takes them; every secret found is added to `context.secrets`. */
export async function gatewayOptions(flags: GatewayFlags, context: RunContext, sink: 'pushgateway' | 'remote-write' = 'pushgateway') {
  const { io, secrets } = context;
  const gateway = resolveGatewayAddress(flags.gateway, io.env);
  if (sink === 'pushgateway') {
    addUserinfoSecrets(gateway, 'gateway', context);
    // A wrong address is found before the input is read, not after a minute of validating it.
    parseGatewayAddress(gateway);
    if (flags.gateway) warnOfPasswordInFlag(flags.gateway, '--gateway', CREDENTIAL_VARIABLES.pushgateway, context);
  }
  // Each sink has its own variables: a gateway's credentials (the template's Secret) never go to a receiver.
  const variables = sink === 'pushgateway' ? CREDENTIAL_VARIABLES.pushgateway : CREDENTIAL_VARIABLES.remoteWrite;
  const credentials = await resolveCredentials({
    username: io.env[variables.username] || undefined,
    password: io.env[variables.password] || undefined,
    passwordFile: flags.passwordFile,
    bearerTokenFile: flags.bearerTokenFile,
    variables,
  });
  for (const secret of credentials ? credentialSecrets(credentials) : []) secrets.add(secret);
  warnOfNodeDebug(io.env, context);
  return {
    gateway,
    grouping: flags.grouping,
    credentials,
    tls: { caFile: flags.caFile, certFile: flags.certFile, keyFile: flags.keyFile, insecureSkipVerify: flags.insecureSkipVerify },
    retry: { timeoutMs: flags.timeout, retries: flags.retries, deadlineMs: flags.deadline },
    signal: io.signal,
  };
}
