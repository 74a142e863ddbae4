import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/index.js';
import { renderRuleFile } from '../../src/generate/ruleFile.js';
import { alertRules } from '../../src/generate/rules.js';
import type { RuleTarget } from '../../src/generate/selector.js';
import { promtoolTestRules } from '../support/promtool.js';

/**
 * `promtool test rules` on the rules of `expect.history`, with the series as each sink leaves them in
 * Prometheus: from a Pushgateway, a run's value scraped every minute until the next push, with the
 * group's push_time_seconds; by remote write, one sample per run and no push_time_seconds.
 */
const accuracy = (labels: Record<string, string> = {}) => ({
  labels: { model: 'churn', ...labels },
  metrics: [
    {
      name: 'model_accuracy_ratio',
      description: 'Accuracy',
      value: 0.9,
      metric_type: 'gauge',
      expect: { history: { window: '3h', maxDrop: 0.05, maxRise: 0.5 } },
    },
  ],
});
const rulesFor = (document: unknown, target: RuleTarget) => renderRuleFile(alertRules(validateDocument(document, target), target), target, 'prometheus');
const target = { job: 'train' };
const rules = rulesFor(accuracy(), target);

interface Run {
  value: string;
  minutes: number;
}

/** A Pushgateway's series, scraped every minute: each run's value held until the next push, and push_time_seconds. */
function heldRuns(runs: Run[], series = 'model_accuracy_ratio{job="train",model="churn"}') {
  let start = 0;
  const values: string[] = [];
  const pushTimes: string[] = [];
  for (const run of runs) {
    values.push(run.value === 'NaN' ? Array<string>(run.minutes).fill('NaN').join(' ') : `${run.value}x${run.minutes - 1}`);
    pushTimes.push(`${start * 60}x${run.minutes - 1}`);
    start += run.minutes;
  }
  return [
    { series, values: values.join(' ') },
    { series: 'push_time_seconds{job="train"}', values: pushTimes.join(' ') },
  ];
}

/** Remote write's series: one sample at the start of each run, nothing between. */
function writtenRuns(runs: Run[]) {
  return [{ series: 'model_accuracy_ratio{job="train",model="churn"}', values: runs.map((run) => `${run.value} _x${run.minutes - 1}`).join(' ') }];
}

const labels = { severity: 'warning', job: 'train', model: 'churn' };
const halfHourly = (...values: string[]): Run[] => values.map((value) => ({ value, minutes: 30 }));
/** The alert as the rules write it: the pushed value, its change against the baseline in percent, the baseline. */
const alert = (alertname: string, facts: { value: string; change: string; baseline: string }, extraLabels: Record<string, string> = {}) => {
  const allowed = alertname.endsWith('BelowBaseline') ? '5% below' : '50% above';
  return {
    exp_labels: { ...labels, ...extraLabels },
    exp_annotations: {
      summary: `model_accuracy_ratio is ${facts.value}, ${facts.change}% against its baseline ${facts.baseline}, expected at most ${allowed}`,
      description: `The last push of job train set model_accuracy_ratio to ${facts.value}, ${facts.change}% against ${facts.baseline}, the median of its runs in the 3h before; its metric file expects at most ${allowed} it.`,
    },
  };
};
const fires = (alertname: string, evalTime: string, facts: { value: string; change: string; baseline: string }) => ({
  eval_time: evalTime,
  alertname,
  exp_alerts: [alert(alertname, facts)],
});
const silent = (alertname: string, evalTime: string) => ({ eval_time: evalTime, alertname, exp_alerts: [] });

const nan = { value: 'NaN', change: '+NaN', baseline: '0.9' };
const doubled = { value: '2', change: '+100.0', baseline: '1' };

