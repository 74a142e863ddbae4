import { ConfigError, DataError, NoInputError, OptionError, SimplepipeError, type OptionNamer } from '../errors.js';
import { noopLogger, type Logger } from '../log.js';
import { DEFAULT_RETRY_POLICY, stoppedError } from '../net/retry.js';
import { runPipeline, type PipelineOptions, type PipelineResult, type PushgatewayPipelineOptions, type RemoteWritePipelineOptions } from '../pipeline.js';
import { selectSink, type ChosenSink } from '../sink/index.js';
import { readFileSource } from '../source/file.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../source/readLimited.js';
import { watchForChanges } from './changes.js';
import { pipelineLogger } from './pipelineLogger.js';

export const DEFAULT_WATCH_TIMING = { intervalMs: 30_000, debounceMs: 250, pollMs: 2_000 } as const;

/** What a watch decides itself, for each push: the input is the file, read by the watcher; never a dry run. */
type WatchedInput = 'input' | 'content' | 'document' | 'dryRun';

/** A watch pushes to either sink, with that sink's options (no `gateway` with `remoteWrite`), and these of its own. */
export type WatchOptions = WatchSettings & (Omit<PushgatewayPipelineOptions, WatchedInput> | Omit<RemoteWritePipelineOptions, WatchedInput>);

export interface WatchSettings {
  /** The metric file, a local path; it need not exist yet. */
  path: string;
  job: string;
  /** The longest time between two pushes: the current file is pushed again even if unchanged. */
  intervalMs?: number;
  /** Quiet time after a burst of file-system events before the file is read. */
  debounceMs?: number;
  /** How often the file is looked at when no event comes (volumes whose events never arrive). */
  pollMs?: number;
  /** On stop, delete the group from the Pushgateway instead of pushing once more (the sink's `end`; remote write has none). */
  deleteOnExit?: boolean;
  /**
   * Aborting it ends the watch: a push in flight is given up, then one final push of the current file (or
   * the delete) is made, and watchFile resolves. `signal` (of the pipeline options) still ends that at once.
   */
  stop: AbortSignal;
}

/** What a watch came to, once it has ended. */
export interface WatchSummary {
  /** Successful pushes (or writes), the final one included. */
  pushes: number;
  /** Contents not pushed because they were not valid (a file caught half-written, or a wrong one). */
  invalid: number;
  /** Pushes that failed after their retries while the watch went on. */
  failed: number;
  /** Whether the group was deleted on exit. */
  deleted: boolean;
}

type Reason = 'first' | 'change' | 'interval' | 'final';

/**
 * Pushes a metric file each time it changes, at least every `intervalMs`, and once more when `stop`
 * aborts: the concurrent model for any program that can write a file. Each push is one runPipeline call
 * on the bytes read, with the same validation as `simplepipe push`.
 *
 * Resolves after the final push; rejects, with the push's typed error, when the first push fails for a
 * reason other than the file's content (no gateway after the retries, credentials refused, a wrong URL),
 * or when the final push does. A file that is not valid (caught half-written) is never pushed: one warning,
 * the last good push stays, and the next change is tried. A push that fails later is logged and tried again
 * by the next interval, the watch going on.
 */
export function watchFile(options: WatchOptions): Promise<WatchSummary> {
  return new FileWatcher(options).run();
}

class FileWatcher {
  readonly #options: WatchOptions;
  readonly #nameOption: OptionNamer = (option) => this.#options.nameOption?.(option) ?? option;
  /** Where the pushes go; its `end` is the delete of --delete-on-exit. */
  readonly #sink: ChosenSink;
  readonly #logger: Logger;
  readonly #quiet: ReturnType<typeof pipelineLogger>;
  readonly #intervalMs: number;
  readonly #summary: WatchSummary = { pushes: 0, invalid: 0, failed: 0, deleted: false };
  /** Aborted by `stop` or `signal`: a push of the running watch is given up for the final one. */
  readonly #running = new AbortController();
  /** The bytes last read and whether they were valid; a change to the same bytes is no change. */
  #lastRead: { bytes: Buffer; valid: boolean } | undefined;
  /** The bytes of the last successful push: pushed again when the interval is due and the file is not valid. */
  #lastPushed: Buffer | undefined;
  #readProblem: string | undefined;
  #changed = true;
  #due = false;
  #wakeUp: (() => void) | undefined;
  #interval: NodeJS.Timeout | undefined;

