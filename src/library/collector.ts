import { noopLogger, type Logger } from '../log.js';
import { runPipeline, type PipelineOptions } from '../pipeline.js';
import { ConfigError } from '../errors.js';
import type { SinkResult } from '../sink/index.js';
import { parseGatewayAddress, resolveGatewayAddress } from '../sink/pushgateway/gateway.js';
import type { RemoteWriteTarget } from '../sink/remoteWrite/write.js';
import type { ConnectionOptions } from '../net/client.js';
import type { Labels, MetricFile } from '../records.js';
import type { InputSpec } from '../source/index.js';
import type { S3SourceOptions } from '../source/s3.js';
import { PeriodicPusher, type PeriodicPushOptions } from './periodicPusher.js';

export interface CollectorOptions extends ConnectionOptions {
  /** Pushgateway base URL; else PUSHGATEWAY_URL, else PUSH_GATEWAY_HOSTNAME, else http://pushgateway:9091. */
  gateway?: string;
  /** Write by remote write to this receiver instead: no Pushgateway is contacted. */
  remoteWrite?: RemoteWriteTarget;
  /** Grouping labels after `job`, in path order (with remote write: labels on every series beside `job`). */
  grouping?: Labels;
  /** Labels added to every series; a file's common labels and record labels win over them. */
  labels?: Labels;
  /** Names that break Prometheus naming conventions throw a DataError instead of a warning on `logger`. */
  strict?: boolean;
  /** PUT (default) replaces the group; POST replaces only the metrics of the same names. Pushgateway only. */
  method?: 'PUT' | 'POST';
  /** For loadAndPush: refuse a larger input before parsing it (default 64 MiB). */
  maxInputBytes?: number;
  /** For loadAndPush of an s3:// URL. */
  s3?: S3SourceOptions;
}

const OPTION_NAMES: ReadonlySet<string> = new Set<keyof CollectorOptions>([
  'gateway', 'remoteWrite', 'grouping', 'labels', 'strict', 'method', 'retry', 'credentials', 'tls', 'headers', 'dispatcher', 'maxInputBytes', 's3', 'logger', 'signal',
]);

export type { SinkResult } from '../sink/index.js';

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

  /**
   * Validates records (Simplepipe's array or the `{labels, metrics}` form) and pushes them as `job`'s group (or
   * writes them): the CLI's pipeline, with the records as its input, and the same limits as a CLI push (src/limits.ts).
   */
  async parseAndPush(records: MetricFile, job: string): Promise<SinkResult> {
    return this.#run({ document: records }, job);
  }

  /**
   * Reads a metric file (a path, `-` for stdin, or `s3://bucket/key`) in any format, validates it and
   * pushes (or writes) it. `format` says how to read it when its name or shape does not: `json`, `jsonl`
   * (a record per line), `kfp` (a Kubeflow Pipelines v1 metrics file, whose names get `namePrefix`).
   */
  async loadAndPush(path: string, job: string, options: Pick<InputSpec, 'format' | 'namePrefix'> = {}): Promise<SinkResult> {
    return this.#run({ input: path, format: options.format, namePrefix: options.namePrefix }, job);
  }

  async #run(input: InputSpec, job: string): Promise<SinkResult> {
    const { gateway, remoteWrite, method, ...common } = this.#options;
    const options: PipelineOptions = remoteWrite ? { ...common, ...input, remoteWrite, job } : { ...common, ...input, gateway, method, job };
    const result = await runPipeline(options);
    // runPipeline only skips sending on a dry run, which a collector never asks for.
    return (result.push ?? result.write)!;
  }

  /**
   * Pushes what `collect` returns now and then every `intervalSeconds`, and once more on stop() (and on
   * SIGTERM when `handleSigterm` is set). A failed periodic push is reported and the next one tried.
   * With remote write, each push is written at its own time: that is the series of a long job's progress.
   */
  startPeriodicPush(options: PeriodicPushOptions): PeriodicPusher {
    if (this.#options.remoteWrite?.timestampMs !== undefined) {
      throw new ConfigError('a periodic push writes each push at its own time; remoteWrite.timestampMs would give every one the same timestamp');
    }
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
  if (gateway !== undefined && options.remoteWrite !== undefined) {
    throw new ConfigError('new MetricCollector: a gateway and remoteWrite exclude each other; with remoteWrite no Pushgateway is contacted');
  }
  if (gateway !== undefined && (typeof gateway !== 'string' || gateway === '')) {
    throw new ConfigError(`new MetricCollector: the gateway must be a URL such as "http://localhost:9091", not ${gateway === '' ? 'an empty string' : describe(gateway)}`);
  }
  return [gateway, options];
}
