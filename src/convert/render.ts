import type { ValidRecord } from '../records.js';
import { toExposition } from './exposition.js';
import { groupByName, seriesLabels } from './families.js';
import { DEFAULT_QUANTILES, nearestRankQuantiles } from './quantiles.js';
import { toRegistry } from './toRegistry.js';

/**
 * Renders validated records as text format 0.0.4. Gauges, counters, info families and summaries are
 * written directly, the first three byte for byte as `toExposition(toRegistry(records))` does: building
 * prom-client metrics for 100,000 of them cost about as much as the Pushgateway's whole handling of
 * the push (README, Performance). A summary's quantiles are exact (prom-client's are t-digest
 * estimates). Histograms, whose buckets prom-client counts, still go through a prom-client Registry.
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
    if (first.type === 'histogram') lines.push((await toExposition(toRegistry(family))).slice(0, -1));
    else if (first.type === 'summary') writeSummaryFamily(family, lines);
    else writeSingleSampleFamily(family, lines);
  }
  lines.push('');
  return lines.join('\n');
}

function writeSingleSampleFamily(family: readonly ValidRecord[], lines: string[]): void {
  const first = family[0]!;
  const name = escapeText(first.name);
  lines.push(`# HELP ${name} ${escapeText(first.help)}`, `# TYPE ${name} ${first.type === 'counter' ? 'counter' : 'gauge'}`);
  for (const record of family) lines.push(`${name}${renderLabels(seriesLabels(record))} ${formatValue(sampleValue(record))}`);
}

/**
 * A summary's exact quantiles over the record's observations (nearest rank, see quantiles.ts), then the
 * sum and count of those observations: the push's own, not a total since the job started.
 */
function writeSummaryFamily(family: readonly ValidRecord[], lines: string[]): void {
  const first = family[0]!;
  const name = escapeText(first.name);
  lines.push(`# HELP ${name} ${escapeText(first.help)}`, `# TYPE ${name} summary`);
  for (const record of family) {
    if (record.type !== 'summary') throw new Error(`a ${record.type} in the summary family ${record.name}`);
    const quantiles = record.quantiles ?? DEFAULT_QUANTILES;
    const values = nearestRankQuantiles(record.observations, quantiles);
    quantiles.forEach((phi, i) => {
      lines.push(`${name}${renderLabels({ ...record.labels, quantile: formatValue(phi) })} ${formatValue(values[i]!)}`);
    });
    const labels = renderLabels(record.labels);
    let sum = 0;
    for (const value of record.observations) sum += value;
    lines.push(`${name}_sum${labels} ${formatValue(sum)}`, `${name}_count${labels} ${record.observations.length}`);
  }
}

function sampleValue(record: ValidRecord): number {
  switch (record.type) {
    case 'gauge':
    case 'counter':
      return record.value;
    case 'info':
      return 1;
    default:
      throw new Error(`a ${record.type} has no single sample`);
  }
}

function renderLabels(labels: Record<string, string>): string {
  let text = '';
  for (const name in labels) text += `${text === '' ? '{' : ','}${name}="${escapeLabelValue(labels[name]!)}"`;
  return text === '' ? '' : `${text}}`;
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
