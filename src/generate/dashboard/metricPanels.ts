import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { DEFAULT_BUCKETS } from '../../convert/buckets.js';
import { formatValue } from '../../convert/series.js';
import type { ValidRecord } from '../../records.js';
import { standardMetric } from '../metricNames.js';
import { familyTitle, familyUnit } from './familyText.js';
import { rangeSteps, type ExpectedRange, type FieldStyle } from './fieldStyle.js';
import { barGaugePanel, ONLY_LABELS, statPanel, tablePanel, timeseriesPanel } from './panels.js';
import { withBaselineBand } from './baselineBand.js';
import { lastInRange, lastInStep, target } from './promql.js';

/** The quantiles drawn for a histogram, as `histogram_quantile` computes them from its buckets. */
export const HISTOGRAM_QUANTILES = [0.5, 0.9, 0.99] as const;

/**
 * The panels of one metric family (records sharing a name), chosen by its type, each family filling
 * one line of the grid: gauge and counter → the value per run over time and the last value in range;
 * histogram → the observations per bucket, quantiles and mean per run, observations;
 * summary → its quantiles and mean per run, observations; info → a table of its labels.
 * `selector` is the PromQL label selector of the dashboard's group, `{namespace="$namespace", job="$job"}`;
 * `expected`, the range the values should be in, colours them and draws its bounds on the graph.
 * Every query reads the last sample in range (or in each step), so that a run written once by remote
 * write is shown as long as it is in the dashboard's time range, not only for Prometheus's lookback.
 */
export function familyPanels(family: readonly ValidRecord[], selector: string, expected?: ExpectedRange): cog.Builder<Panel>[] {
  const first = family[0]!;
  const { name, help } = first;
  const known = standardMetric(name);
  const title = (shows?: string) => familyTitle(name, help, shows);
  const style: FieldStyle = {
    unit: familyUnit(name, help),
    min: known?.min,
    max: known?.max,
    outcomes: known?.outcomes,
    ...(expected && { steps: rangeSteps(expected) }),
  };
  const series = `${name}${selector}`;
  const legend = legendOf(family);
  const observations = () =>
    statPanel({ title: title(', observations, last in range'), description: help, width: 6 }, { unit: 'short' }).withTarget(
      target(lastInRange(`${name}_count${selector}`), 0, { legend, instant: true }),
    );
  const mean = `${lastInStep(`${name}_sum${selector}`)} / ${lastInStep(`${name}_count${selector}`)}`;

  switch (first.type) {
    case 'gauge':
    case 'counter':
      return [
        withBaselineBand(timeseriesPanel({ title: title(), description: help, width: 18 }, style).withTarget(target(lastInStep(series), 0, { legend })), family, selector),
        statPanel({ title: title(', last in range'), description: help, width: 6 }, style).withTarget(target(lastInRange(series), 0, { legend, instant: true })),
      ];
    case 'histogram': {
      const buckets = `${name}_bucket${selector}`;
      return [
        barGaugePanel({ title: title(', observations per bucket'), description: help, width: 8 }, { unit: 'short' }).targets(
          bucketTargets(name, selector, first.buckets ?? DEFAULT_BUCKETS),
        ),
        timeseriesPanel({ title: title(', quantiles per run'), description: help, width: 10 }, style).targets([
          ...HISTOGRAM_QUANTILES.map((q, i) => target(`histogram_quantile(${q}, ${lastInStep(buckets)})`, i, { legend: `p${Math.round(q * 100)} ${legend}` })),
          target(mean, HISTOGRAM_QUANTILES.length, { legend: `mean ${legend}` }),
        ]),
        observations(),
      ];
    }
    case 'summary':
      return [
        timeseriesPanel({ title: title(', quantiles per run'), description: help, width: 18 }, style).targets([
          target(lastInStep(series), 0, { legend: `q{{quantile}} ${legend}` }),
          target(mean, 1, { legend: `mean ${legend}` }),
        ]),
        observations(),
      ];
    case 'info':
      return [
        tablePanel({ title: title(), description: help, width: 24, height: 6 }, {}, [ONLY_LABELS]).withTarget(
          target(lastInRange(series), 0, { instant: true, format: PromQueryFormat.Table }),
        ),
      ];
  }
}

/**
 * One query per bucket, in order of its bound: the observations in it, the cumulative `le` count at its
 * upper bound less the one at its lower bound (the first bucket's count is its own). Each is the sum over
 * the group's series of their last sample in range, so the bars are counts per bucket, lowest first,
 * with no reliance on Grafana reordering or de-accumulating the buckets.
 */
function bucketTargets(name: string, selector: string, bounds: readonly number[]) {
  const les = [...bounds.map(formatValue), '+Inf'];
  const count = (le: string) => `sum(${lastInRange(`${name}_bucket${selector.slice(0, -1)}, le="${le}"}`)})`;
  return les.map((le, i) => {
    const below = les[i - 1];
    const expr = below === undefined ? count(le) : `${count(le)} - ${count(below)}`;
    const legend = below === undefined ? `<= ${le}` : le === '+Inf' ? `> ${below}` : `(${below}, ${le}]`;
    return target(expr, i, { legend, instant: true });
  });
}

/** `{{a}} {{b}}` for the labels the family's series carry, so that each run's line is named; else the job. */
function legendOf(family: readonly ValidRecord[]): string {
  const names = [...new Set(family.flatMap((record) => Object.keys(record.labels)))];
  return names.length > 0 ? names.map((name) => `{{${name}}}`).join(' ') : '{{job}}';
}
