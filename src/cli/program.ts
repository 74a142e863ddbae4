import { Command, Option } from 'commander';
import { DEFAULT_GATEWAY } from '../sink/pushgateway/gateway.js';
import { DEFAULT_RETRY_POLICY } from '../net/retry.js';
import type { Labels } from '../records.js';
import { INLINE_METRIC_TYPES, type InlineMetric, type InlineMetricType } from '../source/inline.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../source/readLimited.js';
import { addClientOptions, type ClientFlags } from './clientOptions.js';
import { byteSizeArgument, collectInlineMetric, collectKeyValue, countArgument, durationArgument } from './parseValues.js';

/** Options shared by every command, as commander hands them over. */
export interface CommonFlags {
  verbose?: boolean;
  logFormat: 'text' | 'json';
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
  label?: Labels;
  metric?: InlineMetric[];
  metricType: InlineMetricType;
  s3Endpoint?: string;
  maxInputBytes: number;
}

export interface PushFlags extends GatewayFlags, InputFlags {
  job?: string;
  method: 'put' | 'post';
  dryRun?: boolean;
  verify?: boolean;
}

export interface ValidateFlags extends CommonFlags, InputFlags {
  job?: string;
  grouping?: Labels;
}

/** What the parsed command line asks for: one command, its positional arguments and its flags. */
export type Invocation =
  | { command: 'push'; args: (string | undefined)[]; flags: PushFlags }
  | { command: 'validate'; input?: string; flags: ValidateFlags }
  | { command: 'delete'; job: string; flags: GatewayFlags };

const ms = (value: number): string => (value % 1000 === 0 ? `${value / 1000}s` : `${value}ms`);

function addCommonOptions(command: Command): Command {
  return command
    .option('-v, --verbose', 'log each step in detail')
    .addOption(new Option('--log-format <format>', 'log line format on stderr').choices(['text', 'json']).default('text'));
}

function addGatewayOptions(command: Command): Command {
  const withAddress = addCommonOptions(command)
    .option(
      '--gateway <url>',
      `Pushgateway base URL (env PUSHGATEWAY_URL, then PUSH_GATEWAY_HOSTNAME; default ${DEFAULT_GATEWAY})`,
    )
    .option('--grouping <key=value>', 'grouping label after job; repeatable', collectKeyValue)
    .option('--timeout <duration>', 'time allowed for one attempt (500ms, 2s, 1m or seconds)', durationArgument, DEFAULT_RETRY_POLICY.timeoutMs)
    .option('--retries <n>', 'retries after the first attempt on a temporary failure', countArgument, DEFAULT_RETRY_POLICY.retries)
    .option('--deadline <duration>', 'overall time allowed for all attempts', durationArgument, DEFAULT_RETRY_POLICY.deadlineMs);
  return addClientOptions(withAddress);
}

function addInputOptions(command: Command): Command {
  return command
    .option('--metric <name=value>', 'a metric given inline (NAME=VALUE or NAME:gauge|counter=VALUE); repeatable', collectInlineMetric)
    .addOption(new Option('--metric-type <type>', 'type of the --metric flags that name none').choices(INLINE_METRIC_TYPES).default('gauge'))
    .option('--label <key=value>', 'label added to every series; repeatable', collectKeyValue)
    .option('--s3-endpoint <url>', 'S3-protocol endpoint for s3:// input (env AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL)')
    .option('--max-input-bytes <size>', `refuse a larger input (default ${DEFAULT_MAX_INPUT_BYTES / 1024 ** 2}MiB)`, byteSizeArgument, DEFAULT_MAX_INPUT_BYTES);
}

/**
 * Builds the command line: `[push] <file> <job>` (the default command, Simplepipe's shape),
 * `validate <file>` and `delete <job>`. The action handlers only record what was asked.
 */
export function buildProgram(version: string, onInvoke: (invocation: Invocation) => void): Command {
  const program = new Command('simplepipe')
    .description('Validate a metric file and push it to a Prometheus Pushgateway.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)');

  const push = program
    .command('push', { isDefault: true })
    .description('validate [file] and any --metric flags and push them as the group of <job> (PUT replaces the group)')
    .argument('[file]', 'metric file: a JSON array of records, or {"labels": {...}, "metrics": [...]}; - for stdin; s3://bucket/key')
    .argument('[job]', 'job name: the first part of the grouping key (or --job)')
    .option('--job <name>', 'job name, instead of the <job> argument (needed when there is no file)')
    .addOption(new Option('--method <method>', 'put replaces the group; post replaces only same-name metrics').choices(['put', 'post']).default('put'))
    .option('--dry-run', 'print the exposition text on stdout and push nothing')
    .option('--verify', 'read the group back from /api/v1/metrics after the push; exit 75 if the gateway did not keep it');
  addInputOptions(addGatewayOptions(push)).action((file: string | undefined, job: string | undefined, flags: PushFlags) =>
    onInvoke({ command: 'push', args: [file, job], flags }),
  );

  const check = program
    .command('validate')
    .description('check [file] and any --metric flags and list every problem; push nothing')
    .argument('[file]', 'metric file, - for stdin, or s3://bucket/key')
    .option('--job <name>', 'job the file will be pushed as, to check labels against the grouping key')
    .option('--grouping <key=value>', 'grouping label the file will be pushed with; repeatable', collectKeyValue);
  addInputOptions(addCommonOptions(check)).action((input: string | undefined, flags: ValidateFlags) =>
    onInvoke({ command: 'validate', input, flags }),
  );

  const remove = program
    .command('delete')
    .description('delete the group of <job> (and --grouping labels) from the gateway')
    .argument('<job>', 'job name of the group');
  addGatewayOptions(remove).action((job: string, flags: GatewayFlags) => onInvoke({ command: 'delete', job, flags }));

  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 64 usage, 65 bad data (also a gateway 400), 66 input not found,
75 temporary failure after retries, 77 credentials refused, 78 bad configuration.

Examples:
  simplepipe /tmp/metric-in.json simple
  simplepipe - my-job < metrics.json
  simplepipe s3://artifacts/metric-json my-job
  simplepipe --job exit-handler --metric workflow_duration_seconds=12.5 --label status=Succeeded
  simplepipe metrics.json my-job --gateway http://localhost:9091 --grouping instance=a
  simplepipe validate metrics.json
  simplepipe delete my-job --grouping instance=a

Default retry policy: --timeout ${ms(DEFAULT_RETRY_POLICY.timeoutMs)} per attempt, --retries ${DEFAULT_RETRY_POLICY.retries}, --deadline ${ms(DEFAULT_RETRY_POLICY.deadlineMs)}.`,
  );
  return program;
}
