import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';

/** Every panel and query reads from the dashboard's `datasource` variable, so one dashboard fits every Grafana. */
export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/**
 * `{a="$a", b="$b"}` for labels whose values are Grafana variables. Grafana substitutes a single-valued
 * variable as it is, so its value lands inside the double quotes.
 */
export function variableSelector(labelNames: readonly string[]): string {
  return `{${labelNames.map((name) => `${name}="$${name}"`).join(', ')}}`;
}

export interface TargetOptions {
  legend?: string;
  /** One value per series at the dashboard's end time (stat, table, bar gauge), rather than a range. */
  instant?: boolean;
  format?: PromQueryFormat;
}

/** One Prometheus query of a panel; refIds are given in order, A, B, C... */
export function target(expr: string, index: number, options: TargetOptions = {}): DataqueryBuilder {
  const query = new DataqueryBuilder().datasource(DATASOURCE).expr(expr).refId(String.fromCharCode(65 + index));
  if (options.legend !== undefined) query.legendFormat(options.legend);
  if (options.format !== undefined) query.format(options.format);
  return options.instant ? query.instant() : query.range();
}
