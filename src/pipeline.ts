import { renderExposition } from './convert/render.js';
import { noopLogger, type Logger } from './log.js';
import { pushToGateway, type PushOptions, type PushResult } from './sink/pushgateway/push.js';
import { renderWriteText } from './sink/remoteWrite/text.js';
import { remoteWrite, type RemoteWriteResult, type RemoteWriteTarget } from './sink/remoteWrite/write.js';
import { DataError } from './errors.js';
import type { Labels, ValidRecord } from './records.js';
import { loadInput, type InputSpec, type LoadedInput } from './source/index.js';
import { nameInlineFlags } from './source/inline.js';
import { validate, type ValidateOptions } from './validate/index.js';

export interface PipelineOptions extends InputSpec, PushOptions {
  /** Labels added to every series. */
  labels?: Labels;
  /** Render what would be sent but send nothing. */
  dryRun?: boolean;
  /** Write the records to this remote-write receiver instead of pushing them to the Pushgateway. */
  remoteWrite?: RemoteWriteTarget;
}

export interface PipelineResult {
  /** The exposition text pushed to the gateway (or, on a dry run, that would be); absent with remote write. */
  exposition?: string;
  /** On a remote-write dry run: the series that would be written, as text with their timestamp. */
  writeText?: string;
  series: number;
  /** The Pushgateway push; absent on a dry run and with remote write. */
  push?: PushResult;
  /** The remote write; absent on a dry run and without `remoteWrite`. */
  write?: RemoteWriteResult;
}

/** The whole job, top to bottom: read the input, validate it, convert it, send it to the sink. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const logger = options.logger ?? noopLogger;
  const s3 = { ...options.s3, retry: options.s3?.retry ?? options.retry, signal: options.s3?.signal ?? options.signal, logger };
  const input = await loadInput({ ...options, s3 });
  logger.info(`read ${input.origin}`, { bytes: input.bytes });

  const records = validateInput(input, { job: options.job, grouping: options.grouping, labels: options.labels });
  logger.info(`validated ${records.length} series`, { families: new Set(records.map((r) => r.name)).size });
  if (options.remoteWrite) return writeToReceiver(records, options, options.remoteWrite, logger);

  const exposition = await renderExposition(records);
  logger.debug('rendered exposition text', { bytes: Buffer.byteLength(exposition) });
  if (options.dryRun) return { exposition, series: records.length };

  logger.debug('pushing', {
    job: options.job,
    grouping: JSON.stringify(options.grouping ?? {}),
    timeout_ms: options.retry?.timeoutMs,
    retries: options.retry?.retries,
    deadline_ms: options.retry?.deadlineMs,
  });
  const push = await pushToGateway(exposition, { ...options, logger });
  logger.info(`pushed ${records.length} series to ${push.url}`, {
    method: options.method ?? 'PUT',
    status: push.status,
    attempts: push.attempts,
    ms: Math.round(push.durationMs),
  });
  return { exposition, series: records.length, push };
}

/** The remote-write sink: no Pushgateway is contacted; job and grouping labels go on every series. */
async function writeToReceiver(records: ValidRecord[], options: PipelineOptions, target: RemoteWriteTarget, logger: Logger): Promise<PipelineResult> {
  const timestampMs = target.timestampMs ?? Date.now();
  if (options.dryRun) {
    const writeText = await renderWriteText(records, { job: options.job, grouping: options.grouping, timestampMs });
    return { writeText, series: records.length };
  }
  const write = await remoteWrite(records, { ...options, ...target, timestampMs, logger });
  logger.info(`wrote ${write.series} series to ${write.url}`, {
    requests: write.requests,
    timestamp_ms: write.timestampMs,
    status: write.status,
    attempts: write.attempts,
    ms: Math.round(write.durationMs),
  });
  return { series: records.length, write };
}

/** validate() on a loaded input; a problem in an inline record names its --metric flag, not an array index. */
export function validateInput(input: LoadedInput, options: ValidateOptions): ValidRecord[] {
  try {
    return validate(input.document, options);
  } catch (error) {
    throw error instanceof DataError ? nameInlineFlags(error, input.flagByPointer) : error;
  }
}
