import { countRecordSeries } from './convert/series.js';
import type { OptionNamer } from './errors.js';
import type { Labels, ValidRecord } from './records.js';
import type { Problem } from './validate/places.js';

/**
 * How much one push may ask of the Pushgateway, checked before anything is sent. The gateway's work for
 * a series grows with the square of its labels (1.5.1: 80 µs at 30 labels, 0.85 ms at 100, 7.6 ms at 300;
 * one series of 10,000 labels, 18 s), so without a bound a small file keeps a gateway core busy for
 * minutes, and every retry asks again. Figures and how they were measured: docs/security.md, Limits.
 */
export interface PushLimits {
  /** Labels of one series as the gateway stores it: its own, the common ones, job and grouping, `le`/`quantile`. */
  labelsPerSeries: number;
  /** UTF-8 bytes of one label value. */
  labelValueBytes: number;
  /** UTF-8 bytes of one series: its name, and each label's name and value. */
  seriesBytes: number;
  /** Series of the whole push, as Prometheus counts them (a histogram's buckets, _sum and _count each). */
  series: number;
}

export const DEFAULT_PUSH_LIMITS: PushLimits = {
  labelsPerSeries: 30,
  labelValueBytes: 4096,
  seriesBytes: 16 * 1024,
  series: 100_000,
};

/** The option that raises each limit, as refusals name it (a command line's `--max-series`, …, by its nameOption). */
const LIMIT_OPTIONS: Record<keyof PushLimits, string> = {
  labelsPerSeries: 'limits.labelsPerSeries',
  labelValueBytes: 'limits.labelValueBytes',
  seriesBytes: 'limits.seriesBytes',
  series: 'limits.series',
};

/** Problems stop being listed past this many: a hostile file has one per record. */
const MAX_LISTED = 100;

/**
 * Every record over a limit, by its index; the push as a whole (at `prefix`: `/metrics` for the object
 * form) if it holds too many series. The grouping key counts toward every series: the gateway
 * adds it to each. `option` names the limits in the messages (a command line's flags); it is asked only for a problem.
 */
export function limitIssues(
  records: readonly ValidRecord[],
  groupingKey: Labels,
  limits: PushLimits,
  prefix: string,
  option: OptionNamer = (name) => name,
): Problem[] {
  const over = (limit: keyof PushLimits): string => `more than ${option(LIMIT_OPTIONS[limit])} ${limits[limit]}`;
  const issues: Problem[] = [];
  const groupingLabels = Object.keys(groupingKey).length;
  const groupingBytes = labelBytes(groupingKey);
  for (const record of records) {
    if (issues.length >= MAX_LISTED) break;
    // One pass over the labels, and a problem built only when there is one: this runs for each of 100,000 records.
    const labels: Labels = record.type === 'info' ? { ...record.labels, ...record.info } : record.labels;
    let names = 0;
    let bytes = utf8Bytes(record.name) + groupingBytes;
    let long: string | undefined;
    let longBytes = 0;
    for (const name in labels) {
      names++;
      const valueBytes = utf8Bytes(labels[name]!);
      bytes += utf8Bytes(name) + valueBytes;
      if (long === undefined && valueBytes > limits.labelValueBytes) {
        long = name;
        longBytes = valueBytes;
      }
    }
    const count = names + groupingLabels + (record.type === 'histogram' || record.type === 'summary' ? 1 : 0);
    if (count > limits.labelsPerSeries) {
      issues.push({ record: record.index, message: `${count} labels on a series (grouping key included), ${over('labelsPerSeries')}` });
    }
    if (long !== undefined) {
      issues.push({ record: record.index, message: `the value of label "${long}" is ${longBytes} bytes, ${over('labelValueBytes')}` });
    }
    if (bytes > limits.seriesBytes) {
      issues.push({ record: record.index, message: `a series of ${bytes} bytes (name and labels, grouping key included), ${over('seriesBytes')}` });
    }
  }
  const series = countRecordSeries(records);
  if (series > limits.series) {
    issues.unshift({ pointer: prefix, message: `${series} series in one push, ${over('series')}` });
  }
  return issues;
}

function labelBytes(labels: Labels): number {
  let bytes = 0;
  for (const name in labels) bytes += utf8Bytes(name) + utf8Bytes(labels[name]!);
  return bytes;
}

/** Buffer.byteLength, without its call into C++ for ASCII, the common case: one byte a character. */
export function utf8Bytes(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text);
  return text.length;
}
