import type { OptionNamer } from '../errors.js';
import type { Labels, MetricType } from '../records.js';
import type { Problem } from './places.js';
import { escapePointer } from './schema.js';

/**
 * The label a type's own samples carry: a histogram's bucket bound `le`, a summary's `quantile`. Given
 * from anywhere else, it would replace the type's own (every bucket collapsing into one series) or sit
 * beside it (a series with the same label name twice, which the remote-write specification forbids).
 */
export const RESERVED_LABEL_BY_TYPE: Partial<Record<MetricType, string>> = { histogram: 'le', summary: 'quantile' };

/** Labels given for every series, with how each is named in a message: `grouping le`, `labels le` (a command line's `--grouping le`, `--label le`), `/labels/le`. */
export interface LabelSource {
  labels: Labels;
  pointer: (name: string) => string;
}

/**
 * A label of every series (a grouping label, `--label`, the file's common labels) that a type present in
 * the file reserves for its own samples: one issue per source and label, naming the first record of that type.
 */
export function checkLabelsReservedByType(sources: readonly LabelSource[], records: readonly unknown[]): Problem[] {
  const firstOfType = new Map<string, number>();
  records.forEach((record, index) => {
    const type = (record as { metric_type?: unknown } | null)?.metric_type;
    if (typeof type === 'string' && !firstOfType.has(type)) firstOfType.set(type, index);
  });
  const issues: Problem[] = [];
  for (const [type, label] of Object.entries(RESERVED_LABEL_BY_TYPE)) {
    const index = firstOfType.get(type);
    if (index === undefined) continue;
    for (const source of sources) {
      if (!Object.hasOwn(source.labels, label)) continue;
      issues.push({
        pointer: source.pointer(label),
        message: {
          record: index,
          say: (place) =>
            `"${label}" is reserved for ${type} samples (${type === 'histogram' ? 'the bucket bound' : 'the quantile'}), ` +
            `and ${place} is a ${type}: it would replace or repeat that label on every one of its series; use another label name`,
        },
      });
    }
  }
  return issues;
}

/** The sources of labels every series gets, in the order a message lists them; `option` names the options (a command line's flags). */
export function commonLabelSources(
  grouping: Labels | undefined,
  flagLabels: Labels | undefined,
  fileLabels: Labels | undefined,
  option: OptionNamer = (name) => name,
): LabelSource[] {
  return [
    { labels: grouping ?? {}, pointer: (name) => `${option('grouping')} ${name}` },
    { labels: flagLabels ?? {}, pointer: (name) => `${option('labels')} ${name}` },
    { labels: fileLabels ?? {}, pointer: (name) => `/labels/${escapePointer(name)}` },
  ];
}
