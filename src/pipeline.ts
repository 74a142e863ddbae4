import { groupByName } from './convert/families.js';
import { renderFamilies } from './convert/render.js';
import { countRecordSeries } from './convert/series.js';
import { noopLogger, type Logger } from './log.js';
import { groupMetadataRecords } from './sink/pushgateway/groupMetadata.js';
import { pushFamilies, type PushOptions, type PushResult } from './sink/pushgateway/push.js';
import { renderWriteText } from './sink/remoteWrite/text.js';
import { checkTimestamp } from './sink/remoteWrite/timestamp.js';
import { remoteWrite, type RemoteWriteResult, type RemoteWriteTarget } from './sink/remoteWrite/write.js';
import { validateInputSteps } from './check.js';
import { ConfigError, DataError } from './errors.js';
import { checkExpectations, gateBaselines, type GateOptions } from './gate/index.js';
import { DEFAULT_RETRY_POLICY, stoppedBeforeSending, withDeadlineFromNow } from './net/retry.js';
import type { Labels, ValidDocument, ValidRecord } from './records.js';
import { DEFAULT_MAX_INPUT_BYTES, loadInput, type InputSpec, type LoadedInput } from './source/index.js';
import { InputTooLargeError } from './source/readLimited.js';
import { DEFAULT_PUSH_LIMITS, type PushLimits } from './limits.js';
import { checkMemory, inputBytesThatFit, inputWillNotFit, type MemoryBudget } from './memory.js';
import { runStepsYielding } from './validate/steps.js';

export interface PipelineOptions extends InputSpec, Omit<PushOptions, 'job'> {
  /** The job of the group to push (or the `job` label to write); not needed for a dry run. */
  job?: string;
  /** Labels added to every series. */
  labels?: Labels;
  /** Render what would be sent but send nothing. */
  dryRun?: boolean;
  /** Write the records to this remote-write receiver instead of pushing them to the Pushgateway. */
  remoteWrite?: RemoteWriteTarget;
  /** Names that break Prometheus naming conventions, unknown record fields, duplicate keys and numbers beyond float64 are errors (65), not warnings. */
  strict?: boolean;
  /** The label the gateway's tenancy stamp sets (`namespace`): refused on every series and in the grouping key. Pushgateway only. */
  tenantLabel?: string;
  /** What one push may ask of the gateway (default DEFAULT_PUSH_LIMITS). Pushgateway only. */
  limits?: Partial<PushLimits>;
  /** The memory this process may use (readMemoryBudget): an input that will not fit is refused before it is read (71). */
  memory?: MemoryBudget;
  /**
   * How long the pushed group stays meaningful (a Prometheus duration), over the file's `expect.ttl`: stored in
   * the group as simplepipe_group_ttl_seconds for `prune`. Pushgateway only; remote write has no group.
   */
  ttl?: string;
  /** After sending, fail (ExpectationError, exit 79) when a value is outside its record's `expect`. */
  gate?: GateOptions;
}

export interface PipelineResult {
  /** On a Pushgateway dry run: the exposition text that would be pushed. A push renders it while sending and keeps none. */
  exposition?: string;
  /** On a remote-write dry run: the series that would be written, as text with their timestamp. */
  writeText?: string;
  /** Records of the input, after validation. */
  records: number;
  /** Series sent (or, on a dry run, that would be), as Prometheus counts them: a histogram's buckets, _sum and _count each. */
  series: number;
  /** The Pushgateway push; absent on a dry run and with remote write. */
  push?: PushResult;
  /** The remote write; absent on a dry run and without `remoteWrite`. */
  write?: RemoteWriteResult;
}

