import type { MetricDocument, MetricRecord } from '../records.js';
import type { RecordPlaces } from './places.js';

/** The types a metric given on the command line may have: a single value makes no summary or histogram. */
export type InlineMetricType = 'gauge' | 'counter';
export const INLINE_METRIC_TYPES: readonly InlineMetricType[] = ['gauge', 'counter'];

/** One `--metric` flag: the value is kept as written and validated like a file's `"6"`. */
export interface InlineMetric {
  name: string;
  /** Absent when the flag did not say; `--metric-type` (default gauge) decides. */
  type?: InlineMetricType;
  value: string;
}

/** The HELP text of a metric given with --metric. */
export const INLINE_DESCRIPTION = 'set by --metric';

/**
 * Parses `NAME=VALUE` or `NAME:TYPE=VALUE`. Metric names may hold colons (`job:rate5m`), so only a
 * last colon part that names a metric type is read as the type.
 */
export function parseInlineMetric(text: string): InlineMetric {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`expected NAME=VALUE or NAME:TYPE=VALUE, got "${text}"`);
  const target = text.slice(0, at);
  const value = text.slice(at + 1);
  const colon = target.lastIndexOf(':');
  const suffix = colon > 0 ? target.slice(colon + 1) : '';
  if ((INLINE_METRIC_TYPES as readonly string[]).includes(suffix)) {
    return { name: target.slice(0, colon), type: suffix as InlineMetricType, value };
  }
  if (['summary', 'histogram', 'info'].includes(suffix)) {
    throw new Error(`"${target}": a ${suffix} cannot be given as an inline metric, only gauge or counter`);
  }
  return { name: target, value };
}

export function inlineRecord(metric: InlineMetric, defaultType: InlineMetricType): MetricRecord {
  return { name: metric.name, description: INLINE_DESCRIPTION, metric_type: metric.type ?? defaultType, value: metric.value };
}

/** The places of inline records: each is named by its flag, whatever field an issue is about. */
export function inlinePlaces(records: readonly MetricRecord[]): RecordPlaces {
  const flag = (index: number): string => `--metric ${records[index]!.name}`;
  return { record: flag, field: flag };
}

/**
 * Appends inline records to a file's records (or makes them the whole input), so one validation sees
 * them together: a --metric that repeats a file's series is a duplicate like any other, and the file's
 * common labels apply to it. A file whose shape is broken is left as it is for the schema to report.
 * `inlineFrom` is the index of the first inline record, absent when none was joined.
 */
export function joinInlineRecords(document: unknown, records: readonly MetricRecord[]): { document: unknown; inlineFrom?: number } {
  if (records.length === 0) return { document };
  const isDocument = typeof document === 'object' && document !== null && !Array.isArray(document);
  const list = document === undefined ? [] : isDocument ? (document as MetricDocument).metrics : document;
  if (!Array.isArray(list)) return { document };
  const joined = [...(list as unknown[]), ...records];
  return { document: isDocument ? { ...(document as MetricDocument), metrics: joined } : joined, inlineFrom: list.length };
}
