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
  const query = new DataqueryBuilder().datasource(DATASOURCE).expr(expr).refId(refId(index));
  if (options.legend !== undefined) query.legendFormat(options.legend);
  if (options.format !== undefined) query.format(options.format);
  return options.instant ? query.instant() : query.range();
}

/** A, B, ... Z, AA, AB, ...: a histogram has a query per bucket, and may have more than 26 buckets. */
export function refId(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : `${refId(Math.floor(index / 26) - 1)}${letter}`;
}

/**
 * The last sample of each series within the dashboard's time range, for a panel of latest values. A
 * series written by remote write has one sample per run: a bare selector finds it only for the five
 * minutes of Prometheus's lookback, and the panel would be empty after that.
 */
export const lastInRange = (series: string): string => `last_over_time(${series}[$__range])`;

/**
 * The last sample of each series within each step of a graph. Grafana's $__rate_interval is at least the
 * step and four scrape intervals, so no step misses a sample that a run wrote once, nor a scraped one.
 */
export const lastInStep = (series: string): string => `last_over_time(${series}[$__rate_interval])`;
