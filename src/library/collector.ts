import type { Dispatcher } from 'undici';
import { renderExposition } from '../convert/render.js';
import { noopLogger, type Logger } from '../log.js';
import { runPipeline, validateInput } from '../pipeline.js';
import { ConfigError } from '../errors.js';
import { parseGatewayAddress, resolveGatewayAddress } from '../sink/pushgateway/gateway.js';
import { pushToGateway, type PushResult } from '../sink/pushgateway/push.js';
import type { RetryPolicy } from '../net/retry.js';
import type { Labels, MetricFile } from '../records.js';
import type { InputSpec } from '../source/index.js';
import type { S3SourceOptions } from '../source/s3.js';
import { PeriodicPusher, type PeriodicPushOptions } from './periodicPusher.js';

export interface CollectorOptions {
  /** Pushgateway base URL; else PUSHGATEWAY_URL, else PUSH_GATEWAY_HOSTNAME, else http://pushgateway:9091. */
  gateway?: string;
  /** Grouping labels after `job`, in path order. */
  grouping?: Labels;
  /** Labels added to every series; a file's common labels and record labels win over them. */
  labels?: Labels;
  /** Names that break Prometheus naming conventions throw a DataError instead of a warning on `logger`. */
  strict?: boolean;
  /** PUT (default) replaces the group; POST replaces only the metrics of the same names. */
  method?: 'PUT' | 'POST';
  retry?: Partial<RetryPolicy>;
  headers?: Record<string, string>;
  dispatcher?: Dispatcher;
  /** For loadAndPush: refuse a larger input before parsing it (default 64 MiB). */
  maxInputBytes?: number;
  /** For loadAndPush of an s3:// URL. */
  s3?: S3SourceOptions;
  logger?: Logger;
  signal?: AbortSignal;
}

const OPTION_NAMES: ReadonlySet<string> = new Set<keyof CollectorOptions>([
  'gateway', 'grouping', 'labels', 'strict', 'method', 'retry', 'headers', 'dispatcher', 'maxInputBytes', 's3', 'logger', 'signal',
]);

/**
 * Pushes metric records from inside a program, with the names the Python Simplepipe used:
 * `new MetricCollector("http://localhost:9091")`, then `parseAndPush(records, job)`. Every push is
 * validated first and throws the same typed errors the CLI maps to exit codes.
 */
export class MetricCollector {
  readonly #options: CollectorOptions & { gateway: string; logger: Logger };

  /**
   * `new MetricCollector(gatewayUrl, options?)`, as Simplepipe's `MetricCollector("http://…")`, or
   * `new MetricCollector(options?)`. Without a gateway: PUSHGATEWAY_URL, PUSH_GATEWAY_HOSTNAME, then
   * http://pushgateway:9091. A malformed URL or an unknown option is a ConfigError here, not a surprise at the first push.
   */
  constructor(gatewayOrOptions?: string | CollectorOptions, maybeOptions?: CollectorOptions) {
    const [gateway, options] = collectorArguments(gatewayOrOptions, maybeOptions);
    this.#options = {
      ...options,
      gateway: resolveGatewayAddress(gateway, process.env),
      logger: options.logger ?? noopLogger,
    };
    parseGatewayAddress(this.#options.gateway);
  }

  /** Validates records (Simplepipe's array or the `{labels, metrics}` form) and pushes them as `job`'s group. */
  async parseAndPush(records: MetricFile, job: string): Promise<PushResult> {
    const { grouping, labels, strict, logger } = this.#options;
    const input = { document: records, origin: 'the records', bytes: 0, issues: [] };
    const valid = validateInput(input, { job, grouping, labels, strict }, logger);
    return pushToGateway(await renderExposition(valid), { ...this.#options, job });
  }

  /**
   * Reads a metric file (a path, `-` for stdin, or `s3://bucket/key`) in any format, validates it and
   * pushes it. `format` says how to read it when its name or shape does not: `json`, `jsonl` (a record
   * per line), `kfp` (a Kubeflow Pipelines v1 metrics file, whose names get `namePrefix`).
   */
  async loadAndPush(path: string, job: string, options: Pick<InputSpec, 'format' | 'namePrefix'> = {}): Promise<PushResult> {
    const result = await runPipeline({ ...this.#options, input: path, format: options.format, namePrefix: options.namePrefix, job });
    // runPipeline only skips the push on a dry run, which a collector never asks for.
    return result.push!;
  }

  /**
   * Pushes what `collect` returns now and then every `intervalSeconds`, and once more on stop() (and on
   * SIGTERM when `handleSigterm` is set). A failed periodic push is reported and the next one tried.
   */
  startPeriodicPush(options: PeriodicPushOptions): PeriodicPusher {
    return new PeriodicPusher((records) => this.parseAndPush(records, options.job), options, this.#options.logger).start();
  }
}

/** Reads the constructor's two shapes into one, refusing anything else by name rather than ignoring it. */
function collectorArguments(first: unknown, second: unknown): [string | undefined, CollectorOptions] {
  const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);
  const isOptions = (value: unknown): value is CollectorOptions => typeof value === 'object' && value !== null && !Array.isArray(value);
  let gateway: string | undefined;
  let options: CollectorOptions;
  if (typeof first === 'string') {
    if (second !== undefined && !isOptions(second)) {
      throw new ConfigError(`new MetricCollector(url, options): options must be an object, not ${describe(second)}`);
    }
    if (second?.gateway !== undefined && second.gateway !== first) {
      throw new ConfigError(`new MetricCollector: the gateway is given twice, "${first}" and options.gateway "${second.gateway}"`);
    }
    [gateway, options] = [first, second ?? {}];
  } else if (first === undefined || isOptions(first)) {
    if (second !== undefined) throw new ConfigError('new MetricCollector(options) takes one argument; a gateway URL goes first: new MetricCollector(url, options)');
    options = first ?? {};
    gateway = options.gateway;
  } else {
    throw new ConfigError(`new MetricCollector takes a gateway URL ("http://localhost:9091") and/or an options object, not ${describe(first)}`);
  }
  const unknown = Object.keys(options).filter((name) => !OPTION_NAMES.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(`new MetricCollector: unknown option${unknown.length === 1 ? '' : 's'} ${unknown.map((name) => `"${name}"`).join(', ')}; known: ${[...OPTION_NAMES].join(', ')}`);
  }
  if (gateway !== undefined && (typeof gateway !== 'string' || gateway === '')) {
    throw new ConfigError(`new MetricCollector: the gateway must be a URL such as "http://localhost:9091", not ${gateway === '' ? 'an empty string' : describe(gateway)}`);
  }
  return [gateway, options];
}
