import type { Dispatcher } from 'undici';
import { renderExposition } from '../convert/render.js';
import { noopLogger, type Logger } from '../log.js';
import { runPipeline, validateInput } from '../pipeline.js';
import { resolveGatewayAddress } from '../sink/pushgateway/gateway.js';
import { pushToGateway, type PushResult } from '../sink/pushgateway/push.js';
import type { RetryPolicy } from '../net/retry.js';
import type { Labels, MetricFile } from '../records.js';
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

/**
 * Pushes metric records from inside a program, with the names the Python Simplepipe used. Every push
 * is validated first and throws the same typed errors the CLI maps to exit codes.
 */
export class MetricCollector {
  readonly #options: CollectorOptions & { gateway: string; logger: Logger };

  constructor(options: CollectorOptions = {}) {
    this.#options = {
      ...options,
      gateway: resolveGatewayAddress(options.gateway, process.env),
      logger: options.logger ?? noopLogger,
    };
  }

  /** Validates records (Simplepipe's array or the `{labels, metrics}` form) and pushes them as `job`'s group. */
  async parseAndPush(records: MetricFile, job: string): Promise<PushResult> {
    const { grouping, labels, strict, logger } = this.#options;
    const input = { document: records, origin: 'records', bytes: 0, flagByPointer: new Map<string, string>() };
    const valid = validateInput(input, { job, grouping, labels, strict }, logger);
    return pushToGateway(await renderExposition(valid), { ...this.#options, job });
  }

  /** Reads a metric file (a path, `-` for stdin, or `s3://bucket/key`), validates it and pushes it. */
  async loadAndPush(path: string, job: string): Promise<PushResult> {
    const result = await runPipeline({ ...this.#options, input: path, job });
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