  constructor(options: WatchOptions) {
    this.#options = options;
    this.#logger = options.logger ?? noopLogger;
    this.#quiet = pipelineLogger(this.#logger);
    this.#intervalMs = options.intervalMs ?? DEFAULT_WATCH_TIMING.intervalMs;
    for (const [name, value] of Object.entries({ intervalMs: this.#intervalMs, debounceMs: options.debounceMs, pollMs: options.pollMs })) {
      if (value !== undefined && !(value > 0)) throw new ConfigError(`watch: ${name} must be above zero, not ${value}`);
    }
    if (options.path === '-' || options.path.startsWith('s3://')) {
      throw new OptionError(['path'], `${options.path} is not a local file, which a watch can look at for changes`);
    }
    this.#sink = selectSink(options);
    if (options.deleteOnExit && this.#sink.end === undefined) {
      throw new ConfigError('deleteOnExit deletes a Pushgateway group; with remote write there is none, and written samples stay');
    }
    if (options.remoteWrite?.timestampMs !== undefined) {
      throw new ConfigError('a watch writes each push at its own time; remoteWrite.timestampMs would give every one the same timestamp');
    }
  }

  async run(): Promise<WatchSummary> {
    const { stop, signal } = this.#options;
    const onAbort = (): void => {
      this.#running.abort(signal?.aborted ? signal.reason : stop.reason);
      this.#wakeUp?.();
    };
    stop.addEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort);
    const stopWatching = watchForChanges(this.#options.path, () => this.#wake('change'), {
      debounceMs: this.#options.debounceMs ?? DEFAULT_WATCH_TIMING.debounceMs,
      pollMs: this.#options.pollMs ?? DEFAULT_WATCH_TIMING.pollMs,
      logger: this.#logger,
    });
    this.#logger.info(`watching ${this.#options.path}`, { job: this.#options.job, interval_ms: this.#intervalMs });
    try {
      try {
        if (stop.aborted || signal?.aborted) onAbort();
        while (!this.#running.signal.aborted) {
          await this.#nextWake();
          if (!this.#running.signal.aborted) await this.#cycle();
        }
      } finally {
        stopWatching();
        clearTimeout(this.#interval);
      }
      await this.#finish();
      return this.#summary;
    } finally {
      // Listened to until the final push is over: the CLI sees that the second signal has a taker.
      stop.removeEventListener('abort', onAbort);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #wake(what: 'change' | 'interval'): void {
    if (what === 'change') this.#changed = true;
    else this.#due = true;
    this.#wakeUp?.();
  }

  async #nextWake(): Promise<void> {
    while (!this.#changed && !this.#due && !this.#running.signal.aborted) {
      await new Promise<void>((resolve) => (this.#wakeUp = resolve));
    }
    this.#wakeUp = undefined;
  }

  /** One look at the file: push it if it changed (or the interval is due), else nothing. */
  async #cycle(): Promise<void> {
    const due = this.#due;
    this.#changed = this.#due = false;
    const bytes = await this.#read();
    const unchanged = bytes !== undefined && this.#lastRead !== undefined && bytes.equals(this.#lastRead.bytes);
    if (unchanged && !due) this.#logger.debug(`${this.#options.path} unchanged: not pushed again`);
    // The same bytes again only when the interval is due, and only if they were valid.
    if (bytes !== undefined && (!unchanged || (due && this.#lastRead!.valid))) {
      this.#lastRead = { bytes, valid: true };
      const outcome = await this.#push(bytes, this.#summary.pushes === 0 ? 'first' : due ? 'interval' : 'change');
      if (outcome !== 'invalid') return;
      this.#lastRead.valid = false;
    }
    // Due, and the file is missing or not valid: the last good push again, so the group shows the job alive.
    if (due && this.#lastPushed !== undefined) await this.#push(this.#lastPushed, 'interval');
  }

  /**
   * The file's bytes, or undefined while they cannot be had, said once per problem: not there yet, no
   * permission (info), larger than --max-input-bytes (a warning, as any file not pushed).
   */
  async #read(): Promise<Buffer | undefined> {
    try {
      const bytes = await readFileSource(this.#options.path, this.#options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES);
      this.#readProblem = undefined;
      return bytes;
    } catch (error) {
      if (!(error instanceof NoInputError || error instanceof DataError)) throw error;
      if (this.#readProblem !== error.message) {
        if (error instanceof DataError) this.#notValid(error);
        else this.#logger.info(`waiting: ${this.#messageOf(error)}`);
      }
      this.#readProblem = error.message;
      return undefined;
    }
  }

  /**
   * One push of `bytes`. Its retries end within the interval, so a failing gateway is tried again at least
   * every interval; the first push has the whole --deadline, and fails the watch as `push` would.
   */
  async #push(bytes: Buffer, reason: Reason): Promise<'pushed' | 'invalid' | 'failed'> {
    const first = reason === 'first';
    clearTimeout(this.#interval);
    this.#interval = setTimeout(() => this.#wake('interval'), this.#intervalMs);
    const deadlineMs = this.#options.retry?.deadlineMs ?? DEFAULT_RETRY_POLICY.deadlineMs;
    try {
      const result = await this.#send(bytes, {
        retry: { ...this.#options.retry, deadlineMs: first ? deadlineMs : Math.min(deadlineMs, this.#intervalMs) },
        signal: this.#running.signal,
      });
      this.#pushed(bytes, reason, result);
      return 'pushed';
    } catch (error) {
      if (this.#running.signal.aborted) return 'failed';
      if (error instanceof DataError) {
        this.#notValid(error);
        return 'invalid';
      }
      if (first) throw error;
      this.#summary.failed++;
      const message = this.#messageOf(error).replace(/\n\s*/g, '; ');
      this.#logger.warn(`push failed, the watch goes on and tries again within ${this.#intervalMs} ms: ${message}`, {
        reason,
        exit: (error as SimplepipeError).exitCode,
      });
      return 'failed';
    }
  }

  /** The one call into the pipeline: the bytes read, as `input`, through the push's validation and sink. */
  #send(bytes: Buffer, overrides: Pick<PipelineOptions, 'retry' | 'signal'>): Promise<PipelineResult> {
    this.#quiet.nextPush();
    const options: PipelineOptions = { ...this.#options, ...overrides, input: this.#options.path, content: bytes, logger: this.#quiet.logger };
    return runPipeline(options);
  }

  #pushed(bytes: Buffer, reason: Reason, result: PipelineResult): void {
    this.#lastPushed = bytes;
    this.#summary.pushes++;
    const { sent } = result;
    this.#logger.info(`${result.sink === 'remoteWrite' ? 'wrote' : 'pushed'} ${this.#options.path} (${reason})`, {
      series: result.series,
      to: sent?.url,
      status: sent?.status,
      attempts: sent?.attempts,
      ms: sent === undefined ? undefined : Math.round(sent.durationMs),
      pushes: this.#summary.pushes,
    });
  }

  #notValid(error: DataError): void {
    this.#summary.invalid++;
    const first = error.issues[0];
    const detail = first === undefined ? '' : `: ${first.pointer || '/'}: ${first.message}${error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : ''}`;
    const kept = this.#lastPushed ? 'the last good push stays' : 'nothing is pushed yet';
    this.#logger.warn(`not pushed (${kept}; trying again at the next change): ${error.summaryNaming(this.#nameOption).replace(/\n\s*/g, '; ')}${detail}`);
  }

