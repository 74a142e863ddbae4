import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import type { ValidRecord } from '../../records.js';
import { rangeSteps, type ExpectedRange, type FieldStyle } from './fieldStyle.js';
import { standardMetric, unitOf } from '../metricNames.js';
import { barGaugePanel, ONLY_LABELS, statPanel, tablePanel, timeseriesPanel } from './panels.js';
import { withBaselineBand } from './baselineBand.js';
import { target } from './promql.js';

/** The quantiles drawn for a histogram, as `histogram_quantile` computes them from its buckets. */
export const HISTOGRAM_QUANTILES = [0.5, 0.9, 0.99] as const;

/**
 * The panels of one metric family (records sharing a name), chosen by its type, each family filling
 * one line of the grid: gauge and counter → the value per run over time and the latest value;
 * histogram → the latest run's count per bucket, quantiles and mean per run, observations;
 * summary → its quantiles and mean per run, observations; info → a table of its labels.
 * `selector` is the PromQL label selector of the dashboard's group, `{namespace="$namespace", job="$job"}`;
 * `expected`, the range the values should be in, colours them and draws its bounds on the graph.
 */
export function familyPanels(family: readonly ValidRecord[], selector: string, expected?: ExpectedRange): cog.Builder<Panel>[] {
  const first = family[0]!;
  const { name, help } = first;
  const known = standardMetric(name);
  const title = known?.title ?? name;
  const style: FieldStyle = {
    unit: unitOf(name),
    min: known?.min,
    max: known?.max,
    outcomes: known?.outcomes,
    ...(expected && { steps: rangeSteps(expected) }),
  };
  const series = `${name}${selector}`;
  const legend = legendOf(family);
  const observations = () =>
    statPanel({ title: `${title}, observations in the latest run`, description: help, width: 6 }, { unit: 'short' }).withTarget(
      target(`${name}_count${selector}`, 0, { legend, instant: true }),
    );
  const mean = `${name}_sum${selector} / ${name}_count${selector}`;

  switch (first.type) {
    case 'gauge':
    case 'counter':
      return [
        withBaselineBand(timeseriesPanel({ title, description: help, width: 18 }, style).withTarget(target(series, 0, { legend })), family, selector),
        statPanel({ title: `${title}, latest`, description: help, width: 6 }, style).withTarget(target(series, 0, { legend, instant: true })),
      ];
    case 'histogram': {
      const buckets = `${name}_bucket${selector}`;
      return [
        barGaugePanel({ title: `${title}, latest run by bucket`, description: help, width: 8 }, { unit: 'short' }).withTarget(
          target(`sum by (le) (${buckets})`, 0, { legend: '{{le}}', instant: true, format: PromQueryFormat.Heatmap }),
        ),
        timeseriesPanel({ title: `${title}, quantiles per run`, description: help, width: 10 }, style).targets([
          ...HISTOGRAM_QUANTILES.map((q, i) => target(`histogram_quantile(${q}, ${buckets})`, i, { legend: `p${Math.round(q * 100)} ${legend}` })),
          target(mean, HISTOGRAM_QUANTILES.length, { legend: `mean ${legend}` }),
        ]),
        observations(),
      ];
    }
    case 'summary':
      return [
        timeseriesPanel({ title: `${title}, quantiles per run`, description: help, width: 18 }, style).targets([
          target(series, 0, { legend: `q{{quantile}} ${legend}` }),
          target(mean, 1, { legend: `mean ${legend}` }),
        ]),
        observations(),
      ];
    case 'info':
      return [
        tablePanel({ title, description: help, width: 24, height: 6 }, {}, [ONLY_LABELS]).withTarget(
          target(series, 0, { instant: true, format: PromQueryFormat.Table }),
        ),
      ];
  }
}

/** `{{a}} {{b}}` for the labels the family's series carry, so that each run's line is named; else the job. */
function legendOf(family: readonly ValidRecord[]): string {
  const names = [...new Set(family.flatMap((record) => Object.keys(record.labels)))];
  return names.length > 0 ? names.map((name) => `{{${name}}}`).join(' ') : '{{job}}';
}
