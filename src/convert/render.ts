import type { ValidRecord } from '../records.js';
import { toExposition } from './exposition.js';
import { groupByName, seriesLabels } from './families.js';
import { toRegistry } from './toRegistry.js';

/**
 * Renders validated records as text format 0.0.4, byte for byte as `toExposition(toRegistry(records))`
 * does. Gauges, counters and info families, one sample per series, are written directly: building
 * prom-client metrics for them cost more than the whole push of 100,000 series to a Pushgateway (see
 * README, Performance). Summaries and histograms, whose quantiles and buckets prom-client computes, still
 * go through a prom-client Registry of their own.
 *
 * Unlike prom-client, the direct writer cannot merge two series whose label values mimic each other's
 * separators (`{a="1,b:2"}` and `{a="1",b="2"}`), so such families are written whole rather than refused.
 */
export async function renderExposition(records: readonly ValidRecord[]): Promise<string> {
  const blocks: string[] = [];
  for (const family of groupByName(records)) {
    const first = family[0]!;
    if (first.type === 'summary' || first.type === 'histogram') blocks.push((await toExposition(toRegistry(family))).slice(0, -1));
    else blocks.push(renderSingleSampleFamily(family));
  }
  return `${blocks.join('\n\n')}\n`;
}

function renderSingleSampleFamily(family: readonly ValidRecord[]): string {
  const first = family[0]!;
  const name = escapeText(first.name);
  let text = `# HELP ${name} ${escapeText(first.help)}\n# TYPE ${name} ${first.type === 'counter' ? 'counter' : 'gauge'}`;
  for (const record of family) text += `\n${name}${renderLabels(seriesLabels(record))} ${formatValue(sampleValue(record))}`;
  return text;
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

/** prom-client's spelling, which the Pushgateway's parser accepts: NaN as `Nan`. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
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
