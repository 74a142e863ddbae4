import { toExposition } from './convert/exposition.js';
import { toRegistry } from './convert/toRegistry.js';
import { noopLogger } from './log.js';
import { pushToGateway, type PushOptions, type PushResult } from './push/push.js';
import type { Labels } from './records.js';
import { DEFAULT_MAX_INPUT_BYTES, loadInput } from './source/index.js';
import { validate } from './validate/index.js';

export interface PipelineOptions extends PushOptions {
  /** A path, or `-` for stdin. */
  input: string;
  /** Labels added to every series. */
  labels?: Labels;
  maxInputBytes?: number;
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
  const input = await loadInput(options.input, options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES);
  logger.info(`read ${input.origin}`, { bytes: input.bytes });

  const records = validate(input.document, { job: options.job, grouping: options.grouping, labels: options.labels });
  const exposition = await toExposition(toRegistry(records));
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
