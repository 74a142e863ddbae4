import { renderExposition } from '../convert/render.js';
import { ConfigError } from '../errors.js';
import { noopLogger, type Logger } from '../log.js';
import { runPipeline } from '../pipeline.js';
import { resolveGatewayAddress } from '../sink/pushgateway/gateway.js';
import { pushToGateway, type PushResult } from '../sink/pushgateway/push.js';
import { remoteWrite, type RemoteWriteResult, type RemoteWriteTarget } from '../sink/remoteWrite/write.js';
import type { ConnectionOptions } from '../net/client.js';
import type { Labels, MetricFile } from '../records.js';
import type { S3SourceOptions } from '../source/s3.js';
import { validate } from '../validate/index.js';
import { PeriodicPusher, type PeriodicPushOptions } from './periodicPusher.js';

export interface CollectorOptions extends ConnectionOptions {
  /** Pushgateway base URL; else PUSHGATEWAY_URL, else PUSH_GATEWAY_HOSTNAME, else http://pushgateway:9091. */
  gateway?: string;
  /** Write by remote write to this receiver instead: no Pushgateway is contacted. */
  remoteWrite?: RemoteWriteTarget;
  /** Grouping labels after `job` (with remote write: labels on every series beside `job`). */
  grouping?: Labels;
  /** Labels added to every series; a file's common labels and record labels win over them. */
  labels?: Labels;
  /** PUT (default) replaces the group; POST replaces only the metrics of the same names. Pushgateway only. */
  method?: 'PUT' | 'POST';
  /** For loadAndPush: refuse a larger input before parsing it (default 64 MiB). */
  maxInputBytes?: number;
  /** For loadAndPush of an s3:// URL. */
  s3?: S3SourceOptions;
}

/** What a push came to, whichever the sink: both results have `url`, `status`, `attempts` and `durationMs`. */
export type SinkResult = PushResult | RemoteWriteResult;

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

  /** Validates records (Simplepipe's array or the `{labels, metrics}` form) and pushes them as `job`'s group (or writes them). */
  async parseAndPush(records: MetricFile, job: string): Promise<SinkResult> {
    const valid = validate(records, { job, grouping: this.#options.grouping, labels: this.#options.labels });
    const { remoteWrite: target } = this.#options;
    if (target) return remoteWrite(valid, { ...this.#options, ...target, job });
    return pushToGateway(await renderExposition(valid), { ...this.#options, job });
  }

  /** Reads a metric file (a path, `-` for stdin, or `s3://bucket/key`), validates it and pushes (or writes) it. */
  async loadAndPush(path: string, job: string): Promise<SinkResult> {
    const result = await runPipeline({ ...this.#options, input: path, job });
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
