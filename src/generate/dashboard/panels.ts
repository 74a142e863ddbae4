import { PanelBuilder as BarGaugePanel } from '@grafana/grafana-foundation-sdk/bargauge';
import {
  BarGaugeDisplayMode,
  BigValueGraphMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  LineInterpolation,
  ReduceDataOptionsBuilder,
  VisibilityMode,
  VizLegendOptionsBuilder,
  VizOrientation,
  type DataSourceRef,
} from '@grafana/grafana-foundation-sdk/common';
import type { DataTransformerConfig } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { styleField, type FieldSetters, type FieldStyle } from './fieldStyle.js';
import { DATASOURCE } from './promql.js';

/**
 * The kinds of panel the dashboards use, each with its size on Grafana's 24-column grid; the caller
 * adds the queries. Every panel reads from the dashboard's data source variable.
 */

export interface PanelText {
  title: string;
  /** Shown on hover of the panel's title: the metric's HELP text, or what the panel computes. */
  description: string;
  /** Columns of 24. */
  width: number;
  height?: number;
}

/** The setters every panel builder of the SDK has for its frame. */
interface FrameSetters {
  title(title: string): unknown;
  description(description: string): unknown;
  datasource(datasource: DataSourceRef): unknown;
  span(width: number): unknown;
  height(height: number): unknown;
}

/** Titles, sizes and styles a new panel, reading from the dashboard's data source. */
function framed<Panel extends FrameSetters & FieldSetters>(panel: Panel, text: PanelText, style: FieldStyle): Panel {
  styleField(panel, style);
  panel.title(text.title);
  panel.description(text.description);
  panel.datasource(DATASOURCE);
  panel.span(text.width);
  panel.height(text.height ?? 8);
  return panel;
}

const legend = () => new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom);
const lastValue = () => new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

/**
 * Values over time. A push replaces the group, so a value holds until the next run's push: steps, not
 * slopes. Colour steps, when given, are drawn too: the expected range as dashed lines and shading.
 */
export function timeseriesPanel(text: PanelText, style: FieldStyle): TimeseriesPanel {
  const panel = framed(new TimeseriesPanel(), text, style);
  if (style.steps) panel.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.DashedAndArea));
  return panel
    .lineInterpolation(LineInterpolation.StepAfter)
    .showPoints(VisibilityMode.Always)
    .legend(legend());
}

/** The latest value of each series, big. */
export function statPanel(text: PanelText, style: FieldStyle): StatPanel {
  return framed(new StatPanel(), text, style)
    .graphMode(BigValueGraphMode.None)
    .reduceOptions(lastValue());
}

/** One bar per series, in the order of the queries (a histogram: one query per bucket, lowest first). */
export function barGaugePanel(text: PanelText, style: FieldStyle): BarGaugePanel {
  return framed(new BarGaugePanel(), text, style)
    .displayMode(BarGaugeDisplayMode.Basic)
    .orientation(VizOrientation.Vertical)
    .reduceOptions(lastValue());
}

/** One row per series, its labels as columns. */
export function tablePanel(text: PanelText, style: FieldStyle, transformations: DataTransformerConfig[]): TablePanel {
  return framed(new TablePanel(), text, style)
    .transformations(transformations);
}

/** A band per series, coloured by value: an outcome per run. */
export function stateTimelinePanel(text: PanelText, style: FieldStyle): StateTimelinePanel {
  return framed(new StateTimelinePanel(), text, style)
    .showValue(VisibilityMode.Never)
    .mergeValues(true)
    .legend(legend());
}

/** Hides the columns a table query adds beside the labels. */
export const ONLY_LABELS: DataTransformerConfig = { id: 'organize', options: { excludeByName: { Time: true, Value: true, __name__: true } } };
