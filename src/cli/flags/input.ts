import { Option, type Command } from 'commander';
import type { RetryPolicy } from '../../net/retry.js';
import type { Labels } from '../../records.js';
import { INPUT_FORMATS, type InputFormat, type InputSpec } from '../../source/index.js';
import { INLINE_METRIC_TYPES, type InlineMetric, type InlineMetricType } from '../../source/inline.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../../source/readLimited.js';
import type { RunContext } from '../context.js';
import { byteSizeArgument, collectInlineMetric, collectKeyValue, namePrefixArgument } from './values.js';

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

/** The input flags as the source stage takes them; an S3 fetch follows the same --timeout/--retries, within the run's --deadline. */
export function inputSpec(input: string | undefined, flags: InputFlags, context: RunContext, retry?: Partial<RetryPolicy>): InputSpec {
  const { io, logger } = context;
  return {
    input,
    stdin: io.stdin,
    format: flags.format === 'auto' ? undefined : flags.format,
    namePrefix: flags.namePrefix,
    metrics: flags.metric,
    metricType: flags.metricType,
    maxInputBytes: flags.maxInputBytes,
    s3: { endpoint: flags.s3Endpoint, env: io.env, retry, signal: io.signal, logger },
  };
}
