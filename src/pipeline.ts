import { renderExposition } from './convert/render.js';
import { noopLogger } from './log.js';
import { pushToGateway, type PushOptions, type PushResult } from './sink/pushgateway/push.js';
import { DataError } from './errors.js';
import type { Labels, ValidRecord } from './records.js';
import { loadInput, type InputSpec, type LoadedInput } from './source/index.js';
import { locateIssues, recordPrefix } from './source/places.js';
import { problemsError, sortByPointer, validate, type ValidateOptions } from './validate/index.js';

export interface PipelineOptions extends InputSpec, PushOptions {
  /** Labels added to every series. */
  labels?: Labels;
  /** Render the exposition text but send nothing. */
  dryRun?: boolean;
}

export interface PipelineResult {
  exposition: string;
  series: number;
  /** Absent on a dry run. */
  push?: PushResult;
}

/** The whole job, top to bottom: read the input, validate it, convert it, push it. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const logger = options.logger ?? noopLogger;
  const s3 = { ...options.s3, retry: options.s3?.retry ?? options.retry, signal: options.s3?.signal ?? options.signal, logger };
  const input = await loadInput({ ...options, s3 });
  logger.info(`read ${input.origin}`, { format: input.format, bytes: input.bytes });

  const records = validateInput(input, { job: options.job, grouping: options.grouping, labels: options.labels });
  const exposition = await renderExposition(records);
  logger.info(`validated ${records.length} series`, { families: new Set(records.map((r) => r.name)).size });
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

/**
 * validate() on a loaded input, with the problems found while reading it. Each problem is placed where
 * it was written (a line of a JSON Lines file, a Kubeflow Pipelines entry, a --metric flag), not at the
 * converted document's JSON pointer.
 */
export function validateInput(input: LoadedInput, options: ValidateOptions): ValidRecord[] {
  let records: ValidRecord[] = [];
  let found: DataError | undefined;
  try {
    records = validate(input.document, options);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    found = error;
  }
  if (found === undefined && input.issues.length === 0) return records;
  if (input.places === undefined && input.issues.length === 0) throw found!;
  const located = found === undefined ? [] : input.places === undefined ? [...found.issues] : locateIssues(found.issues, recordPrefix(input.document), input.places);
  // The reader's issues and the validator's point into the same records, each list in record order.
  const issues = input.issues.length === 0 ? located : sortByPointer([...input.issues, ...located]);
  throw problemsError('the input', issues, found?.truncated ?? false);
}
