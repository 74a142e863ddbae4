import type { HistoryExpectation } from '../records.js';
import { promqlNumber } from './selector.js';

/**
 * The baseline of a history expectation in PromQL: the median of the value of each run over a window.
 *
 * A run is one push. How Prometheus holds a run differs by sink, and a plain `quantile_over_time(x[14d])`
 * is right for neither:
 * - Pushgateway: the gateway serves the last push until the next one, so every scrape stores it again.
 *   Over raw samples a run held for three days would count three times a run held for one, and the
 *   current run would be in its own baseline. The group's `push_time_seconds` changes once per push.
 * - Remote write: one sample per run, at the run's time, and no `push_time_seconds`.
 *
 * So the query takes one value per run: a subquery steps through the window a minute at a time, and keeps
 * the value at the step where the run's time (`push_time_seconds`, or without it the sample's own
 * timestamp) changed. The current run is left out by comparing that time with the one at the end of the
 * query (`@ end()`). NaN values are left out of the history; runs less than a minute apart count once.
 */

/** The subquery's step, and the offset that tells a step where a run began from the steps before. */
export const HISTORY_STEP = '1m';

/** Where the history of one series (or of a dashboard's family of series) is read. */
export interface HistorySeries {
  /** The series' selector, `name{...}`, with its run labels matched as present. */
  series: string;
  /** The selector of its group's `push_time_seconds`. */
  pushTime: string;
  /** The labels the series carries besides the group's (its own, the file's and --label's). */
  ownLabels: readonly string[];
  /** Those of its own labels whose value changes from run to run: the baseline spans their values. */
  runLabels: readonly string[];
}

export interface BaselineOptions {
  window: string;
  /**
   * Leave out the run current at the end of the query: right for a rule, evaluated while the run it
   * judges is in Prometheus. A gate asks before it pushes, when every run in Prometheus is a past one.
   */
  excludeCurrentRun: boolean;
}

/** `quantile_over_time(0.5, …[window:1m])`: one value per run, labelled as the series without its run labels. */
export function baselineQuery(history: HistorySeries, options: BaselineOptions): string {
  const value = withoutLabels(history.runLabels, history.series);
  const runTime = (modifier: string) => `(${history.pushTime}${modifier} or ${withoutLabels(history.ownLabels, `timestamp(${history.series}${modifier})`)})`;
  const now = runTime('');
  const before = runTime(` offset ${HISTORY_STEP}`);
  const runStart = `((${now} > ${before}) or (${now} unless ${before}))`;
  const runs = options.excludeCurrentRun ? `(${runStart} < ${runTime(' @ end()')})` : runStart;
  const keptLabels = history.ownLabels.filter((label) => !history.runLabels.includes(label));
  const perRun = `(${value} == ${value}) and${ignoring(keptLabels)} ${runs}`;
  return `quantile_over_time(0.5, (${perRun})[${options.window}:${HISTORY_STEP}])`;
}

/** The edges of the allowed band around a baseline: fractions of its size, so they stay apart for a negative one. */
export function bandEdges(baseline: string, history: HistoryExpectation): { low?: string; high?: string } {
  return {
    ...(history.maxDrop !== undefined && { low: `(${baseline} - ${promqlNumber(history.maxDrop)} * abs(${baseline}))` }),
    ...(history.maxRise !== undefined && { high: `(${baseline} + ${promqlNumber(history.maxRise)} * abs(${baseline}))` }),
  };
}

/**
 * ` ignoring(a, b) group_left()`: matches the pushed series to its baseline, which lacks the run labels.
 * The empty `()` is needed: a parenthesis after a bare `group_left` would be read as its label list.
 */
export function toBaseline(runLabels: readonly string[]): string {
  return runLabels.length === 0 ? '' : ` ignoring(${runLabels.join(', ')}) group_left()`;
}

function ignoring(labels: readonly string[]): string {
  return labels.length === 0 ? '' : ` ignoring(${labels.join(', ')})`;
}

function withoutLabels(labels: readonly string[], expr: string): string {
  return labels.length === 0 ? expr : `max without(${labels.join(', ')}) (${expr})`;
}
