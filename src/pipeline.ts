import { renderExposition } from './convert/render.js';
import { countSeries } from './convert/exposition.js';
import { noopLogger, type Logger } from './log.js';
import { pushToGateway, type PushOptions, type PushResult } from './sink/pushgateway/push.js';
import { ConfigError, DataError } from './errors.js';
import type { Labels, ValidDocument, ValidRecord } from './records.js';
import { loadInput, type InputSpec, type LoadedInput } from './source/index.js';
import { locateIssues, recordPrefix } from './source/places.js';
import { problemsError, sortByPointer, validateDocument, type ValidateOptions } from './validate/index.js';

export interface PipelineOptions extends InputSpec, Omit<PushOptions, 'job'> {
  /** The job of the group to push; not needed for a dry run. */
  job?: string;
  /** Labels added to every series. */
  labels?: Labels;
  /** Render the exposition text but send nothing. */
  dryRun?: boolean;
}

export interface PipelineResult {
  exposition: string;
  /** Records of the input, after validation. */
  records: number;
  /** Series the exposition holds, as Prometheus counts them (a histogram's buckets, _sum and _count each). */
  series: number;
  /** Absent on a dry run. */
  push?: PushResult;
}

/** The whole job, top to bottom: read the input, validate it, convert it, push it. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const logger = options.logger ?? noopLogger;
  const { records, exposition, series } = await readAndConvert(options, logger);
  const counts = { records: records.length, series };
  if (options.dryRun) return { exposition, ...counts };

  const job = options.job;
  if (job === undefined || job === '') throw new ConfigError('no job to push as: a push needs a job name');
  logger.debug('pushing', {
    job,
    grouping: JSON.stringify(options.grouping ?? {}),
    timeout_ms: options.retry?.timeoutMs,
    retries: options.retry?.retries,
    deadline_ms: options.retry?.deadlineMs,
  });
  const push = await pushToGateway(exposition, { ...options, job, logger });
  return { exposition, ...counts, push };
}

/** Read, validate, render: everything before a request is sent, so a problem here means nothing was pushed. */
async function readAndConvert(options: PipelineOptions, logger: Logger): Promise<{ records: ValidRecord[]; exposition: string; series: number }> {
  try {
    const s3 = { ...options.s3, retry: options.s3?.retry ?? options.retry, signal: options.s3?.signal ?? options.signal, logger };
    const input = await loadInput({ ...options, s3 });
    logger.info(`read ${input.origin}`, { format: input.format, bytes: input.bytes });
    const records = validateInput(input, { job: options.job, grouping: options.grouping, labels: options.labels });
    const exposition = await renderExposition(records);
    const series = countSeries(exposition);
    logger.info(`validated ${plural(records.length, 'record')} (${plural(series, 'series', 'series')})`, {
      families: new Set(records.map((r) => r.name)).size,
    });
    logger.debug('rendered exposition text', { bytes: Buffer.byteLength(exposition) });
    return { records, exposition, series };
  } catch (error) {
    throw error instanceof DataError && !options.dryRun ? error.withSummary(`${error.summary}; nothing was pushed`) : error;
  }
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/**
 * validate() on a loaded input, with the problems found while reading it. Each problem is placed where
 * it was written (a line of a JSON Lines file, a Kubeflow Pipelines entry, a --metric flag), not at the
 * converted document's JSON pointer.
 */
export function validateInput(input: LoadedInput, options: ValidateOptions): ValidRecord[] {
  return validateInputDocument(input, options).records;
}

/** validateInput(), also returning the file's own `expect` (for the generators). */
export function validateInputDocument(input: LoadedInput, options: ValidateOptions): ValidDocument {
  const origin = options.origin ?? input.origin;
  let validated: ValidDocument = { records: [] };
  let found: DataError | undefined;
  try {
    validated = validateDocument(input.document, { ...options, origin });
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    found = error;
  }
  if (found === undefined && input.issues.length === 0) return validated;
  if (input.places === undefined && input.issues.length === 0) throw found!;
  const located = found === undefined ? [] : input.places === undefined ? [...found.issues] : locateIssues(found.issues, recordPrefix(input.document), input.places);
  // The reader's issues and the validator's point into the same records, each list in record order.
  const issues = input.issues.length === 0 ? located : sortByPointer([...input.issues, ...located]);
  throw problemsError(origin, issues, found?.truncated ?? false);
}
