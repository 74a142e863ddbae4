import type { FileExpectation, HistoryExpectation, Labels, MetricRecord, RecordExpectation } from '../records.js';
import { DURATION_MESSAGES, parsePrometheusDuration } from './duration.js';
import { RESERVED_LABEL_NAME } from './labelNames.js';
import type { Problem } from './places.js';
import { checkText as checkWellFormed, type Report } from './report.js';
import { escapePointer } from './schema.js';
import { OUT_OF_RANGE } from './values.js';

/**
 * The checks on a record's `expect` that the schema cannot make. Bounds compare one sample, so only a
 * gauge or counter has them: a summary's or histogram's series are quantiles, buckets and counts, and
 * an info record's value is always 1.
 */
export function checkRecordExpectation(record: MetricRecord, groupingKey: Labels, report: Report): void {
  const expect = record.expect;
  if (expect === undefined) return;
  const at = (field: string): string => `expect/${field}`;
  const bounds = (['min', 'max'] as const).filter((bound) => expect[bound] !== undefined);

  if (record.metric_type !== 'gauge' && record.metric_type !== 'counter') {
    const where = bounds.length > 0 ? at(bounds[0]!) : expect.history !== undefined ? at('history') : 'expect';
    report(where, `a ${record.metric_type} has no single value to bound; "expect" applies to a gauge or counter`);
    return;
  }
  if (bounds.length === 0 && expect.history === undefined) {
    report('expect', 'needs "min", "max", "history" or more: an expectation without a bound never alerts');
  }
  for (const bound of bounds) if (!Number.isFinite(expect[bound])) report(at(bound), 'must be a finite number');
  if (expect.history !== undefined) checkHistory(expect.history, report);
  if (expect.min !== undefined && expect.max !== undefined && expect.min > expect.max) {
    report(at('min'), `is above "max" (${expect.max}): no value could meet both bounds`);
  }
  if (expect.for !== undefined) checkDuration(expect.for, at('for'), report);
  checkAlertLabels(expect, groupingKey, report);
  // Not a schema minLength: ajv's standalone code would require() a runtime helper the ESM library cannot load.
  if (expect.severity === '') report(at('severity'), 'must not be empty: an empty label is no label');
  checkText(expect.severity, at('severity'), report);
  for (const [name, value] of Object.entries(expect.annotations ?? {})) checkText(value, at(`annotations/${escapePointer(name)}`), report);
}

/** A history bound is a fraction of the baseline; a window of nothing holds no run to compare with. */
function checkHistory(history: HistoryExpectation, report: Report): void {
  const fractions = (['maxDrop', 'maxRise'] as const).filter((bound) => history[bound] !== undefined);
  if (fractions.length === 0) report('expect/history', 'needs "maxDrop", "maxRise" or both: a history without a bound never alerts');
  for (const bound of fractions) if (!Number.isFinite(history[bound])) report(`expect/history/${bound}`, OUT_OF_RANGE);
  if (checkDuration(history.window, 'expect/history/window', report) === 0) {
    report('expect/history/window', 'must be longer than 0: the baseline is the median of the runs within it');
  }
}

function checkAlertLabels(expect: RecordExpectation, groupingKey: Labels, report: Report): void {
  for (const [name, value] of Object.entries(expect.labels ?? {})) {
    const field = `expect/labels/${escapePointer(name)}`;
    if (name.startsWith('__')) report(field, RESERVED_LABEL_NAME);
    else if (name === 'alertname') report(field, '"alertname" is set by the generated rule');
    else if (Object.hasOwn(groupingKey, name)) report(field, `"${name}" is part of the grouping key, which the alert carries as pushed`);
    else if (name === 'severity' && expect.severity !== undefined) report(field, 'the severity is given twice: here and as "expect/severity"');
    checkText(value, field, report);
  }
}

/** The file's `expect`: `every` is a gap between pushes and `ttl` a lifetime, so each must be longer than nothing. */
export function checkFileExpectation(expect: FileExpectation | undefined, pointer: string): Problem[] {
  const issues: Problem[] = [];
  if (typeof expect !== 'object' || expect === null || Array.isArray(expect)) return issues;
  if (Object.keys(expect).length === 0) issues.push({ pointer, message: 'needs "every", "ttl" or both: an empty expectation expects nothing' });
  const report: Report = (field, message) => issues.push({ pointer: `${pointer}/${field}`, message });
  if (typeof expect.every === 'string' && checkDuration(expect.every, 'every', report) === 0) {
    report('every', 'must be longer than 0: it is the longest allowed gap between two pushes');
  }
  if (typeof expect.ttl === 'string' && checkDuration(expect.ttl, 'ttl', report) === 0) {
    report('ttl', 'must be longer than 0: the group would expire as it is pushed');
  }
  return issues;
}

/** The schema already refuses a malformed duration; this adds what a pattern cannot see. */
function checkDuration(text: string, field: string, report: Report): number | undefined {
  const parsed = parsePrometheusDuration(text);
  if ('ms' in parsed) return parsed.ms;
  if (parsed.problem === 'too long') report(field, DURATION_MESSAGES['too long']);
  return undefined;
}

function checkText(text: string | undefined, field: string, report: Report): void {
  if (text !== undefined) checkWellFormed(text, field, report);
}
