import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/index.js';
import { renderRuleFile } from '../../src/generate/ruleFile.js';
import { alertRules } from '../../src/generate/rules.js';
import { promtoolTestRules } from '../support/promtool.js';

/**
 * `promtool test rules` on generated rules: series as Prometheus stores them after scraping the
 * Pushgateway with honor_labels (no `instance` label for a group pushed without one), evaluated minute
 * by minute. The test file is written as JSON, not by simplepipe's YAML writer, so the label and
 * annotation text that Prometheus reads back from the generated file is checked against text that
 * took another way. (JSON leaves U+2028 as it is, which YAML reads as a line break, so the JSON
 * here escapes it: see asYaml.)
 */
const SEVERITY = 'critical \u2028 «on»';
const document = {
  labels: { model: 'churn-classifier' },
  expect: { every: '1h' },
  metrics: [
    { name: 'model_accuracy_ratio', description: 'Accuracy', value: 0.913, metric_type: 'gauge', expect: { min: 0.9, severity: SEVERITY } },
    { name: 'run_seconds', description: 'Run time', value: 60, metric_type: 'gauge', expect: { max: 3600, for: '5m', labels: { team: 'ml' } } },
  ],
};
const target = { job: 'train' };
const rules = renderRuleFile(alertRules(validateDocument(document, target), target), target, 'prometheus');

const accuracy = 'model_accuracy_ratio{job="train",model="churn-classifier"}';
const pushedAt = (minutes: number) => ({ series: 'push_time_seconds{job="train"}', values: `${minutes * 60}+0x120` });
const accuracyAlert = (value: string, labels: Record<string, string> = {}) => ({
  exp_labels: { severity: SEVERITY, job: 'train', model: 'churn-classifier', ...labels },
  exp_annotations: {
    summary: `model_accuracy_ratio is ${value}, expected at least 0.9`,
    description: `The last push of job train set model_accuracy_ratio to ${value}; its metric file expects at least 0.9.`,
  },
});

/** The absent alert of job train, carrying the job and any further equality matchers of its selector. */
const absentAlert = (labels: Record<string, string>) => ({
  exp_labels: { severity: 'warning', job: 'train', ...labels },
  exp_annotations: {
    summary: 'Job train has no group on the Pushgateway',
    description: 'No push_time_seconds of job train for 1h: the job never pushed, its group was deleted, or the Pushgateway is not scraped.',
  },
});

const tests = {
  rule_files: ['rules.yml'],
  evaluation_interval: '1m',
  tests: [
    {
      name: 'a value under min fires, a good value resolves it, NaN fires again',
      interval: '1m',
      input_series: [{ series: accuracy, values: '0.85x9 0.95x9 NaN NaN NaN NaN NaN' }, pushedAt(0)],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'TrainModelAccuracyRatioBelowMin', exp_alerts: [accuracyAlert('0.85')] },
        { eval_time: '15m', alertname: 'TrainModelAccuracyRatioBelowMin', exp_alerts: [] },
        { eval_time: '22m', alertname: 'TrainModelAccuracyRatioBelowMin', exp_alerts: [accuracyAlert('NaN')] },
      ],
    },
    {
      name: 'the bound is inclusive',
      interval: '1m',
      input_series: [{ series: accuracy, values: '0.9x10' }, { series: 'run_seconds{job="train",model="churn-classifier"}', values: '3600x10' }, pushedAt(0)],
      alert_rule_test: [
        { eval_time: '9m', alertname: 'TrainModelAccuracyRatioBelowMin', exp_alerts: [] },
        { eval_time: '9m', alertname: 'TrainRunSecondsAboveMax', exp_alerts: [] },
      ],
    },
    {
      name: 'a value above max fires once it has lasted `for`',
      interval: '1m',
      input_series: [{ series: 'run_seconds{job="train",model="churn-classifier"}', values: '4000x10' }, pushedAt(0)],
      alert_rule_test: [
        { eval_time: '4m', alertname: 'TrainRunSecondsAboveMax', exp_alerts: [] },
        {
          eval_time: '6m',
          alertname: 'TrainRunSecondsAboveMax',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', team: 'ml', job: 'train', model: 'churn-classifier' },
              exp_annotations: {
                summary: 'run_seconds is 4000, expected at most 3600',
                description: 'The last push of job train set run_seconds to 4000; its metric file expects at most 3600.',
              },
            },
          ],
        },
      ],
    },
    {
      name: 'a group older than every is stale',
      interval: '1m',
      input_series: [pushedAt(0)],
      alert_rule_test: [
        { eval_time: '59m', alertname: 'TrainGroupStale', exp_alerts: [] },
        {
          eval_time: '61m',
          alertname: 'TrainGroupStale',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', job: 'train' },
              exp_annotations: {
                summary: 'Job train last pushed 1h 1m 0s ago, expected every 1h',
                description: 'The last successful push of job train to the Pushgateway was 1h 1m 0s ago; its metric file expects a push at least every 1h.',
              },
            },
          ],
        },
      ],
    },
    {
      name: 'a failed push after the last good one fires',
      interval: '1m',
      input_series: [pushedAt(1), { series: 'push_failure_time_seconds{job="train"}', values: '0x2 120x10' }],
      alert_rule_test: [
        { eval_time: '1m', alertname: 'TrainLastPushFailed', exp_alerts: [] },
        {
          eval_time: '3m',
          alertname: 'TrainLastPushFailed',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', job: 'train' },
              exp_annotations: {
                summary: 'The last push of job train failed',
                description: 'The Pushgateway refused the last push of job train (at 1970-01-01 00:02:00 +0000 UTC); it still serves the values of the push before.',
              },
            },
          ],
        },
      ],
    },
    {
      name: 'an absent group fires after every; another group of the job, or another job, does not count',
      interval: '1m',
      input_series: [
        { series: 'push_time_seconds{job="train",instance="other"}', values: '0+0x120' },
        { series: 'push_time_seconds{job="predict"}', values: '0+0x120' },
        { series: 'model_accuracy_ratio{job="train",instance="other",model="churn-classifier"}', values: '0.1x120' },
      ],
      alert_rule_test: [
        { eval_time: '59m', alertname: 'TrainGroupAbsent', exp_alerts: [] },
        { eval_time: '61m', alertname: 'TrainGroupAbsent', exp_alerts: [absentAlert({})] },
        { eval_time: '61m', alertname: 'TrainModelAccuracyRatioBelowMin', exp_alerts: [] },
        { eval_time: '61m', alertname: 'TrainGroupStale', exp_alerts: [] },
      ],
    },
    {
      name: 'in a cluster the series carry namespace, pod and service labels: the alerts fire and keep them',
      interval: '1m',
      input_series: [
        { series: 'model_accuracy_ratio{job="train",model="churn-classifier",namespace="team-a",service="pushgateway"}', values: '0.5x10' },
        { series: 'push_time_seconds{job="train",namespace="team-a",service="pushgateway"}', values: '0+0x10' },
      ],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'TrainModelAccuracyRatioBelowMin', exp_alerts: [accuracyAlert('0.5', { namespace: 'team-a', service: 'pushgateway' })] },
        { eval_time: '5m', alertname: 'TrainGroupAbsent', exp_alerts: [] },
      ],
    },
  ],
};

