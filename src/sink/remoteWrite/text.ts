import { escapeLabelValue, escapeText, formatValue } from '../../convert/render.js';
import { groupByName } from '../../convert/families.js';
import { countRecordSeries, expandEach, type SampleVisitor } from '../../convert/series.js';
import type { ValidRecord } from '../../records.js';
import type { Label } from './messages.js';
import { seriesBuilder, type PreviewTarget } from './timeseries.js';

/**
 * The series a remote write would send, as text format 0.0.4 with each sample's timestamp: what
 * `--dry-run` prints. Each line is written from the very series a write sends (seriesBuilder): its labels
 * in the order sent (sorted, `job` and the grouping labels included, empty values dropped), its value
 * and timestamp, so the text is the write itself, readable, and promtool can check it. A dry run may
 * have no job yet: its series then show no `job` label.
 */
export async function renderWriteText(records: readonly ValidRecord[], target: PreviewTarget): Promise<{ text: string; series: number }> {
  return { text: [...writeTextPieces(records, target)].join(''), series: countRecordSeries(records) };
}

/**
 * renderWriteText()'s text in pieces of about `linesPerPiece` lines, each ending in a line feed, made as
 * they are read: a dry run prints each before the next is made, and never holds the whole text (for
 * 100,000 series, 15 MB of lines and as much again joined).
 */
export function writeTextPieces(records: readonly ValidRecord[], target: PreviewTarget, linesPerPiece = 4096): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      const toSeries = seriesBuilder(target);
      let lines: string[] = [];
      let families = 0;
      const take = (): string => {
        lines.push('');
        const text = lines.join('\n');
        lines = [];
        return text;
      };
      const visitor: SampleVisitor = {
        family(name, type, help) {
          if (families++ > 0) lines.push('');
          lines.push(`# HELP ${name} ${escapeText(help)}`, `# TYPE ${name} ${type}`);
        },
        sample(name, labels, value) {
          const sent = toSeries(name, labels, value);
          const [sample] = sent.samples;
          lines.push(`${name}${renderLabelList(sent.labels)} ${formatValue(sample!.value)} ${sample!.timestamp}`);
        },
      };
      const steps = expandEach(groupByName(records), visitor);
      while (!steps.next().done) if (lines.length >= linesPerPiece) yield take();
      if (lines.length > 0) yield take();
    },
  };
}

/** A series' labels as sent, in their order, `__name__` left to the line's start. */
function renderLabelList(labels: readonly Label[]): string {
  const shown = labels.filter((label) => label.name !== '__name__').map((label) => `${label.name}="${escapeLabelValue(label.value)}"`);
  return shown.length === 0 ? '' : `{${shown.join(',')}}`;
}
