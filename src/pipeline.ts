import { validateInputSteps } from './check.js';
import { countRecordSeries } from './convert/series.js';
import { ConfigError, DataError } from './errors.js';
import { checkExpectations, gateBaselines, type GateOptions } from './gate/index.js';
import { noopLogger, type Logger } from './log.js';
import { checkMemory, inputBytesThatFit, inputWillNotFit, type MemoryBudget } from './memory.js';
import type { ConnectionOptions } from './net/client.js';
import { DEFAULT_RETRY_POLICY, stoppedBeforeSending, withDeadlineFromNow } from './net/retry.js';
import type { Labels, ValidDocument } from './records.js';
import { selectSink, type ChosenSink, type PushgatewayResult, type PushgatewayTarget, type SentResult, type SinkName } from './sink/index.js';
import type { RemoteWriteResult, RemoteWriteTarget } from './sink/remoteWrite/write.js';
import { DEFAULT_MAX_INPUT_BYTES, loadInput, type InputSpec, type LoadedInput } from './source/index.js';
import { InputTooLargeError } from './source/readLimited.js';
import { runStepsYielding } from './validate/steps.js';
import { Checking } from './checking.js';

/** What every run takes, whichever the sink: the input, its checks, and how to reach the server. */
export interface CommonPipelineOptions extends InputSpec, ConnectionOptions {
  /** The job of the group to push (or the `job` label to write); not needed for a dry run. */
  job?: string;
  /** Labels after `job`: a Pushgateway grouping key, or with remote write labels on every series. */
  grouping?: Labels;
  /** Labels added to every series. */
  labels?: Labels;
  /** Render what would be sent but send nothing. */
  dryRun?: boolean;
  /**
   * With `dryRun`: receives the text that would be sent piece by piece, each piece as it is made (ending in a line
   * feed), instead of the result's `preview`; the whole text is then never held (the CLI writes each to stdout).
   */
  writePreview?: (piece: string) => void;
  /** Names that break Prometheus naming conventions, unknown record fields, duplicate keys and numbers beyond float64 are errors (65), not warnings. */
  strict?: boolean;
  /** The memory this process may use (readMemoryBudget): an input that will not fit is refused before it is read (71). */
  memory?: MemoryBudget;
  /** After sending, fail (ExpectationError, exit 79) when a value is outside its record's `expect`. */
  gate?: GateOptions;
}

/** A push to the Pushgateway at `gateway`, with the gateway's own options (method, verify, ttl, tenant label, limits). */
export interface PushgatewayPipelineOptions extends CommonPipelineOptions, PushgatewayTarget {
  remoteWrite?: undefined;
}

/** A remote write to `remoteWrite`: no Pushgateway is contacted, and none of its options is taken. */
export interface RemoteWritePipelineOptions extends CommonPipelineOptions, NoneOf<PushgatewayTarget> {
  /** The receiver to write the records to instead of pushing them to a Pushgateway. */
  remoteWrite: RemoteWriteTarget;
}

/** Options of a run: the sink is the Pushgateway (`gateway`) or a remote-write receiver (`remoteWrite`), each with its own options. */
export type PipelineOptions = PushgatewayPipelineOptions | RemoteWritePipelineOptions;

/** Every field of T refused: what one sink's options are to the other's. */
type NoneOf<T> = { [Field in keyof T]?: never };

export interface PipelineResult {
  /** The sink the run went to (or, on a dry run, would have). */
  sink: SinkName;
  /** On a dry run: what would be sent, as text (the exposition; with remote write the series with their timestamp); absent when `writePreview` was given it. */
  preview?: string;
  /** On a Pushgateway dry run: `preview`, the exposition text that would be pushed. A push renders it while sending and keeps none. */
  exposition?: string;
  /** On a remote-write dry run: `preview`, the series that would be written, as text with their timestamp. */
  writeText?: string;
  /** Records of the input, after validation. */
  records: number;
  /** Series sent (or, on a dry run, that would be), as Prometheus counts them: a histogram's buckets, _sum and _count each. */
  series: number;
  /** What the send came to, whichever the sink; absent on a dry run. */
  sent?: SentResult;
  /** `sent`, of a Pushgateway push. */
  push?: PushgatewayResult;
  /** `sent`, of a remote write. */
  write?: RemoteWriteResult;
}

/**
 * The whole job, top to bottom: read the input, check it, then preview it (a dry run) or send it to the
 * sink. A push is sent while the input is checked, family by family, and its end only once the whole input
 * has passed (a refusal cuts the request off and nothing is stored); a dry run and a gate check first.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const logger = options.logger ?? noopLogger;
  // One clock for the whole run: the S3 fetch, the push and --verify end by the same instant (--deadline).
  const deadlineAt = withDeadlineFromNow({ ...DEFAULT_RETRY_POLICY, ...options.retry }).deadlineAt!;
  const sink = selectSink(options);
  const input = await beforeSending(options, () => read(options, deadlineAt, logger));
  const checking = check(input, sink, options, logger);
  if (!options.dryRun && !options.gate) return send(checking, sink, options, deadlineAt, logger);
  const document = await beforeSending(options, () => checking.whole);
  // Asked before sending: every run Prometheus then holds is a past one.
  const baselines = options.gate ? await beforeSending(options, () => gateBaselines(document.records, options.gate!, options, deadlineAt, logger)) : undefined;
  const result = options.dryRun ? await preview(document, sink, options, logger) : await send(checking, sink, options, deadlineAt, logger);
  if (baselines) checkExpectations(document.records, baselines, options.dryRun ? 'nothing was pushed (dry run)' : 'the metrics were pushed');
  return result;
}

/** Read: the input's bytes (a file, stdin, S3, inline flags, records in memory), decoded, within the memory budget. */
async function read(options: PipelineOptions, deadlineAt: number, logger: Logger): Promise<LoadedInput> {
  const retry = { ...(options.s3?.retry ?? options.retry), deadlineAt };
  const s3 = { ...options.s3, retry, signal: options.s3?.signal ?? options.signal, logger };
  const stopped = stopCheck(options);
  stopped();
  const input = await loadWithinMemory(options, s3);
  stopped();
  logger.info(`read ${input.origin}`, { format: input.format, packing: input.packing, bytes: input.bytes });
  return input;
}

