import type { Labels, ValidRecord } from '../records.js';
import { bandEdges, baselineQuery, toBaseline, type HistorySeries } from './history.js';
import type { AlertRule, RecordAlertShape, RecordingRule } from './ruleTypes.js';
import { groupMatchers, seriesSelector, type RuleTarget } from './selector.js';

/**
 * The name of the series that records a metric's baseline: `simplepipe:<metric>:baseline`, with the
 * labels of the pushed series but its run labels. The dashboards draw it as a band.
 */
export function baselineRecordName(metric: string): string {
  return `simplepipe:${metric}:baseline`;
}

/** The recording rule of a record's `expect.history`: its baseline at every evaluation, the current run left out. */
export function baselineRecords(record: ValidRecord, target: RuleTarget): RecordingRule[] {
  const history = record.expect?.history;
  if (history === undefined) return [];
  return [{ record: baselineRecordName(record.name), expr: baselineQuery(historySeries(record, target), { window: history.window, excludeCurrentRun: true }) }];
}

/**
 * The alerts of a record's `expect.history`: one per bound, firing while the pushed value is further
 * below (`maxDrop`) or above (`maxRise`) the recorded baseline than the fraction allows, or is NaN. With
 * no run in the window before the current one there is no baseline, and nothing fires.
 */
export function historyAlerts(record: ValidRecord, target: RuleTarget, shape: RecordAlertShape): AlertRule[] {
  const history = record.expect?.history;
  if (history === undefined) return [];
  const { series: pushed, runLabels } = historySeries(record, target);
  const baseline = seriesSelector(baselineRecordName(record.name), withoutRunLabels(record.labels, runLabels), target);
  const match = toBaseline(runLabels);
  const present = runLabels.length === 0 ? 'and' : `and ignoring(${runLabels.join(', ')})`;
  const edges = bandEdges(baseline, history);
  const baselineText = templateQuery(baseline, '%.4g');
  const change = templateQuery(`100 * (${pushed} -${match} ${baseline}) /${match} abs(${baseline})`, '%+.1f');
  const bounds = [
    { edge: edges.low, compare: '<', fraction: history.maxDrop, words: 'below', suffix: 'BelowBaseline' },
    { edge: edges.high, compare: '>', fraction: history.maxRise, words: 'above', suffix: 'AboveBaseline' },
  ];
  return bounds.flatMap(({ edge, compare, fraction, words, suffix }): AlertRule[] => {
    if (edge === undefined || fraction === undefined) return [];
    const allowed = `${percent(fraction)}% ${words}`;
    return [
      {
        alert: `${shape.name}${suffix}`,
        // NaN fires too, as it does for min and max: no comparison keeps it, `x != x` does.
        expr: `${pushed} ${compare}${match} ${edge} or (${pushed} != ${pushed} ${present} ${baseline})`,
        ...(shape.for === undefined ? {} : { for: shape.for }),
        labels: shape.labels,
        annotations: {
          summary: `${record.name} is {{ $value }}, ${change}% against its baseline ${baselineText}, expected at most ${allowed}`,
          description: `The last push of job {{ $labels.job }} set ${record.name} to {{ $value }}, ${change}% against ${baselineText}, the median of its runs in the ${history.window} before; its metric file expects at most ${allowed} it.`,
          ...record.expect?.annotations,
        },
      },
    ];
  });
}

/** The series a rule or a gate reads the history of: the pushed series, its run labels spanned. */
export function historySeries(record: ValidRecord, target: RuleTarget): HistorySeries {
  const runLabels = (target.runLabels ?? []).filter((label) => (record.labels[label] ?? '') !== '');
  return {
    series: seriesSelector(record.name, record.labels, target),
    pushTime: `push_time_seconds{${groupMatchers(target).join(',')}}`,
    ownLabels: Object.keys(record.labels).sort(),
    runLabels,
  };
}

function withoutRunLabels(labels: Labels, runLabels: readonly string[]): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([name]) => !runLabels.includes(name)));
}

/** A history bound as the annotations write it: 0.05 → 5. */
export function percent(fraction: number): number {
  return Number((fraction * 100).toPrecision(12));
}

/** The first value an instant query returns when the annotation is rendered, as `printf` formats it; nothing when it returns none. */
function templateQuery(promql: string, format: string): string {
  // A JSON string is a Go string literal too; a `"` inside an action does not end the annotation.
  return `{{ with query ${JSON.stringify(promql)} }}{{ . | first | value | printf "${format}" }}{{ end }}`;
}
