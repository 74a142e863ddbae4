import { UsageError } from '../errors.js';
import { readFileSource } from './file.js';
import { inlineRecord, joinInlineRecords, type InlineMetric, type InlineMetricType } from './inline.js';
import { parseMetricJson } from './parse.js';
import { DEFAULT_MAX_INPUT_BYTES, readLimited } from './readLimited.js';
import type { S3SourceOptions } from './s3.js';

export { DEFAULT_MAX_INPUT_BYTES } from './readLimited.js';

/** What to read: a metric file, inline metrics, or both. */
export interface InputSpec {
  /** A path, `-` for stdin, or `s3://bucket/key`. Optional when `metrics` are given. */
  input?: string;
  /** Metrics given on the command line (`--metric`). */
  metrics?: readonly InlineMetric[];
  /** Type of the inline metrics that name none (`--metric-type`); gauge by default. */
  metricType?: InlineMetricType;
  /** Refuse a larger file, stdin or object before parsing it (default 64 MiB). */
  maxInputBytes?: number;
  s3?: S3SourceOptions;
}

export interface LoadedInput {
  /** The parsed JSON document with any inline records joined to it, not yet validated. */
  document: unknown;
  /** Where it came from, for messages: a path, "stdin", an s3:// URL, "--metric flags". */
  origin: string;
  bytes: number;
  /** JSON pointer of an inline record → the flag to name in its messages. */
  flagByPointer: ReadonlyMap<string, string>;
}

/** Reads and parses the input: a file, stdin (`-`), an S3 object, inline `--metric` flags, or a file plus flags. */
export async function loadInput(spec: InputSpec): Promise<LoadedInput> {
  const metrics = spec.metrics ?? [];
  if (spec.input === undefined && metrics.length === 0) {
    throw new UsageError('no input: give a metric file, - for stdin, s3://bucket/key, or --metric NAME=VALUE');
  }
  const records = metrics.map((metric) => inlineRecord(metric, spec.metricType ?? 'gauge'));
  if (spec.input === undefined) {
    return { ...joinInlineRecords(undefined, records), origin: '--metric flags', bytes: 0 };
  }
  const origin = spec.input === '-' ? 'stdin' : spec.input;
  const bytes = await readInputBytes(spec.input, spec.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES, spec.s3);
  const joined = joinInlineRecords(parseMetricJson(bytes, origin), records);
  const flags = metrics.length === 0 ? '' : ` and ${metrics.length} --metric flag${metrics.length === 1 ? '' : 's'}`;
  return { ...joined, origin: `${origin}${flags}`, bytes: bytes.byteLength };
}

async function readInputBytes(input: string, maxBytes: number, s3: S3SourceOptions | undefined): Promise<Buffer> {
  if (input === '-') return readLimited(process.stdin, maxBytes, 'stdin');
  if (input.startsWith('s3://')) {
    // A dynamic import keeps the AWS SDK out of every run that reads no S3 object.
    const { readS3Object } = await import('./s3.js');
    return readS3Object(input, maxBytes, s3);
  }
  return readFileSource(input, maxBytes);
}