/**
 * Check: validation (check.ts) with what the sink adds to it, started and left running: it yields between
 * slices of records, so that a SIGTERM is heard at once and a push sends what is checked meanwhile.
 */
function check(input: LoadedInput, sink: ChosenSink, options: PipelineOptions, logger: Logger): Checking {
  const { job, grouping, labels, strict, nameOption } = options;
  const stopped = stopCheck(options);
  const checking = new Checking(recordList(input.document));
  runStepsYielding(validateInputSteps(input, { job, grouping, labels, strict, nameOption, ...sink.checks }, logger, checking.progress), stopped).then(
    (document) => {
      logger.info(`validated ${plural(document.records.length, 'record')} (${plural(countRecordSeries(document.records), 'series', 'series')})`, {
        families: checking.familyCount ?? new Set(document.records.map((record) => record.name)).size,
      });
      checking.end({ document });
    },
    (error: unknown) => checking.end({ error }),
  );
  return checking;
}

/** The records of a loaded document, as validation reads them: the list, or the object form's `metrics`. */
function recordList(document: unknown): readonly unknown[] {
  if (Array.isArray(document)) return document;
  const metrics = typeof document === 'object' && document !== null ? (document as { metrics?: unknown }).metrics : undefined;
  return Array.isArray(metrics) ? metrics : [];
}

/** Preview: what the sink would be sent, sending nothing (--dry-run). */
async function preview(document: ValidDocument, sink: ChosenSink, options: PipelineOptions, logger: Logger): Promise<PipelineResult> {
  const { pieces, series } = await sink.preview(document, { job: options.job, grouping: options.grouping, logger });
  const records = document.records.length;
  if (options.writePreview !== undefined) {
    for (const piece of pieces) options.writePreview(piece);
    return { sink: sink.name, records, series };
  }
  const text = [...pieces].join('');
  const shown = sink.name === 'pushgateway' ? { exposition: text } : { writeText: text };
  return { sink: sink.name, preview: text, ...shown, records, series };
}

/**
 * Send: the records to the sink as they are checked, every request within the run's deadline. A refusal
 * of the input is the run's answer, however the request it cut off ended: nothing was pushed.
 */
async function send(checking: Checking, sink: ChosenSink, options: PipelineOptions, deadlineAt: number, logger: Logger): Promise<PipelineResult> {
  // A refusal also ends the request in flight, and a wait between retries: there is nothing left to send.
  const refused = new AbortController();
  checking.whole.catch(() => refused.abort());
  const signal = options.signal === undefined ? refused.signal : AbortSignal.any([options.signal, refused.signal]);
  try {
    const job = requireJob(options);
    const sent = await sink.send(checking, { ...connectionOf({ ...options, signal }, deadlineAt, logger), job, grouping: options.grouping });
    const { records } = await checking.whole;
    const named = sink.name === 'pushgateway' ? { push: sent as PushgatewayResult } : { write: sent as RemoteWriteResult };
    return { sink: sink.name, records: records.length, series: sent.series, sent, ...named };
  } catch (error) {
    // The input's own problems come first, as when nothing had been sent (a missing job included).
    await beforeSending(options, () => checking.whole);
    throw error;
  }
}

/** How the run reaches the server, every setting named (a new one left out fails to compile), its retries within the run's deadline. */
function connectionOf(options: PipelineOptions, deadlineAt: number, logger: Logger): { [Setting in keyof Required<ConnectionOptions>]: ConnectionOptions[Setting] } & { logger: Logger } {
  const { retry, credentials, tls, headers, dispatcher, env, signal, nameOption } = options;
  return { retry: { ...retry, deadlineAt }, credentials, tls, headers, dispatcher, env, signal, logger, nameOption };
}

/** Stops a run before it sends: on its signal, or when the process nears its memory limit. */
function stopCheck(options: PipelineOptions): () => void {
  const { memory, signal } = options;
  return () => {
    if (signal?.aborted) throw stoppedBeforeSending(signal);
    if (memory !== undefined) checkMemory(memory, 'while validating');
  };
}

function requireJob(options: PipelineOptions): string {
  const job = options.job;
  if (job === undefined || job === '') throw new ConfigError('no job to push as: a push needs a job name');
  return job;
}

/** A problem found before a request is sent means nothing was pushed, and a push (not a dry run) says so. */
async function beforeSending<T>(options: PipelineOptions, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof DataError && !options.dryRun ? error.withSummary((summary) => `${summary}; nothing was pushed`) : error;
  }
}

/** loadInput, reading no more than fits the memory budget: a larger input is refused before it is read (71). */
async function loadWithinMemory(options: PipelineOptions, s3: PipelineOptions['s3']): Promise<LoadedInput> {
  const maxInputBytes = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const fits = options.memory === undefined ? Infinity : inputBytesThatFit(options.memory);
  try {
    return await loadInput({ ...options, maxInputBytes: Math.min(maxInputBytes, fits), s3 });
  } catch (error) {
    const overMemory = error instanceof InputTooLargeError && fits < maxInputBytes && !(error.size !== undefined && error.size > maxInputBytes);
    throw overMemory ? inputWillNotFit(error.origin, error.size, options.memory!) : error;
  }
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
