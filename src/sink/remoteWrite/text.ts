import { escapeLabelValue, escapeText, formatValue } from '../../convert/render.js';
import { expandRecords } from '../../convert/series.js';
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
  const toSeries = seriesBuilder(target);
  const lines: string[] = [];
  let series = 0;
  expandRecords(records, {
    family(name, type, help) {
      if (lines.length > 0) lines.push('');
      lines.push(`# HELP ${name} ${escapeText(help)}`, `# TYPE ${name} ${type}`);
    },
    sample(name, labels, value) {
      series++;
      const sent = toSeries(name, labels, value);
      const [sample] = sent.samples;
      lines.push(`${name}${renderLabelList(sent.labels)} ${formatValue(sample!.value)} ${sample!.timestamp}`);
    },
  });
  lines.push('');
  return { text: lines.join('\n'), series };
}

/** A series' labels as sent, in their order, `__name__` left to the line's start. */
function renderLabelList(labels: readonly Label[]): string {
  const shown = labels.filter((label) => label.name !== '__name__').map((label) => `${label.name}="${escapeLabelValue(label.value)}"`);
  return shown.length === 0 ? '' : `{${shown.join(',')}}`;
}
