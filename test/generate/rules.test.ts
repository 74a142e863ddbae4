import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DataError, OptionError, validateDocument } from '../../src/index.js';
import { alertRules, type RuleGroup } from '../../src/generate/rules.js';
import { renderRuleFile, resourceName } from '../../src/generate/ruleFile.js';
import type { RuleTarget } from '../../src/generate/selector.js';
import { promtoolCheckRules } from '../support/promtool.js';

/** The example file. */
const TRAINING = {
  labels: { model: 'churn-classifier' },
  expect: { every: '24h' },
  metrics: [
    { name: 'model_accuracy_ratio', description: 'Accuracy on the hold-out set', value: 0.913, metric_type: 'gauge', expect: { min: 0.9, severity: 'critical' } },
    { name: 'rows_processed_total', description: 'Rows read', value: 200000, metric_type: 'counter', expect: { min: 1 } },
  ],
};

function generate(document: unknown, target: RuleTarget): RuleGroup {
  return alertRules(validateDocument(document, { job: target.job, grouping: target.grouping }), target);
}

const exprOf = (group: RuleGroup, alert: string): string | undefined => group.rules.find((rule) => rule.alert === alert)?.expr;

describe('alert rules from expect', () => {
  it('gives one alert per bound, on the pushed series, named from the job and the metric', () => {
    const group = generate(TRAINING, { job: 'train' });
    expect(group.name).toBe('simplepipe/job/train');
    expect(group.rules.map((rule) => rule.alert)).toEqual([
      'TrainModelAccuracyRatioBelowMin',
      'TrainRowsProcessedTotalBelowMin',
      'TrainGroupStale',
      'TrainLastPushFailed',
      'TrainGroupAbsent',
    ]);
    const accuracy = 'model_accuracy_ratio{job="train",instance="",model="churn-classifier"}';
    expect(group.rules[0]).toEqual({
      alert: 'TrainModelAccuracyRatioBelowMin',
      expr: `${accuracy} unless ${accuracy} >= 0.9`,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'model_accuracy_ratio is {{ $value }}, expected at least 0.9',
        description: 'The last push of job {{ $labels.job }} set model_accuracy_ratio to {{ $value }}; its metric file expects at least 0.9.',
      },
    });
    expect(group.rules[1]!.labels).toEqual({ severity: 'warning' });
  });

  it('watches the group from every: too old, last push failed, absent for as long', () => {
    const group = generate(TRAINING, { job: 'train' });
    expect(exprOf(group, 'TrainGroupStale')).toBe('time() - push_time_seconds{job="train",instance=""} > 86400');
    expect(exprOf(group, 'TrainLastPushFailed')).toBe('push_failure_time_seconds{job="train",instance=""} > push_time_seconds{job="train",instance=""}');
    expect(group.rules.find((rule) => rule.alert === 'TrainGroupAbsent')).toMatchObject({ expr: 'absent(push_time_seconds{job="train",instance=""})', for: '24h' });
  });

  it('gives both bounds, for, extra labels and annotations, the file’s annotations winning', () => {
    const group = generate(
      [
        {
          name: 'run_seconds',
          description: 'run time',
          value: 60,
          metric_type: 'gauge',
          labels: { stage: 'fit' },
          expect: { min: 1, max: 3600, for: '10m', labels: { team: 'ml' }, annotations: { summary: 'too slow or too fast', runbook_url: 'https://runbooks/x' } },
        },
      ],
      { job: 'nightly-etl' },
    );
    expect(group.rules.map((rule) => [rule.alert, rule.expr, rule.for])).toEqual([
      ['NightlyEtlRunSecondsBelowMin', 'run_seconds{job="nightly-etl",instance="",stage="fit"} unless run_seconds{job="nightly-etl",instance="",stage="fit"} >= 1', '10m'],
      ['NightlyEtlRunSecondsAboveMax', 'run_seconds{job="nightly-etl",instance="",stage="fit"} unless run_seconds{job="nightly-etl",instance="",stage="fit"} <= 3600', '10m'],
    ]);
    expect(group.rules[0]!.labels).toEqual({ severity: 'warning', team: 'ml' });
    expect(group.rules[0]!.annotations).toEqual({
      summary: 'too slow or too fast',
      description: expect.stringContaining('expects at least 1.'),
      runbook_url: 'https://runbooks/x',
    });
  });

  it('matches the grouping key in push order, and instance only as given', () => {
    const group = generate(TRAINING, { job: 'train', grouping: { run: '42', instance: 'node-1' } });
    expect(group.name).toBe('simplepipe/job/train/run/42/instance/node-1');
    expect(exprOf(group, 'TrainGroupAbsent')).toBe('absent(push_time_seconds{job="train",run="42",instance="node-1"})');
  });

  it('matches an empty label value as the absent label it is, and escapes label values as PromQL strings', () => {
    const labels = { a: '', b: 'say "hi"\\\n', c: '\uFFFD' };
    const group = generate([{ name: 'g', description: 'd', value: 1, metric_type: 'gauge', labels, expect: { max: 2 } }], { job: 'a/b' });
    const selector = 'g{job="a/b",instance="",a="",b="say \\"hi\\"\\\\\\n",c="\\ufffd"}';
    expect(exprOf(group, 'ABGAboveMax')).toBe(`${selector} unless ${selector} <= 2`);
  });

  it('matches a run label by presence, so the next run’s value matches too', () => {
    const document = { labels: { workflow: 'timed-job-x7k2p' }, metrics: [{ name: 'rows_total', description: 'rows', value: 5, metric_type: 'counter', expect: { min: 1 } }] };
    const group = generate(document, { job: 'timed-job', runLabels: ['workflow'] });
    expect(exprOf(group, 'TimedJobRowsTotalBelowMin')).toBe(
      'rows_total{job="timed-job",instance="",workflow!=""} unless rows_total{job="timed-job",instance="",workflow!=""} >= 1',
    );
  });

  it('refuses a run label no series carries, or one of the grouping key', () => {
    expect(() => generate(TRAINING, { job: 'train', runLabels: ['workflow'] })).toThrow(OptionError);
    expect(() => generate(TRAINING, { job: 'train', runLabels: ['workflow'] })).toThrow(/^runLabels workflow: no series/);
    expect(() => generate(TRAINING, { job: 'train', grouping: { run: '1' }, runLabels: ['run'] })).toThrow(/part of the grouping key/);
  });

  it('scopes every selector to a namespace when asked, and names it in the PrometheusRule', () => {
    const target = { job: 'train', namespace: 'team-a' };
    const group = generate(TRAINING, target);
    expect(exprOf(group, 'TrainGroupAbsent')).toBe('absent(push_time_seconds{job="train",instance="",namespace="team-a"})');
    const resource = parse(renderRuleFile(group, target, 'prometheusrule')) as { metadata: { namespace: string } };
    expect(resource.metadata.namespace).toBe('team-a');
    expect(() => generate({ labels: { namespace: 'x' }, metrics: TRAINING.metrics }, target)).toThrow(OptionError);
  });

  it('refuses a file that expects nothing', () => {
    expect(() => generate([{ name: 'g', description: 'd', value: 1, metric_type: 'gauge' }], { job: 'j' })).toThrow(DataError);
    expect(() => generate([{ name: 'g', description: 'd', value: 1, metric_type: 'gauge' }], { job: 'j' })).toThrow(/no expectation/);
  });

  it('writes the same bytes every time for the same file and target', () => {
    const target = { job: 'train', grouping: { instance: 'a' } };
    const first = renderRuleFile(generate(TRAINING, target), target, 'prometheusrule');
    const second = renderRuleFile(generate(structuredClone(TRAINING), target), target, 'prometheusrule');
    expect(second).toBe(first);
  });
});