/** JSON is YAML, once the characters YAML reads as line breaks and JSON does not are escaped. */
const asYaml = (value: unknown): string => JSON.stringify(value, null, 2).replace(/[\x85\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The same file's rules scoped to team-a's gateway with --namespace. */
const scoped = { job: 'train', namespace: 'team-a' };
const scopedRules = renderRuleFile(alertRules(validateDocument(document, scoped), scoped), scoped, 'prometheus');
const namespaceTests = {
  rule_files: ['rules.yml'],
  evaluation_interval: '1m',
  tests: [
    {
      name: 'with --namespace, another team’s group of the same job neither fires the bounds nor counts as present',
      interval: '1m',
      input_series: [
        { series: 'model_accuracy_ratio{job="train",model="churn-classifier",namespace="team-b"}', values: '0.1x120' },
        { series: 'push_time_seconds{job="train",namespace="team-b"}', values: '0+0x120' },
      ],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'TrainModelAccuracyRatioBelowMin', exp_alerts: [] },
        { eval_time: '61m', alertname: 'TrainGroupAbsent', exp_alerts: [absentAlert({ namespace: 'team-a' })] },
      ],
    },
    {
      name: 'with --namespace, the team’s own series fire',
      interval: '1m',
      input_series: [
        { series: 'model_accuracy_ratio{job="train",model="churn-classifier",namespace="team-a"}', values: '0.5x10' },
        { series: 'push_time_seconds{job="train",namespace="team-a"}', values: '0+0x10' },
      ],
      alert_rule_test: [
        { eval_time: '5m', alertname: 'TrainModelAccuracyRatioBelowMin', exp_alerts: [accuracyAlert('0.5', { namespace: 'team-a' })] },
      ],
    },
  ],
};

describe('the generated rules under promtool test rules', () => {
  it('fire below min, above max after for, on NaN, for a stale, failed or absent group, and only then', () => {
    const output = promtoolTestRules(asYaml(tests), { 'rules.yml': rules });
    expect(output).toContain('SUCCESS');
  });

  it('scoped with --namespace, watch only the series of that namespace', () => {
    expect(promtoolTestRules(asYaml(namespaceTests), { 'rules.yml': scopedRules })).toContain('SUCCESS');
  });

  it('fail when an expectation is wrong, so the test above can fail', () => {
    const wrong = structuredClone(tests);
    wrong.tests[0]!.alert_rule_test[1]!.eval_time = '5m';
    expect(() => promtoolTestRules(asYaml(wrong), { 'rules.yml': rules })).toThrow(/FAILED/);
  });
});
