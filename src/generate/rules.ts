import { DataError, OptionError } from '../errors.js';
import type { Labels, ValidDocument, ValidRecord } from '../records.js';
import { parsePrometheusDuration } from '../validate/duration.js';
import { baselineRecords, historyAlerts } from './historyAlerts.js';
import type { AlertRule, RecordAlertShape, RuleGroup } from './ruleTypes.js';
import { groupMatchers, promqlNumber, seriesSelector, type RuleTarget } from './selector.js';

export type { AlertRule, RecordAlertShape, RecordingRule, RuleGroup } from './ruleTypes.js';

/** The severity of an alert whose expectation names none, and of the freshness alerts. */
export const DEFAULT_SEVERITY = 'warning';

/**
 * The alerts a validated metric file asks for: one per bound of each record's `expect`, matching
 * exactly the series the push creates, and, from the file's `expect.every`, three about the group
 * itself (too old, last push failed, absent). Names derive from the job and the metric, so the same
 * file and target always give the same rules.
 */
export function alertRules(document: ValidDocument, target: RuleTarget): RuleGroup {
  checkTarget(document.records, target);
  const prefix = camelCase(target.job);
  const rules = document.records.flatMap((record) => expectationAlerts(record, target, prefix));
  const records = document.records.flatMap((record) => baselineRecords(record, target));
  if (document.expect?.every !== undefined) rules.push(...freshnessAlerts(document.expect.every, target, prefix));
  if (rules.length === 0) {
    throw new DataError('the metric file states no expectation ("expect" on a record, or "expect": {"every": ...} on the file): there is no rule to generate');
  }
  const name = ['simplepipe', 'job', target.job, ...Object.entries(target.grouping ?? {}).flat()].join('/');
  return records.length === 0 ? { name, rules } : { name, records, rules };
}

function expectationAlerts(record: ValidRecord, target: RuleTarget, prefix: string): AlertRule[] {
  const expect = record.expect;
  if (expect === undefined) return [];
  const shape: RecordAlertShape = {
    name: `${prefix}${camelCase(record.name)}`,
    ...(expect.for === undefined ? {} : { for: expect.for }),
    labels: { severity: DEFAULT_SEVERITY, ...withSeverity(expect.severity), ...expect.labels },
  };
  return [...boundAlerts(record, target, shape), ...historyAlerts(record, target, shape)];
}

/**
 * `x unless x >= min` rather than `x < min`: it also fires for NaN, which no comparison keeps and
 * which is no value a pipeline expects. The alert's value is the pushed one.
 */
function boundAlerts(record: ValidRecord, target: RuleTarget, shape: RecordAlertShape): AlertRule[] {
  const expect = record.expect!;
  const selector = seriesSelector(record.name, record.labels, target);
  const bounds = [
    { bound: expect.min, keep: '>=', words: 'at least', suffix: 'BelowMin' },
    { bound: expect.max, keep: '<=', words: 'at most', suffix: 'AboveMax' },
  ];
  return bounds.flatMap(({ bound, keep, words, suffix }): AlertRule[] => {
    if (bound === undefined) return [];
    const limit = promqlNumber(bound);
    return [
      {
        alert: `${shape.name}${suffix}`,
        expr: `${selector} unless ${selector} ${keep} ${limit}`,
        ...(shape.for === undefined ? {} : { for: shape.for }),
        labels: shape.labels,
        annotations: {
          summary: `${record.name} is {{ $value }}, expected ${words} ${limit}`,
          description: `The last push of job {{ $labels.job }} set ${record.name} to {{ $value }}; its metric file expects ${words} ${limit}.`,
          ...expect.annotations,
        },
      },
    ];
  });
}

function withSeverity(severity: string | undefined): Labels {
  return severity === undefined ? {} : { severity };
}

/** The Pushgateway's own series about the group: `push_time_seconds` and `push_failure_time_seconds`. */
function freshnessAlerts(every: string, target: RuleTarget, prefix: string): AlertRule[] {
  const group = groupMatchers(target).join(',');
  const pushTime = `push_time_seconds{${group}}`;
  const parsed = parsePrometheusDuration(every);
  if (!('ms' in parsed)) throw new Error(`"${every}" passed validation but is not a duration`);
  const labels = { severity: DEFAULT_SEVERITY };
  return [
    {
      alert: `${prefix}GroupStale`,
      expr: `time() - ${pushTime} > ${promqlNumber(parsed.ms / 1000)}`,
      labels,
      annotations: {
        summary: `Job {{ $labels.job }} last pushed {{ $value | humanizeDuration }} ago, expected every ${every}`,
        description: `The last successful push of job {{ $labels.job }} to the Pushgateway was {{ $value | humanizeDuration }} ago; its metric file expects a push at least every ${every}.`,
      },
    },
    {
      alert: `${prefix}LastPushFailed`,
      expr: `push_failure_time_seconds{${group}} > ${pushTime}`,
      labels,
      annotations: {
        summary: 'The last push of job {{ $labels.job }} failed',
        description: 'The Pushgateway refused the last push of job {{ $labels.job }} (at {{ $value | humanizeTimestamp }}); it still serves the values of the push before.',
      },
    },
    {
      // Given `for`, an absent group alerts only once it has been missing as long as a push may be late.
      alert: `${prefix}GroupAbsent`,
      expr: `absent(${pushTime})`,
      for: every,
      labels,
      annotations: {
        summary: 'Job {{ $labels.job }} has no group on the Pushgateway',
        description: `No push_time_seconds of job {{ $labels.job }} for ${every}: the job never pushed, its group was deleted, or the Pushgateway is not scraped.`,
      },
    },
  ];
}

function checkTarget(records: readonly ValidRecord[], target: RuleTarget): void {
  const grouping = { ...target.grouping, job: target.job };
  for (const label of target.runLabels ?? []) {
    if (Object.hasOwn(grouping, label)) throw new OptionError(['runLabels'], `${label}: "${label}" is part of the grouping key, not a series label`);
    if (!records.some((record) => (record.labels[label] ?? '') !== '')) {
      throw new OptionError(['runLabels'], `${label}: no series of the metric file carries this label`);
    }
  }
  if (target.namespace === undefined) return;
  if (target.namespace === '') throw new OptionError(['namespace'], 'must not be empty');
  // In a cluster the scrape stamps every series with the gateway's namespace (docs/multi-tenancy.md), over a pushed one.
  if (Object.hasOwn(grouping, 'namespace') || records.some((record) => Object.hasOwn(record.labels, 'namespace'))) {
    throw new OptionError(['namespace'], 'does not fit: the push gives its series a "namespace" label of its own, which the scrape replaces with the gateway\'s namespace');
  }
}

/** `timed-job` → `TimedJob`, `model_accuracy_ratio` → `ModelAccuracyRatio`: the words of a name, capitalised. */
export function camelCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
