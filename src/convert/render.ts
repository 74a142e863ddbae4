import type { ValidRecord } from '../records.js';
import { cumulativeBucketCounts, DEFAULT_BUCKETS } from './buckets.js';
import { groupByName, seriesLabels } from './families.js';
import { DEFAULT_QUANTILES, nearestRankQuantiles } from './quantiles.js';

/**
 * Renders validated records as text format 0.0.4, every type written directly, in the layout prom-client
 * writes (`le` and `quantile` first among a sample's labels). prom-client is not needed for it: building
 * its metric objects for 100,000 series cost more than the Pushgateway's whole handling of the push
 * (README, Performance), its summary quantiles are t-digest estimates where the observations are all
 * known, and the CLI bundle loads nothing of it. Gauges, counters, info and histograms come out byte for
 * byte as `toExposition(await toRegistry(records))`; a summary's quantiles are exact instead.
 *
 * Unlike prom-client, the direct writer cannot merge two series whose label values mimic each other's
 * separators (`{a="1,b:2"}` and `{a="1",b="2"}`), so such families are written whole rather than refused.
 */
export async function renderExposition(records: readonly ValidRecord[]): Promise<string> {
  // One list of lines, joined once: cheaper than growing a string per series, 100,000 times over.
  const lines: string[] = [];
  for (const family of groupByName(records)) {
    if (lines.length > 0) lines.push('');
    const first = family[0]!;
    const name = escapeText(first.name);
    lines.push(`# HELP ${name} ${escapeText(first.help)}`, `# TYPE ${name} ${first.type === 'info' ? 'gauge' : first.type}`);
    for (const record of family) writeSeries(name, record, lines);
  }
  lines.push('');
  return lines.join('\n');
}

function writeSeries(name: string, record: ValidRecord, lines: string[]): void {
  switch (record.type) {
    case 'gauge':
    case 'counter':
      lines.push(`${name}${renderLabels(record.labels)} ${formatValue(record.value)}`);
      return;
    case 'info':
      lines.push(`${name}${renderLabels(seriesLabels(record))} 1`);
      return;
    case 'summary': {
      // Exact over this push's observations (nearest rank, see quantiles.ts); _sum and _count are this push's too.
      const quantiles = record.quantiles ?? DEFAULT_QUANTILES;
      const values = nearestRankQuantiles(record.observations, quantiles);
      const rest = restOfLabels(record.labels);
      quantiles.forEach((phi, i) => lines.push(`${name}{quantile="${formatValue(phi)}"${rest} ${formatValue(values[i]!)}`));
      writeSumAndCount(name, record.labels, record.observations, lines);
      return;
    }
    case 'histogram': {
      const bounds = record.buckets ?? DEFAULT_BUCKETS;
      const counts = cumulativeBucketCounts(record.observations, bounds);
      const rest = restOfLabels(record.labels);
      bounds.forEach((bound, i) => lines.push(`${name}_bucket{le="${formatValue(bound)}"${rest} ${counts[i]}`));
      lines.push(`${name}_bucket{le="+Inf"${rest} ${record.observations.length}`);
      writeSumAndCount(name, record.labels, record.observations, lines);
      return;
    }
  }
}

function writeSumAndCount(name: string, labels: Record<string, string>, observations: readonly number[], lines: string[]): void {
  // Added in the order observed, as a client library's observe() does.
  let sum = 0;
  for (const value of observations) sum += value;
  const rendered = renderLabels(labels);
  lines.push(`${name}_sum${rendered} ${formatValue(sum)}`, `${name}_count${rendered} ${observations.length}`);
}

/** `{a="x",b="y"}`, or nothing for no labels. */
function renderLabels(labels: Record<string, string>): string {
  let text = '';
  for (const name in labels) text += `${text === '' ? '{' : ','}${name}="${escapeLabelValue(labels[name]!)}"`;
  return text === '' ? '' : `${text}}`;
}

/**
 * What follows a sample's own first label (`le`, `quantile`, as prom-client writes them first): `,a="x"}`,
 * or `}` alone. Rendered once per series, not once per bucket.
 */
function restOfLabels(labels: Record<string, string>): string {
  const rendered = renderLabels(labels);
  return rendered === '' ? '}' : `,${rendered.slice(1)}`;
}

/** A sample value as text format 0.0.4 spells it: Go's float syntax, and `NaN`, `+Inf`, `-Inf` exactly. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return `${value}`;
}

/** HELP text and names: a backslash and a line feed are escaped, as in prom-client. */
function escapeText(text: string): string {
  // Most text needs no escape: one test is cheaper than the replacements, 100,000 times over.
  return /[\\\n]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : text;
}

function escapeLabelValue(value: string): string {
  return /[\\\n"]/.test(value) ? escapeText(value).replace(/"/g, '\\"') : value;
}