  #messageOf(error: unknown): string {
    return error instanceof SimplepipeError ? error.messageNaming(this.#nameOption) : (error as Error).message;
  }

  /** On stop: the group deleted, or one final push of the current file (of the last good one if the file is not valid now). */
  async #finish(): Promise<void> {
    const signal = this.#options.signal;
    if (signal?.aborted) throw stoppedError(signal);
    if (this.#options.deleteOnExit) {
      // The constructor refused deleteOnExit for a sink without an end.
      const result = await this.#sink.end!({ ...this.#options, logger: this.#quiet.logger });
      this.#summary.deleted = true;
      this.#logger.info(`stopped: deleted the group ${result.url}`, { status: result.status, pushes: this.#summary.pushes });
      return;
    }
    const bytes = (await this.#read()) ?? this.#lastPushed;
    if (bytes === undefined) throw new NoInputError(`stopped with nothing pushed: ${this.#readProblem ?? `${this.#options.path} was never read`}`);
    try {
      this.#pushed(bytes, 'final', await this.#send(bytes, { signal }));
    } catch (error) {
      if (!(error instanceof DataError) || this.#lastPushed === undefined || bytes === this.#lastPushed) throw error;
      this.#notValid(error);
      this.#pushed(this.#lastPushed, 'final', await this.#send(this.#lastPushed, { signal }));
    }
  }
}