/** The whole job, top to bottom: read the input, validate it, convert it, send it to the sink. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const logger = options.logger ?? noopLogger;
  // One clock for the whole run: the S3 fetch, the push and --verify end by the same instant (--deadline).
  const deadlineAt = withDeadlineFromNow({ ...DEFAULT_RETRY_POLICY, ...options.retry }).deadlineAt!;
  const document = await beforeSending(options, () => readAndValidate(options, deadlineAt, logger));
  // Asked before sending: every run Prometheus then holds is a past one.
  const baselines = options.gate ? await beforeSending(options, () => gateBaselines(document.records, options.gate!, options, deadlineAt, logger)) : undefined;
  const result = await send(document, options, deadlineAt, logger);
  if (baselines) checkExpectations(document.records, baselines, options.dryRun ? 'nothing was pushed (dry run)' : 'the metrics were pushed');
  return result;
}

async function send(document: ValidDocument, options: PipelineOptions, deadlineAt: number, logger: Logger): Promise<PipelineResult> {
  if (options.remoteWrite) return writeToReceiver(document.records, options, options.remoteWrite, deadlineAt, logger);

  const input = document.records;
  const inputFamilies = groupByName(input);
  const inputSeries = countRecordSeries(input);
  logger.info(`validated ${plural(input.length, 'record')} (${plural(inputSeries, 'series', 'series')})`, { families: inputFamilies.length });
  // The group's own lifetime and push interval go into the group, beside what the file holds: a family each.
  const expect = options.ttl === undefined ? document.expect : { ...document.expect, ttl: options.ttl };
  const metadata = await beforeSending(options, async () => groupMetadataRecords(expect, input));
  const groupedFamilies = [...inputFamilies, ...metadata.map((record) => [record])];
  const counts = { records: input.length, series: inputSeries + metadata.length };
  if (options.dryRun) return { exposition: renderFamilies(groupedFamilies), ...counts };

  const job = requireJob(options);
  logger.debug('pushing', {
    job,
    grouping: JSON.stringify(options.grouping ?? {}),
    timeout_ms: options.retry?.timeoutMs,
    retries: options.retry?.retries,
    deadline_ms: options.retry?.deadlineMs,
  });
  // Encoded while it is sent, once every record is validated; a body cut off is refused whole (see pushFamilies).
  const push = await pushFamilies(groupedFamilies, { ...options, retry: { ...options.retry, deadlineAt }, job, logger });
  return { ...counts, push };
}

/** The remote-write sink: no Pushgateway is contacted; job and grouping labels go on every series. */
async function writeToReceiver(
  records: ValidRecord[],
  options: PipelineOptions,
  target: RemoteWriteTarget,
  deadlineAt: number,
  logger: Logger,
): Promise<PipelineResult> {
  logger.info(`validated ${plural(records.length, 'record')}`, { families: families(records) });
  const timestampMs = target.timestampMs ?? Date.now();
  if (options.dryRun) {
    // A write checks its own timestamp (remoteWrite); a dry run refuses and warns alike.
    checkTimestamp(timestampMs, Date.now(), logger);
    const { text, series } = await renderWriteText(records, { job: options.job, grouping: options.grouping, timestampMs });
    return { writeText: text, records: records.length, series };
  }
  const job = requireJob(options);
  const write = await remoteWrite(records, { ...options, ...target, retry: { ...options.retry, deadlineAt }, job, timestampMs, logger });
  logger.info(`wrote ${plural(write.series, 'series', 'series')} to ${write.url}`, {
    requests: write.requests,
    timestamp_ms: write.timestampMs,
    status: write.status,
    attempts: write.attempts,
    ms: Math.round(write.durationMs),
  });
  return { records: records.length, series: write.series, write };
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
    throw error instanceof DataError && !options.dryRun ? error.withSummary(`${error.summary}; nothing was pushed`) : error;
  }
}

async function readAndValidate(options: PipelineOptions, deadlineAt: number, logger: Logger): Promise<ValidDocument> {
  const retry = { ...(options.s3?.retry ?? options.retry), deadlineAt };
  const s3 = { ...options.s3, retry, signal: options.s3?.signal ?? options.signal, logger };
  const { memory } = options;
  const stopped = (): void => {
    if (options.signal?.aborted) throw stoppedBeforeSending(options.signal);
    if (memory !== undefined) checkMemory(memory, 'while validating');
  };
  stopped();
  const input = await loadWithinMemory(options, s3);
  stopped();
  logger.info(`read ${input.origin}`, { format: input.format, packing: input.packing, bytes: input.bytes });
  const gateway = options.remoteWrite === undefined;
  const validateOptions = {
    job: options.job,
    grouping: options.grouping,
    labels: options.labels,
    strict: options.strict,
    tenantLabel: gateway ? options.tenantLabel : undefined,
    limits: gateway ? { ...DEFAULT_PUSH_LIMITS, ...options.limits } : undefined,
  };
  // Yielding between slices of records: a SIGTERM during the validation of a large file is heard at once.
  const document = await runStepsYielding(validateInputSteps(input, validateOptions, logger), stopped);
  stopped();
  return document;
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

const families = (records: ValidRecord[]): number => new Set(records.map((r) => r.name)).size;

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