describe('the rule file', () => {
  it('is a PrometheusRule the Prometheus Operator’s model accepts, or a plain rule file with the same group', () => {
    const target = { job: 'train' };
    const group = generate(TRAINING, target);
    const resource = parse(renderRuleFile(group, target, 'prometheusrule')) as Record<string, unknown>;
    expect(() => new PrometheusRule(resource as ConstructorParameters<typeof PrometheusRule>[0]).validate()).not.toThrow();
    expect(resource).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'simplepipe-train' } });
    const plain = parse(renderRuleFile(group, target, 'prometheus')) as { groups: unknown[] };
    expect(plain).toEqual({ groups: (resource.spec as { groups: unknown[] }).groups });
    expect(plain.groups).toEqual([JSON.parse(JSON.stringify(group))]);
  });

  it('is named as a Kubernetes object from the job, exactly when it can be and with a hash when the spelling would lose something', () => {
    expect(resourceName({ job: 'timed-job' })).toBe('simplepipe-timed-job');
    expect(resourceName({ job: 'train', grouping: { instance: 'a' } })).toBe('simplepipe-train-instance-a');
    expect(resourceName({ job: 'Train_A' })).toMatch(/^simplepipe-train-a-[0-9a-f]{8}$/);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }), fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { maxKeys: 2 }), (job, grouping) => {
        const name = resourceName({ job, grouping });
        expect(name.length).toBeLessThanOrEqual(253);
        expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        // Two jobs that share a spelling do not share a name.
        if (job !== job.toLowerCase()) expect(resourceName({ job: job.toLowerCase(), grouping })).not.toBe(name);
      }),
    );
  });

  it('parses with promtool check rules, whatever the job, labels, bounds and durations', () => {
    // Text PromQL or YAML treat specially, beside any text at all.
    const tricky = fc.constantFrom('\uFFFD', '"', "'", '\\', '\n', '\r\t', '{{ $value }}', '}}', '\x85\u2028', '\x7f', 'on', '');
    const text = (maxLength: number) => fc.oneof(fc.string({ unit: 'grapheme', maxLength }), fc.array(tricky, { maxLength: 3 }).map((parts) => parts.join('')));
    const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/).filter((name) => !name.startsWith('__') && !['job', 'instance', 'le', 'quantile'].includes(name));
    const record = fc.record({
      name: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,12}$/).filter((name) => !name.startsWith('__')),
      labels: fc.dictionary(labelName, text(12), { maxKeys: 3 }),
      bounds: fc.tuple(fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })), fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }))),
      for: fc.option(fc.constantFrom('0', '30s', '5m', '1h30m', '2d', '1y')),
      severity: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((s) => !s.includes('{{'))),
    });
    const file = fc.record({
      job: text(12).filter((job) => job !== ''),
      every: fc.option(fc.constantFrom('30s', '1h', '1d', '1w')),
      records: fc.uniqueArray(record, { minLength: 1, maxLength: 4, selector: (r) => r.name }),
    });
    const cases = fc.sample(file, { numRuns: 150, seed: 7 }).flatMap(({ job, every, records }) => {
      const metrics = records.map(({ name, labels, bounds: [low, high], ...rest }) => {
        const [min, max] = low !== null && high !== null && low > high ? [high, low] : [low, high];
        const expectation = { ...(min === null && max === null ? { min: 0 } : {}), ...(min === null ? {} : { min }), ...(max === null ? {} : { max }) };
        return {
          name,
          description: 'generated',
          value: 1,
          metric_type: 'gauge',
          labels,
          expect: { ...expectation, ...(rest.for === null ? {} : { for: rest.for }), ...(rest.severity === null ? {} : { severity: rest.severity }) },
        };
      });
      const document = { ...(every === null ? {} : { expect: { every } }), metrics };
      const target = { job };
      const group = generate(document, target);
      return [renderRuleFile(group, target, 'prometheus')];
    });
    const verdicts = promtoolCheckRules(Object.fromEntries(cases.map((text, i) => [String(i), text])));
    const refused = Object.entries(verdicts).filter(([, verdict]) => !verdict.ok);
    expect(refused.map(([i, verdict]) => `${verdict.message}\n${cases[Number(i)]}`)).toEqual([]);
  });
});
