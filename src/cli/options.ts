import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { userinfoOf } from '../net/address.js';
import { rawUserinfo } from '../net/redact.js';
import { credentialSecrets, resolveCredentials } from '../net/auth.js';
import { proxyPasswords } from '../net/proxy.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../net/retry.js';
import { DEFAULT_PUSH_LIMITS, type PushLimits } from '../limits.js';
import type { FileExpectation, Labels } from '../records.js';
import { DEFAULT_GATEWAY, parseGatewayAddress, resolveGatewayAddress } from '../sink/pushgateway/gateway.js';
import { DEFAULT_MAX_SAMPLES_PER_REQUEST } from '../sink/remoteWrite/timeseries.js';
import type { RemoteWriteTarget } from '../sink/remoteWrite/write.js';
import { INPUT_FORMATS, type InputFormat, type InputSpec } from '../source/index.js';
import { INLINE_METRIC_TYPES, type InlineMetric, type InlineMetricType } from '../source/inline.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../source/readLimited.js';
import type { CliIo, CommonFlags, RunContext } from './context.js';
import {
  byteSizeArgument,
  collectHeader,
  collectInlineMetric,
  collectKeyValue,
  countArgument,
  durationArgument,
  namePrefixArgument,
  positiveCountArgument,
  prometheusDurationArgument,
  timestampArgument,
} from './parseValues.js';

/**
 * The option groups commands share: how each is declared on a command, and what its flags become for
 * the library. A command adds the groups it needs and its own flags.
 */

export type { CommonFlags } from './context.js';

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

