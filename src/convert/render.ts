import type { Labels, ValidRecord } from '../records.js';
import { groupByName } from './families.js';
import { expandEach, formatValue, type FamilyType, type SampleVisitor } from './series.js';

export { formatValue } from './series.js';

/**
 * Renders validated records as text format 0.0.4, every type written directly from the samples
 * `expandRecords` yields (the same the remote-write sink sends), in the layout prom-client writes (`le`
 * and `quantile` first among a sample's labels). prom-client is not needed for it: building its metric
 * objects for 100,000 series cost more than the Pushgateway's whole handling of the push (bench/README.md,
 * Performance), its summary quantiles are t-digest estimates where the observations are all known, and
 * the CLI bundle loads nothing of it. Gauges, counters, info and histograms come out byte for byte as
 * `toExposition(await toRegistry(records))`; a summary's quantiles are exact instead.
 *
 * Unlike prom-client, the direct writer cannot merge two series whose label values mimic each other's
 * separators (`{a="1,b:2"}` and `{a="1",b="2"}`), so such families are written whole rather than refused.
 */
export async function renderExposition(records: readonly ValidRecord[]): Promise<string> {
  return renderFamilies(groupByName(records));
}

/** renderExposition() of records already grouped into families (groupByName). */
export function renderFamilies(families: readonly (readonly ValidRecord[])[]): string {
  // Joined from pieces of 4,096 lines: 100,000 line strings are never all held beside the text (a --dry-run's peak memory).
  return [...expositionPieces(families)].join('');
}

/**
 * The exposition of `families` (groupByName of validated records) in pieces of about `linesPerPiece` lines,
 * each ending in a line feed, for a push that sends while it renders (bench/README.md). Joined, the
 * pieces are renderExposition() of the same records, byte for byte; rendering stops where the caller stops
 * reading, and starts over for each iteration (a retried push renders again rather than keep a copy).
 */
export function expositionPieces(families: readonly (readonly ValidRecord[])[], linesPerPiece = 4096): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      const writer = new LineWriter();
      const records = expandEach(families, writer);
      while (!records.next().done) if (writer.lines.length >= linesPerPiece) yield writer.take();
      if (writer.lines.length > 0) yield writer.take();
    },
  };
}

/** Writes the samples of expandEach() as exposition lines, kept until take(). */
class LineWriter implements SampleVisitor {
  // A list of lines joined once: cheaper than growing a string per series, 100,000 times over.
  lines: string[] = [];
  #families = 0;

  family(name: string, type: FamilyType, help: string): void {
    // A blank line between families, as prom-client writes it.
    if (this.#families++ > 0) this.lines.push('');
    const escaped = escapeText(name);
    this.lines.push(`# HELP ${escaped} ${escapeText(help)}`, `# TYPE ${escaped} ${type}`);
  }

  sample(name: string, labels: Labels, value: number): void {
    // Names are checked against [a-zA-Z_:][a-zA-Z0-9_:]*: nothing in them needs escaping.
    this.lines.push(`${name}${renderLabels(labels)} ${formatValue(value)}`);
  }

  /** The lines written since the last take(), each ending in a line feed; nothing if there are none. */
  take(): string {
    if (this.lines.length === 0) return '';
    this.lines.push('');
    const text = this.lines.join('\n');
    this.lines = [];
    return text;
  }
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

/** A label value inside its quotes: a backslash, a line feed and a double quote are escaped. */
export function escapeLabelValue(value: string): string {
  return /[\\\n"]/.test(value) ? escapeText(value).replace(/"/g, '\\"') : value;
}
