import type { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import type { ValidRecord } from '../../records.js';
import { bandEdges } from '../history.js';
import { baselineRecordName, percent } from '../historyAlerts.js';
import { target } from './promql.js';

/**
 * Draws a family's `expect.history` on its graph: the baseline (the series the generated rules record,
 * `simplepipe:<metric>:baseline`: the median of the runs before the current one) dashed, and the allowed
 * band around it shaded (one edge a line when only one bound is given). Nothing without the rules
 * installed, as the baseline is theirs; nothing for a family without a history expectation.
 */
export function withBaselineBand(panel: TimeseriesPanel, family: readonly ValidRecord[], selector: string): TimeseriesPanel {
  const history = family.find((record) => record.expect?.history !== undefined)?.expect?.history;
  if (history === undefined) return panel;
  const baseline = `${baselineRecordName(family[0]!.name)}${selector}`;
  const { low, high } = bandEdges(baseline, history);
  const names = {
    low: history.maxDrop === undefined ? undefined : `baseline −${percent(history.maxDrop)}%`,
    high: history.maxRise === undefined ? undefined : `baseline +${percent(history.maxRise)}%`,
  };
  panel.withTarget(target(baseline, 1, { legend: `baseline (median of ${history.window})` }));
  panel.overrideByQuery('B', [
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    { id: 'color', value: { mode: 'fixed', fixedColor: 'text' } },
  ]);
  const edges = [
    { expr: low, legend: names.low },
    { expr: high, legend: names.high },
  ].filter((edge): edge is { expr: string; legend: string } => edge.expr !== undefined);
  edges.forEach((edge, i) => {
    panel.withTarget(target(edge.expr, 2 + i, { legend: edge.legend }));
    panel.overrideByQuery(String.fromCharCode(67 + i), [
      { id: 'custom.lineWidth', value: edges.length === 2 ? 0 : 1 },
      { id: 'custom.lineStyle', value: { fill: 'dot', dash: [2, 6] } },
      { id: 'color', value: { mode: 'fixed', fixedColor: 'blue' } },
      ...(i === 1 ? [{ id: 'custom.fillBelowTo', value: edges[0]!.legend }, { id: 'custom.fillOpacity', value: 15 }] : []),
    ]);
  });
  return panel;
}