/** Where the metrics come from besides the <file> argument, and how much of it to read. */
export interface InputFlags {
  /** `auto`: as if not given (a template passes it when its caller names no format). */
  format?: InputFormat | 'auto';
  namePrefix?: string;
  label?: Labels;
  metric?: InlineMetric[];
  metricType: InlineMetricType;
  s3Endpoint?: string;
  maxInputBytes: number;
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('-v, --verbose', 'log each step in detail')
    .addOption(new Option('--log-format <format>', 'log line format on stderr').choices(['text', 'json']).default('text'));
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
 * The input options. A command whose `--format` names what it prints (rules, dashboard) takes the input's
 * format as `--input-format`; the commands that only read take it as `--format`.
 */
export function addInputOptions(command: Command, formatFlag: '--format' | '--input-format' = '--format'): Command {
  return command
    .addOption(
      new Option(`${formatFlag} <format>`, 'the file’s format, when its name or content does not say: jsonl is a record per line, kfp Kubeflow Pipelines metrics; auto as if not given')
        .choices([...INPUT_FORMATS, 'auto']),
    )
    .option('--name-prefix <prefix>', 'put before each metric name of a Kubeflow Pipelines metrics file', namePrefixArgument)
    .option('--metric <name=value>', 'a metric given inline (NAME=VALUE or NAME:gauge|counter=VALUE); repeatable', collectInlineMetric)
    .addOption(new Option('--metric-type <type>', 'type of the --metric flags that name none').choices(INLINE_METRIC_TYPES).default('gauge'))
    .option('--label <key=value>', 'label added to every series; repeatable, or a JSON object of several', collectKeyValue)
    .option('--s3-endpoint <url>', 'S3-protocol endpoint for s3:// input (env AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL)')
    .addOption(
      new Option('--max-input-bytes <size>', 'refuse a larger input, a gzip or tar+gzip one also by its decompressed size (bytes, or with KiB, MiB, GiB)')
        .argParser(byteSizeArgument)
        .default(DEFAULT_MAX_INPUT_BYTES, `${DEFAULT_MAX_INPUT_BYTES / 1024 ** 2}MiB`),
    );
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

/** Names that break Prometheus naming conventions are errors: for the commands that check a file for a push. */
export function addStrictOption(command: Command): Command {
  return command.option(
    '--strict',
    'names that break Prometheus naming conventions (promtool check metrics), unknown record fields, duplicate keys and numbers beyond float64 are errors (65), not warnings',
  );
}

/** A duration flag whose default --help shows as a duration ("10s"): the flag reads a bare number as seconds. */
export function durationOption(flags: string, description: string, defaultMs: number): Option {
  return new Option(flags, description).argParser(durationArgument).default(defaultMs, formatDuration(defaultMs));
}

/** Milliseconds as the shortest duration the duration flags read back: 10000 → "10s", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The input flags as the source stage takes them; an S3 fetch follows the same --timeout/--retries, within the run's --deadline. */
export function inputSpec(input: string | undefined, flags: InputFlags, context: RunContext, retry?: Partial<RetryPolicy>): InputSpec {
  const { io, logger } = context;
  return {
    input,
    format: flags.format === 'auto' ? undefined : flags.format,
    namePrefix: flags.namePrefix,
    metrics: flags.metric,
    metricType: flags.metricType,
    maxInputBytes: flags.maxInputBytes,
    s3: { endpoint: flags.s3Endpoint, env: io.env, retry, signal: io.signal, logger },
  };
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

/** The remote-write sink's flags (push only); --header applies to either sink. */
export interface RemoteWriteFlags {
  remoteWrite?: string;
  tenant?: string;
  timestamp?: number;
  maxSamplesPerRequest?: number;
  header?: Record<string, string>;
}

export function addRemoteWriteOptions(command: Command): Command {
  return command
    .option('--remote-write <url>', 'write by remote write to this receiver (…/api/v1/write, …/api/v1/push) instead of pushing to a Pushgateway')
    .option('--tenant <id>', 'with --remote-write: tenant sent as X-Scope-OrgID (Mimir, Cortex)')
    .option('--timestamp <time>', 'with --remote-write: time of every sample, RFC 3339 or Unix seconds, at most 10 minutes ahead (default: now)', timestampArgument)
    .option(
      '--max-samples-per-request <n>',
      `with --remote-write: samples per request at most (default ${DEFAULT_MAX_SAMPLES_PER_REQUEST}, as Prometheus)`,
      positiveCountArgument,
    )
    .option('--header <Name: value>', 'extra request header; repeatable', collectHeader);
}

/**
 * The remote-write flags as the sink takes them, or undefined for a Pushgateway push; a flag that means
 * nothing without --remote-write is a usage error rather than silently ignored.
 */
export function remoteWriteTarget(flags: RemoteWriteFlags, context: RunContext): RemoteWriteTarget | undefined {
  if (flags.remoteWrite === undefined) {
    const stray = (['tenant', 'timestamp', 'maxSamplesPerRequest'] as const).filter((flag) => flags[flag] !== undefined);
    if (stray.length > 0) throw new UsageError(`${stray.map(flagName).join(', ')} ${stray.length === 1 ? 'needs' : 'need'} --remote-write`);
    return undefined;
  }
  addUserinfoSecrets(flags.remoteWrite, 'remote-write', context);
  warnOfPasswordInFlag(flags.remoteWrite, '--remote-write', CREDENTIAL_VARIABLES.remoteWrite, context);
  return { url: flags.remoteWrite, tenant: flags.tenant, timestampMs: flags.timestamp, maxSamplesPerRequest: flags.maxSamplesPerRequest };
}

/**
 * --header values may be secrets (an API key): the logger blanks them. Very short ones are left alone:
 * blanking "1" or "prod" from every line would garble the log and protect nothing a guess would not find.
 */
export function headerSecrets(headers: Record<string, string> | undefined, context: RunContext): void {
  for (const value of Object.values(headers ?? {})) if (value.length >= 6) context.secrets.add(value);
}

/**
 * A password in a URL's userinfo, and the Authorization header made of it, are blanked from the log; so is
 * the userinfo of an address no parser accepts (`user:pw@host:99999`), as typed, before any message quotes it.
 */
function addUserinfoSecrets(address: string, what: string, context: RunContext): void {
  const userinfo = userinfoOf(address, what);
  if (userinfo?.password) for (const secret of credentialSecrets({ kind: 'basic', ...userinfo })) context.secrets.add(secret);
  const typed = rawUserinfo(address);
  if (userinfo === undefined && typed?.password) for (const secret of [typed.userinfo, typed.password]) context.secrets.add(secret);
}

/** A flag's value is in every process listing and in the workflow spec: a password there is told where it belongs. */
function warnOfPasswordInFlag(address: string, flag: string, variables: { username: string; password: string }, context: RunContext): void {
  if (!rawUserinfo(address)?.password) return;
  context.logger.warn(
    `${flag} carries a password, which anyone who can list this machine's processes or read the workflow spec can see: ` +
      `set ${variables.username} and ${variables.password} (from a Secret) or --password-file instead`,
  );
}

/** Node's own debug output (not simplepipe's logger) prints each request's headers, Authorization among them. */
function warnOfNodeDebug(env: CliIo['env'], context: RunContext): void {
  const modules = (env.NODE_DEBUG ?? '').split(/[\s,]+/).filter((name) => /^(http|http2|https|net|tls|undici|fetch|\*)$/i.test(name));
  if (modules.length === 0) return;
  context.logger.warn(`NODE_DEBUG=${env.NODE_DEBUG} makes Node print every request's headers on stderr, the Authorization header and its credentials among them: unset it`);
}

const flagName = (key: string): string => `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/** Where each sink's basic-auth user and password come from in the environment. */
export const CREDENTIAL_VARIABLES = {
  pushgateway: { username: 'PUSHGATEWAY_USERNAME', password: 'PUSHGATEWAY_PASSWORD' },
  remoteWrite: { username: 'REMOTE_WRITE_USERNAME', password: 'REMOTE_WRITE_PASSWORD' },
} as const;

/** The secrets a run knows before any command runs: those in the environment. */
export function environmentSecrets(env: CliIo['env']): Set<string> {
  const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';
  const secrets = new Set([env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN, env.PUSHGATEWAY_PASSWORD, env.REMOTE_WRITE_PASSWORD].filter(isSet));
  // A password in HTTPS_PROXY or HTTP_PROXY, and the Proxy-Authorization value made of it.
  for (const userinfo of proxyPasswords(env)) for (const secret of credentialSecrets({ kind: 'basic', ...userinfo })) secrets.add(secret);
  return secrets;
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
