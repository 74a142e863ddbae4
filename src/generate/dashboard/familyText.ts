import { kfpHelp, type KfpMetric } from '../../source/kfp.js';
import { standardMetric, unitOf } from '../metricNames.js';

/**
 * What a metric family's panels are called and in which unit they show its values, from what the
 * validated records say: the name (its unit suffix, a standard name's title), the HELP text, and in
 * that text the Kubeflow Pipelines format the KFP reader noted there.
 */

/** The longest part of a HELP text a title takes: Grafana cuts a longer title, and the name comes after it. */
const TITLE_TEXT = 60;

/** What the KFP reader appends to an entry's HELP text for `format`: its whole text after the origin. */
function kfpNote(format: KfpMetric['format']): string {
  const bare = kfpHelp({ name: '', numberValue: 0 });
  return kfpHelp({ name: '', numberValue: 0, format }).slice(bare.length);
}

const KFP_FORMATS = (['PERCENTAGE', 'RAW'] as const).map((format) => ({ format, note: kfpNote(format) }));

/** The KFP format of a record read from a Kubeflow Pipelines file, found in the HELP text the reader wrote. */
export function kfpFormatOf(help: string): KfpMetric['format'] {
  return KFP_FORMATS.find(({ note }) => note !== '' && help.endsWith(note))?.format;
}

/**
 * The Grafana unit of a family: its name's base unit (`_seconds`, `_ratio`, ...), else a Kubeflow
 * PERCENTAGE, a fraction that Grafana's `percentunit` shows as 0 to 100 %.
 */
export function familyUnit(name: string, help: string): string | undefined {
  return unitOf(name) ?? (kfpFormatOf(help) === 'PERCENTAGE' ? 'percentunit' : undefined);
}

/**
 * A panel title: what the family measures (a standard name's title, else its HELP text without the KFP
 * note, cut at a word to TITLE_TEXT characters), what the panel shows of it, and the metric name beside it.
 */
export function familyTitle(name: string, help: string, shows = ''): string {
  const format = kfpFormatOf(help);
  const text = standardMetric(name)?.title ?? shorten(format ? help.slice(0, -kfpNote(format).length) : help);
  return text === '' || text === name ? `${name}${shows}` : `${text}${shows} (${name})`;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= TITLE_TEXT) return oneLine;
  const cut = oneLine.slice(0, TITLE_TEXT - 3);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > TITLE_TEXT / 2 ? cut.slice(0, atWord) : cut).replace(/[\s,;:.]+$/, '')}...`;
}
