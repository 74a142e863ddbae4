import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE, variableSelector } from './promql.js';

/** The dashboard's data source: Grafana's default Prometheus unless the viewer picks another. */
export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');
}

export interface LabelVariable {
  /** The label, and the variable's name. */
  name: string;
  /** Shown before the drop-down. */
  label: string;
  /** Labels of earlier variables that narrow this one's values (`job` within the chosen `namespace`). */
  within: readonly string[];
  /** Selected when the dashboard opens, if it is among the values. */
  initial?: string;
}

/**
 * A drop-down of the values `label` has on the series `metric`, among those matching the earlier
 * variables; refreshed whenever the time range changes, so a job pushed for the first time appears.
 */
export function labelVariable(metric: string, variable: LabelVariable): QueryVariableBuilder {
  const selector = variable.within.length > 0 ? variableSelector(variable.within) : '';
  const query = `label_values(${metric}${selector}, ${variable.name})`;
  const builder = new QueryVariableBuilder(variable.name)
    .label(variable.label)
    .datasource(DATASOURCE)
    .query(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
  if (variable.initial !== undefined) builder.current({ text: variable.initial, value: variable.initial });
  return builder;
}
