import type { Labels, ValidRecord } from '../records.js';
import { expandRecords, formatValue } from './series.js';

export { formatValue } from './series.js';

/**
 * Renders validated records as text format 0.0.4, every type written directly from the samples
 * `expandRecords` yields (the same the remote-write sink sends), in the layout prom-client writes (`le`
 * and `quantile` first among a sample's labels). prom-client is not needed for it: building its metric
 * objects for 100,000 series cost more than the Pushgateway's whole handling of the push (README,
 * Performance), its summary quantiles are t-digest estimates where the observations are all known, and
 * the CLI bundle loads nothing of it. Gauges, counters, info and histograms come out byte for byte as
 * `toExposition(await toRegistry(records))`; a summary's quantiles are exact instead.
 *
 * Unlike prom-client, the direct writer cannot merge two series whose label values mimic each other's
 * separators (`{a="1,b:2"}` and `{a="1",b="2"}`), so such families are written whole rather than refused.
 */
export async function renderExposition(records: readonly ValidRecord[]): Promise<string> {
  return renderCounted(records).text;
}

/** renderExposition(), also counting what it wrote: families, and series as Prometheus counts them (one per sample line). */
export function renderCounted(records: readonly ValidRecord[]): { text: string; families: number; series: number } {
  // One list of lines, joined once: cheaper than growing a string per series, 100,000 times over.
  const lines: string[] = [];
  let families = 0;
  let series = 0;
  expandRecords(records, {
    family(name, type, help) {
      if (lines.length > 0) lines.push('');
      families++;
      const escaped = escapeText(name);
      lines.push(`# HELP ${escaped} ${escapeText(help)}`, `# TYPE ${escaped} ${type}`);
    },
    sample(name, labels, value) {
      // Names are checked against [a-zA-Z_:][a-zA-Z0-9_:]*: nothing in them needs escaping.
      series++;
      lines.push(`${name}${renderLabels(labels)} ${formatValue(value)}`);
    },
  });
  lines.push('');
  return { text: lines.join('\n'), families, series };
}

/** `{a="x",b="y"}`, or nothing for no labels. */
export function renderLabels(labels: Labels): string {
  let text = '';
  for (const name in labels) text += `${text === '' ? '{' : ','}${name}="${escapeLabelValue(labels[name]!)}"`;
  return text === '' ? '' : `${text}}`;
}

/** HELP text and names: a backslash and a line feed are escaped, as in prom-client. */
export function escapeText(text: string): string {
  // Most text needs no escape: one test is cheaper than the replacements, 100,000 times over.
  return /[\\\n]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : text;
}

function escapeLabelValue(value: string): string {
  return /[\\\n"]/.test(value) ? escapeText(value).replace(/"/g, '\\"') : value;
}
