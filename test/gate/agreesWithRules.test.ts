import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/index.js';
import { expectationViolations } from '../../src/gate/index.js';
import { renderRuleFile } from '../../src/generate/ruleFile.js';
import { alertRules } from '../../src/generate/rules.js';
import { promtoolTestRules } from '../support/promtool.js';

/**
 * The gate and the generated rules judge a value against a baseline alike: for random histories (one
 * sample per run, as remote write leaves them) and values (boundaries and NaN among them), the alerts
 * promtool sees firing are exactly the history bounds the gate reports broken, given the median of
 * the runs as its baseline. One promtool run holds every case.
 */
const target = { job: 'train' };
const EXPECT = { window: '3h', maxDrop: 0.05, maxRise: 0.5 };
const fileWith = (value: number) => ({
  labels: { model: 'churn' },
  metrics: [{ name: 'model_accuracy_ratio', description: 'Accuracy', value: Number.isNaN(value) ? 'NaN' : value, metric_type: 'gauge', expect: { history: EXPECT } }],
});
const rules = renderRuleFile(alertRules(validateDocument(fileWith(1), target), target), target, 'prometheus');

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** A history and the value of the run after it: near, far, exactly on an edge of the band, or NaN. */
const cases = fc.sample(
  fc
    .record({
      history: fc.array(fc.constantFrom(-2, -0.5, 0, 0.5, 0.9, 0.91, 1, 3), { minLength: 1, maxLength: 5 }),
      pick: fc.constantFrom('low edge', 'high edge', 'random', 'NaN'),
      random: fc.double({ min: -5, max: 5, noNaN: true }),
    })
    .map(({ history, pick, random }) => {
      const baseline = median(history);
      const value =
        pick === 'low edge' ? baseline - EXPECT.maxDrop * Math.abs(baseline) : pick === 'high edge' ? baseline + EXPECT.maxRise * Math.abs(baseline) : pick === 'NaN' ? Number.NaN : random;
      return { history, baseline, value };
    }),
  { numRuns: 30, seed: 25 },
);

/** The gate's verdict as the alert names it would fire under. */
function gateVerdict(baseline: number, value: number): string[] {
  const [record] = validateDocument(fileWith(value), target).records;
  return expectationViolations([record!], new Map([[record!, baseline]])).map((violation) =>
    violation.bound.endsWith('(history.maxDrop)') ? 'TrainModelAccuracyRatioBelowBaseline' : 'TrainModelAccuracyRatioAboveBaseline',
  );
}

const number = (value: number) => (Number.isNaN(value) ? 'NaN' : String(value));

describe('the gate and the generated history rules', () => {
  it('find the same bounds broken, whatever the history and the value', () => {
    const tests = cases.map(({ history, baseline, value }, i) => {
      const runs = [...history, value];
      const firing = gateVerdict(baseline, value);
      return {
        name: `case ${i}: history ${history.join(', ')} (median ${baseline}), value ${number(value)}: ${firing.join(', ') || 'nothing'} fires`,
        interval: '1m',
        input_series: [{ series: 'model_accuracy_ratio{job="train",model="churn"}', values: runs.map((v) => `${number(v)} _x9`).join(' ') }],
        promql_expr_test: [
          {
            expr: 'ALERTS{alertstate="firing"}',
            eval_time: `${history.length * 10 + 1}m`,
            exp_samples: firing.map((alertname) => ({
              labels: `ALERTS{alertname="${alertname}",alertstate="firing",job="train",model="churn",severity="warning"}`,
              value: 1,
            })),
          },
        ],
      };
    });
    // The cases reach both verdicts and both edges, so agreement is not agreement on "nothing fires".
    expect(tests.some((test) => test.promql_expr_test[0]!.exp_samples.length === 0)).toBe(true);
    expect(tests.some((test) => test.promql_expr_test[0]!.exp_samples.length > 0)).toBe(true);
    const file = { rule_files: ['rules.yml'], evaluation_interval: '1m', tests };
    expect(promtoolTestRules(JSON.stringify(file, null, 2), { 'rules.yml': rules })).toContain('SUCCESS');
  });
});
