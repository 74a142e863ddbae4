import { ExpectationError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RetryPolicy } from '../net/retry.js';
import type { Labels, ValidRecord } from '../records.js';
import { queryBaselines } from './baseline.js';
import { expectationViolations, type Baselines } from './violations.js';

export { expectationViolations, type Baselines } from './violations.js';
export { queryBaselines } from './baseline.js';

/** What `--gate` checks: the fixed bounds always, the history bounds against a Prometheus when given one. */
export interface GateOptions {
  /** Base URL of the Prometheus (query API) that holds the job's past runs. */
  baselineFrom?: string;
  /** Series labels whose value changes from run to run: the history spans their values. */
  runLabels?: readonly string[];
}

/** The baselines of the records' history expectations, or none when no Prometheus is given (fixed bounds only). */
export async function gateBaselines(
  records: readonly ValidRecord[],
  gate: GateOptions,
  push: { job?: string; grouping?: Labels; retry?: Partial<RetryPolicy>; signal?: AbortSignal },
  deadlineAt: number,
  logger: Logger,
): Promise<Baselines> {
  if (gate.baselineFrom === undefined) return new Map();
  const target = { job: push.job ?? '', grouping: push.grouping, runLabels: gate.runLabels };
  return queryBaselines(records, target, gate.baselineFrom, { retry: { ...push.retry, deadlineAt }, signal: push.signal, logger });
}

/** Throws ExpectationError, one line per bound a value breaks; `sent` says what became of the values. */
export function checkExpectations(records: readonly ValidRecord[], baselines: Baselines, sent?: string): void {
  const violations = expectationViolations(records, baselines);
  if (violations.length === 0) return;
  const summary = violations.length === 1 ? '1 expectation of the metric file is not met' : `${violations.length} expectations of the metric file are not met`;
  throw new ExpectationError(sent === undefined ? summary : `${summary}; ${sent}`, violations);
}