const tests = {
  rule_files: ['rules.yml'],
  evaluation_interval: '1m',
  tests: [
    {
      name: 'drop: a run more than 5% below the median of the runs before fires, with value, baseline and change',
      interval: '1m',
      input_series: heldRuns(halfHourly('0.90', '0.92', '0.91', '0.80')),
      alert_rule_test: [
        {
          eval_time: '95m',
          alertname: 'TrainModelAccuracyRatioBelowBaseline',
          exp_alerts: [
            {
              exp_labels: labels,
              exp_annotations: {
                summary: 'model_accuracy_ratio is 0.8, -12.1% against its baseline 0.91, expected at most 5% below',
                description: 'The last push of job train set model_accuracy_ratio to 0.8, -12.1% against 0.91, the median of its runs in the 3h before; its metric file expects at most 5% below it.',
              },
            },
          ],
        },
        silent('TrainModelAccuracyRatioAboveBaseline', '95m'),
        // The runs before were within 5% of theirs.
        silent('TrainModelAccuracyRatioBelowBaseline', '65m'),
      ],
    },
    {
      name: 'near the baseline nothing fires; rise: more than 50% above fires',
      interval: '1m',
      input_series: heldRuns(halfHourly('0.60', '0.62', '0.61', '0.60', '0.95')),
      alert_rule_test: [silent('TrainModelAccuracyRatioBelowBaseline', '100m'), silent('TrainModelAccuracyRatioAboveBaseline', '100m'), fires('TrainModelAccuracyRatioAboveBaseline', '125m', { value: '0.95', change: '+57.0', baseline: '0.605' })],
    },
    {
      name: 'no history yet: the first run has no baseline and fires nothing, whatever its value',
      interval: '1m',
      input_series: heldRuns(halfHourly('0.10')),
      alert_rule_test: [silent('TrainModelAccuracyRatioBelowBaseline', '20m'), silent('TrainModelAccuracyRatioAboveBaseline', '20m')],
    },
    {
      name: 'NaN: a NaN run fires both alerts once there is a baseline; NaN runs before are no part of it',
      interval: '1m',
      input_series: heldRuns(halfHourly('0.90', 'NaN', '0.90', 'NaN')),
      alert_rule_test: [
        fires('TrainModelAccuracyRatioBelowBaseline', '45m', nan),
        fires('TrainModelAccuracyRatioAboveBaseline', '45m', nan),
        silent('TrainModelAccuracyRatioBelowBaseline', '75m'),
        fires('TrainModelAccuracyRatioBelowBaseline', '95m', nan),
      ],
    },
    {
      name: 'the current run is no part of its baseline (with it, the median of 1 and 2 would be 1.5 and 2 within 50%)',
      interval: '1m',
      input_series: heldRuns(halfHourly('1', '2')),
      alert_rule_test: [fires('TrainModelAccuracyRatioAboveBaseline', '35m', doubled), fires('TrainModelAccuracyRatioAboveBaseline', '59m', doubled)],
    },
    {
      name: 'each run counts once, however long the gateway held it (time-weighted, the 150 min run would make the baseline 1)',
      interval: '1m',
      input_series: heldRuns([{ value: '1', minutes: 150 }, { value: '2', minutes: 10 }, { value: '2', minutes: 10 }, { value: '2', minutes: 10 }]),
      alert_rule_test: [silent('TrainModelAccuracyRatioAboveBaseline', '175m')],
    },
    {
      name: 'runs older than the window are no part of the baseline (with the first, the median would be 1.5 and 1.8 within 5%)',
      interval: '1m',
      input_series: heldRuns([{ value: '1', minutes: 200 }, ...halfHourly('2', '1.8')]),
      alert_rule_test: [fires('TrainModelAccuracyRatioBelowBaseline', '235m', { value: '1.8', change: '-10.0', baseline: '2' })],
    },
    {
      name: 'remote write, one sample per run: the same baseline; the alert lasts while the sample is in the 5m lookback',
      interval: '1m',
      input_series: writtenRuns(halfHourly('0.90', '0.92', '0.91', '0.80')),
      alert_rule_test: [fires('TrainModelAccuracyRatioBelowBaseline', '92m', { value: '0.8', change: '-12.1', baseline: '0.91' }), silent('TrainModelAccuracyRatioBelowBaseline', '100m'), silent('TrainModelAccuracyRatioBelowBaseline', '62m')],
    },
  ],
};

/** With --run-label workflow, each run is a series of its own: the baseline spans them. */
const runLabelTarget = { job: 'train', runLabels: ['workflow'] };
const runLabelTests = {
  rule_files: ['rules.yml'],
  evaluation_interval: '1m',
  tests: [
    {
      name: 'runs whose workflow label differs are one history',
      interval: '1m',
      input_series: [
        { series: 'model_accuracy_ratio{job="train",model="churn",workflow="w1"}', values: '0.90x59 stale' },
        { series: 'model_accuracy_ratio{job="train",model="churn",workflow="w2"}', values: '_x59 0.92x59 stale' },
        { series: 'model_accuracy_ratio{job="train",model="churn",workflow="w3"}', values: '_x119 0.70x59' },
        { series: 'push_time_seconds{job="train"}', values: '0x59 3600x59 7200x59' },
      ],
      alert_rule_test: [
        { eval_time: '130m', alertname: 'TrainModelAccuracyRatioBelowBaseline', exp_alerts: [alert('TrainModelAccuracyRatioBelowBaseline', { value: '0.7', change: '-23.1', baseline: '0.91' }, { workflow: 'w3' })] },
        { eval_time: '70m', alertname: 'TrainModelAccuracyRatioBelowBaseline', exp_alerts: [] },
      ],
    },
  ],
};

describe('the rules of expect.history under promtool test rules', () => {
  it('fire on a drop or a rise against the median of the runs before, not near it, not without history, on NaN', () => {
    expect(promtoolTestRules(JSON.stringify(tests, null, 2), { 'rules.yml': rules })).toContain('SUCCESS');
  });

  it('span the values of a run label', () => {
    const withRunLabel = rulesFor(accuracy({ workflow: 'w1' }), runLabelTarget);
    expect(promtoolTestRules(JSON.stringify(runLabelTests, null, 2), { 'rules.yml': withRunLabel })).toContain('SUCCESS');
  });

  it('fail when an expectation is wrong, so the tests above can fail', () => {
    const wrong = structuredClone(tests);
    // The rise, expected while the run before (near the baseline) is current.
    wrong.tests[1]!.alert_rule_test[2]!.eval_time = '100m';
    expect(() => promtoolTestRules(JSON.stringify(wrong, null, 2), { 'rules.yml': rules })).toThrow(/FAILED/);
  });
});
