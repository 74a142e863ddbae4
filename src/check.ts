/** The checks of a push before anything is sent: validation of a loaded input, placed where each record was written, and the push limits. */

import { DataError, formatIssues, type DataIssue } from './errors.js';
import { limitIssues, type PushLimits } from './limits.js';
import { noopLogger, type Logger } from './log.js';
import type { ValidDocument, ValidRecord } from './records.js';
import type { LoadedInput } from './source/index.js';
import { recordPrefix } from './source/places.js';
import { problemsError, sortByPointer, validateDocumentSteps, type ValidateOptions } from './validate/index.js';
import { documentPlaces, placeProblems } from './validate/places.js';
import type { CheckProgress } from './validate/semantic.js';
import { runSteps, type Steps } from './validate/steps.js';

/**
 * validate() on a loaded input, with the problems found while reading it. Each problem is placed where
 * it was written (a line of a JSON Lines file, a Kubeflow Pipelines entry, a --metric flag), not at the
 * converted document's JSON pointer. Naming warnings go to `logger`, placed alike.
 */
export function validateInput(input: LoadedInput, options: PushCheckOptions, logger: Logger = noopLogger): ValidRecord[] {
  return validateInputDocument(input, options, logger).records;
}

/**
 * validateInput(), also returning the file's own `expect` (for the generators). What the input says that
 * is read past (an unknown field, a duplicate key, a number beyond float64) is a warning on `logger`, or
 * with `strict` a problem like any other.
 */
export function validateInputDocument(input: LoadedInput, options: PushCheckOptions, logger: Logger = noopLogger): ValidDocument {
  return runSteps(validateInputSteps(input, options, logger));
}

/** What a push is checked against besides validation: the limits of what it may ask of the gateway. */
export interface PushCheckOptions extends ValidateOptions {
  limits?: PushLimits;
}

/** validateInputDocument in steps (steps.ts); `progress` is told as records pass their own checks (a push sends them meanwhile). */
export function* validateInputSteps(input: LoadedInput, options: PushCheckOptions, logger: Logger, progress?: CheckProgress): Steps<ValidDocument> {
  const origin = options.origin ?? input.origin;
  // The validator places every problem itself, from the index of its record: nothing is read back out of its messages.
  const places = input.places ?? documentPlaces(recordPrefix(input.document));
  let validated: ValidDocument = { records: [] };
  let found: DataError | undefined;
  const readPast: DataIssue[] = [...(input.warnings ?? [])];
  const strict = options.nameOption?.('strict') ?? 'strict';
  const warn = (warnings: readonly DataIssue[]): void => logNamingWarnings(warnings, strict, logger);
  const warnUnknownFields = (warnings: readonly DataIssue[]): void => void readPast.push(...warnings);
  try {
    validated = yield* validateDocumentSteps(input.document, { warn, warnUnknownFields, ...options, origin }, places, progress);
    if (options.limits !== undefined) {
      const groupingKey = { ...options.grouping, job: options.job ?? '' };
      const over = limitIssues(validated.records, groupingKey, options.limits, recordPrefix(input.document), options.nameOption);
      if (over.length > 0) throw problemsError(origin, placeProblems(over, places));
    }
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    found = error;
  }
  // The reader's findings are the input's own words: with `strict`, problems like the reader's issues.
  const readerIssues = options.strict ? [...input.issues, ...(input.warnings ?? [])] : input.issues;
  if (found === undefined && readerIssues.length === 0) {
    if (readPast.length > 0) logReadPast(origin, sortByPointer(readPast), strict, logger);
    return validated;
  }
  if (readerIssues.length === 0) throw found!;
  const located = found === undefined ? [] : found.issues;
  // The reader's issues and the validator's point into the same records, each list in record order.
  const issues = sortByPointer([...readerIssues, ...located]);
  throw problemsError(origin, issues, found?.truncated ?? false);
}

/** A file of 100,000 badly named metrics should not print 100,000 lines. */
const MAX_LOGGED_WARNINGS = 100;

/** Fields ignored, duplicate keys, numbers beyond float64: pushed as read, and said once, before the push. */
function logReadPast(origin: string, warnings: readonly DataIssue[], strict: string, logger: Logger): void {
  const shown = warnings.slice(0, MAX_LOGGED_WARNINGS);
  const more = warnings.length > shown.length ? `\n  … and ${warnings.length - shown.length} more` : '';
  logger.warn(`${origin}: ${plural(warnings.length, 'warning')} (${strict} makes these errors, exit 65):\n${formatIssues(shown)}${more}`);
}

function logNamingWarnings(warnings: readonly DataIssue[], strict: string, logger: Logger): void {
  const shown = warnings.slice(0, MAX_LOGGED_WARNINGS);
  const more = warnings.length > shown.length ? `\n  … and ${warnings.length - shown.length} more` : '';
  logger.warn(`${plural(warnings.length, 'naming problem')}, as promtool check metrics would report (names are pushed as written; ${strict} makes these errors, exit 65):\n${formatIssues(shown)}${more}`);
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
