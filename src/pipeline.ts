import { renderExposition } from './convert/render.js';
import { noopLogger, type Logger } from './log.js';
import { pushToGateway, type PushOptions, type PushResult } from './sink/pushgateway/push.js';
import { DataError, formatIssues, type DataIssue } from './errors.js';
import { DEFAULT_RETRY_POLICY, withDeadlineFromNow } from './net/retry.js';
import type { Labels, ValidRecord } from './records.js';
import { loadInput, type InputSpec, type LoadedInput } from './source/index.js';
import { nameInlineFlag, nameInlineFlags } from './source/inline.js';
import { validate, type ValidateOptions } from './validate/index.js';

export interface PipelineOptions extends InputSpec, PushOptions {
  /** Labels added to every series. */
  labels?: Labels;
  /** Render the exposition text but send nothing. */
  dryRun?: boolean;
  /** Names that break Prometheus naming conventions are errors (65), not warnings. */
  strict?: boolean;
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
  // One clock for the whole run: the S3 fetch, the push and --verify end by the same instant (--deadline).
  const { deadlineAt } = withDeadlineFromNow({ ...DEFAULT_RETRY_POLICY, ...options.retry });
  const retry = { ...options.retry, deadlineAt };
  const s3 = { ...options.s3, retry: { ...(options.s3?.retry ?? options.retry), deadlineAt }, signal: options.s3?.signal ?? options.signal, logger };
  const input = await loadInput({ ...options, s3 });
  logger.info(`read ${input.origin}`, { bytes: input.bytes });

  const records = validateInput(input, { job: options.job, grouping: options.grouping, labels: options.labels, strict: options.strict }, logger);
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
  const push = await pushToGateway(exposition, { ...options, retry, logger });
  logger.info(`pushed ${records.length} series to ${push.url}`, {
    method: options.method ?? 'PUT',
    status: push.status,
    attempts: push.attempts,
    ms: Math.round(push.durationMs),
  });
  return { exposition, series: records.length, push };
}

/**
 * validate() on a loaded input; a problem in an inline record names its --metric flag, not an array index.
 * Naming warnings go to `logger` (the first MAX_LOGGED_WARNINGS of them).
 */
export function validateInput(input: LoadedInput, options: ValidateOptions, logger: Logger = noopLogger): ValidRecord[] {
  const warn = (warnings: readonly DataIssue[]): void => {
    const shown = warnings.slice(0, MAX_LOGGED_WARNINGS).map((warning) => nameInlineFlag(warning, input.flagByPointer));
    const more = warnings.length > shown.length ? `\n  … and ${warnings.length - shown.length} more` : '';
    const count = warnings.length === 1 ? '1 naming problem' : `${warnings.length} naming problems`;
    logger.warn(`${count}, as promtool check metrics would report (names are pushed as written; --strict makes these errors, exit 65):\n${formatIssues(shown)}${more}`);
  };
  try {
    return validate(input.document, { warn, ...options });
  } catch (error) {
    throw error instanceof DataError ? nameInlineFlags(error, input.flagByPointer) : error;
  }
}

/** A file of 100,000 badly named metrics should not print 100,000 lines. */
const MAX_LOGGED_WARNINGS = 100;
