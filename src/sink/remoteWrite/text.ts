import { escapeText, formatValue, renderLabels } from '../../convert/render.js';
import { expandRecords } from '../../convert/series.js';
import type { Labels, ValidRecord } from '../../records.js';
import { seriesBuilder, type PreviewTarget } from './timeseries.js';

/**
 * The series a remote write would send, as text format 0.0.4 with each sample's timestamp: what
 * `--dry-run` prints. Labels appear as sent (sorted, `job` and the grouping labels included, empty
 * values dropped), so the text is the write itself, readable, and promtool can check it. A dry run may
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
      const shown: Labels = {};
      for (const label of toSeries(name, labels, value).labels) if (label.name !== '__name__') shown[label.name] = label.value;
      lines.push(`${name}${renderLabels(shown)} ${formatValue(value)} ${target.timestampMs}`);
    },
  });
  lines.push('');
  return { text: lines.join('\n'), series };
}
