import { Option, type Command } from 'commander';
import { resolveCredentials } from '../net/auth.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../net/retry.js';
import type { FileExpectation, Labels } from '../records.js';
import { DEFAULT_GATEWAY, parseGatewayAddress, resolveGatewayAddress } from '../sink/pushgateway/gateway.js';
import { INPUT_FORMATS, type InputFormat, type InputSpec } from '../source/index.js';
import { INLINE_METRIC_TYPES, type InlineMetric, type InlineMetricType } from '../source/inline.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../source/readLimited.js';
import type { CliIo, RunContext } from './context.js';
import { prometheusDurationArgument, byteSizeArgument, collectInlineMetric, collectKeyValue, countArgument, durationArgument, namePrefixArgument } from './parseValues.js';

/**
 * The option groups commands share: how each is declared on a command, and what its flags become for
 * the library. A command adds the groups it needs and its own flags.
 */

/** Options of every command, as commander hands them over. */
export interface CommonFlags {
  verbose?: boolean;
  logFormat: 'text' | 'json';
}

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
  format?: InputFormat;
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
    .option('--grouping <key=value>', 'grouping label after job; repeatable', collectKeyValue)
    .addOption(durationOption('--timeout <duration>', 'time allowed for one attempt (500ms, 2s, 1m or seconds)', DEFAULT_RETRY_POLICY.timeoutMs))
    .option('--retries <n>', 'retries after the first attempt on a temporary failure', countArgument, DEFAULT_RETRY_POLICY.retries)
    .addOption(durationOption('--deadline <duration>', 'overall time for the whole run (s3:// fetch, push, --verify) on one clock, all attempts included', DEFAULT_RETRY_POLICY.deadlineMs))
    .option('--ca-file <path>', 'PEM file of the CA(s) that signed the gateway’s certificate')
    .option('--cert-file <path>', 'client certificate (PEM) for a gateway that requires mutual TLS')
    .option('--key-file <path>', 'key (PEM) of --cert-file')
    .option('--insecure-skip-verify', 'do not verify the gateway’s TLS certificate (testing only)')
    .option('--password-file <path>', 'basic-auth password, user from PUSHGATEWAY_USERNAME (instead of PUSHGATEWAY_PASSWORD)')
    .option('--bearer-token-file <path>', 'send "Authorization: Bearer <token>" with the token in this file');
}

/**
 * The input options. A command whose `--format` names what it prints (rules, dashboard) takes the input's
 * format as `--input-format`; the commands that only read take it as `--format`.
 */
export function addInputOptions(command: Command, formatFlag: '--format' | '--input-format' = '--format'): Command {
  return command
    .addOption(
      new Option(`${formatFlag} <format>`, 'the file’s format, when its name or shape does not say: jsonl is a record per line, kfp Kubeflow Pipelines metrics')
        .choices(INPUT_FORMATS),
    )
    .option('--name-prefix <prefix>', 'put before each metric name of a Kubeflow Pipelines metrics file', namePrefixArgument)
    .option('--metric <name=value>', 'a metric given inline (NAME=VALUE or NAME:gauge|counter=VALUE); repeatable', collectInlineMetric)
    .addOption(new Option('--metric-type <type>', 'type of the --metric flags that name none').choices(INLINE_METRIC_TYPES).default('gauge'))
    .option('--label <key=value>', 'label added to every series; repeatable', collectKeyValue)
    .option('--s3-endpoint <url>', 'S3-protocol endpoint for s3:// input (env AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL)')
    .addOption(
      new Option('--max-input-bytes <size>', 'refuse a larger input (bytes, or with KiB, MiB, GiB)')
        .argParser(byteSizeArgument)
        .default(DEFAULT_MAX_INPUT_BYTES, `${DEFAULT_MAX_INPUT_BYTES / 1024 ** 2}MiB`),
    );
}

/** Names that break Prometheus naming conventions are errors: for the commands that check a file for a push. */
export function addStrictOption(command: Command): Command {
  return command.option('--strict', 'names that break Prometheus naming conventions (promtool check metrics) are errors (65), not warnings');
}

/** A duration flag whose default --help shows as a duration ("10s"): the flag reads a bare number as seconds. */
function durationOption(flags: string, description: string, defaultMs: number): Option {
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
    format: flags.format,
    namePrefix: flags.namePrefix,
    metrics: flags.metric,
    metricType: flags.metricType,
    maxInputBytes: flags.maxInputBytes,
    s3: { endpoint: flags.s3Endpoint, env: io.env, retry, signal: io.signal, logger },
  };
}

/** The gateway flags as the Pushgateway sink takes them; every secret found is added to `context.secrets`. */
export async function gatewayOptions(flags: GatewayFlags, context: RunContext) {
  const { io, secrets } = context;
  const gateway = resolveGatewayAddress(flags.gateway, io.env);
  const userinfoPassword = userinfoPasswordOf(gateway);
  if (userinfoPassword) secrets.add(userinfoPassword);
  const credentials = await resolveCredentials({
    username: io.env.PUSHGATEWAY_USERNAME || undefined,
    password: io.env.PUSHGATEWAY_PASSWORD || undefined,
    passwordFile: flags.passwordFile,
    bearerTokenFile: flags.bearerTokenFile,
  });
  if (credentials) secrets.add(credentials.kind === 'basic' ? credentials.password : credentials.token);
  return {
    gateway,
    grouping: flags.grouping,
    credentials,
    tls: { caFile: flags.caFile, certFile: flags.certFile, keyFile: flags.keyFile, insecureSkipVerify: flags.insecureSkipVerify },
    retry: { timeoutMs: flags.timeout, retries: flags.retries, deadlineMs: flags.deadline },
    signal: io.signal,
  };
}

/** A malformed address is reported by the push itself (a dry run never needs it), so here it only yields nothing. */
function userinfoPasswordOf(gateway: string): string | undefined {
  try {
    return parseGatewayAddress(gateway).userinfo?.password;
  } catch {
    return undefined;
  }
}

/** The secrets a run knows before any command runs: those in the environment. */
export function environmentSecrets(env: CliIo['env']): Set<string> {
  const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';
  return new Set([env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN, env.PUSHGATEWAY_PASSWORD].filter(isSet));
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
