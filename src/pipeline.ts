import { renderExposition } from './convert/render.js';
import { countSeries } from './convert/exposition.js';
import { noopLogger, type Logger } from './log.js';
import { pushToGateway, type PushOptions, type PushResult } from './sink/pushgateway/push.js';
import { ConfigError, DataError, formatIssues, type DataIssue } from './errors.js';
import { DEFAULT_RETRY_POLICY, withDeadlineFromNow } from './net/retry.js';
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
  /** Names that break Prometheus naming conventions are errors (65), not warnings. */
  strict?: boolean;
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
  // One clock for the whole run: the S3 fetch, the push and --verify end by the same instant (--deadline).
  const deadlineAt = withDeadlineFromNow({ ...DEFAULT_RETRY_POLICY, ...options.retry }).deadlineAt!;
  const { records, exposition, series } = await readAndConvert(options, deadlineAt, logger);
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
  const push = await pushToGateway(exposition, { ...options, retry: { ...options.retry, deadlineAt }, job, logger });
  return { exposition, ...counts, push };
}

/** Read, validate, render: everything before a request is sent, so a problem here means nothing was pushed. */
async function readAndConvert(
  options: PipelineOptions,
  deadlineAt: number,
  logger: Logger,
): Promise<{ records: ValidRecord[]; exposition: string; series: number }> {
  try {
    const retry = { ...(options.s3?.retry ?? options.retry), deadlineAt };
    const s3 = { ...options.s3, retry, signal: options.s3?.signal ?? options.signal, logger };
    const input = await loadInput({ ...options, s3 });
    logger.info(`read ${input.origin}`, { format: input.format, bytes: input.bytes });
    const records = validateInput(input, { job: options.job, grouping: options.grouping, labels: options.labels, strict: options.strict }, logger);
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
 * converted document's JSON pointer. Naming warnings go to `logger`, placed alike.
 */
export function validateInput(input: LoadedInput, options: ValidateOptions, logger: Logger = noopLogger): ValidRecord[] {
  return validateInputDocument(input, options, logger).records;
}

/** validateInput(), also returning the file's own `expect` (for the generators). */
export function validateInputDocument(input: LoadedInput, options: ValidateOptions, logger: Logger = noopLogger): ValidDocument {
  const origin = options.origin ?? input.origin;
  let validated: ValidDocument = { records: [] };
  let found: DataError | undefined;
  const warn = (warnings: readonly DataIssue[]): void => {
    const placed = input.places === undefined ? warnings : locateIssues(warnings, recordPrefix(input.document), input.places);
    logNamingWarnings(placed, logger);
  };
  try {
    validated = validateDocument(input.document, { warn, ...options, origin });
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

/** A file of 100,000 badly named metrics should not print 100,000 lines. */
const MAX_LOGGED_WARNINGS = 100;

function logNamingWarnings(warnings: readonly DataIssue[], logger: Logger): void {
  const shown = warnings.slice(0, MAX_LOGGED_WARNINGS);
  const more = warnings.length > shown.length ? `\n  … and ${warnings.length - shown.length} more` : '';
  const count = warnings.length === 1 ? '1 naming problem' : `${warnings.length} naming problems`;
  logger.warn(`${count}, as promtool check metrics would report (names are pushed as written; --strict makes these errors, exit 65):\n${formatIssues(shown)}${more}`);
}
