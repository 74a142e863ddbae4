import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SinkResult } from '../sink/index.js';
import type { MetricFile } from '../records.js';

export interface PeriodicPushOptions {
  job: string;
  /** Time between the end of one push and the start of the next. */
  intervalSeconds: number;
  /** Called before every push for the records to send; `final` is true for the push made on stop. */
  collect: (context: { final: boolean }) => MetricFile | Promise<MetricFile>;
  /**
   * On SIGTERM, push once more and stop, then re-raise the signal so the process ends as it would have
   * without this handler (unless the program has SIGTERM handlers of its own).
   */
  handleSigterm?: boolean;
  /** Told about a failed periodic push; the pusher carries on. Default: a warning on the logger. */
  onError?: (error: unknown) => void;
}

/**
 * Pushes on a timer for a long-running job. The timer keeps the process alive while the pusher runs
 * (that is its purpose); after stop() nothing of it is left to hold the process open.
 */
export class PeriodicPusher {
  #pushes = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;
  readonly #onSigterm = (): void => this.#stopOnSignal();

  constructor(
    private readonly push: (records: MetricFile) => Promise<SinkResult>,
    private readonly options: PeriodicPushOptions,
    private readonly logger: Logger,
  ) {
    if (!(options.intervalSeconds > 0)) throw new ConfigError(`intervalSeconds must be above zero, not ${options.intervalSeconds}`);
  }

  /** Successful pushes so far, the final one included. */
  get pushes(): number {
    return this.#pushes;
  }

  /** Pushes at once, then on every interval. */
  start(): this {
    if (this.options.handleSigterm) process.once('SIGTERM', this.#onSigterm);
    this.#tick();
    return this;
  }

  /** Stops the timer, waits for a push in flight, and pushes once more; rejects if that last push fails. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      clearTimeout(this.#timer);
      process.removeListener('SIGTERM', this.#onSigterm);
      await this.#inFlight;
      await this.#pushOnce(true);
    })();
    return this.#stopping;
  }

  #tick(): void {
    this.#inFlight = this.#pushOnce(false).catch((error: unknown) => this.#report(error));
    void this.#inFlight.then(() => {
      if (this.#stopping === undefined) this.#timer = setTimeout(() => this.#tick(), this.options.intervalSeconds * 1000);
    });
  }

  async #pushOnce(final: boolean): Promise<void> {
    const result = await this.push(await this.options.collect({ final }));
    this.#pushes++;
    this.logger.debug(`periodic push ${this.#pushes} to ${result.url}`, { final, status: result.status });
  }

  #report(error: unknown): void {
    if (this.options.onError) this.options.onError(error);
    else this.logger.warn(`periodic push failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  #stopOnSignal(): void {
    this.stop()
      .catch((error: unknown) => this.#report(error))
      .finally(() => {
        if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
      });
  }
}
