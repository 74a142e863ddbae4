import { ConfigError, OptionError, type DataIssue } from '../errors.js';
import { checkNameOptions, decodeInput, formatOfName, type InputFormat } from './decode.js';
import { readFileSource } from './file.js';
import { inlinePlaces, inlineRecord, joinInlineRecords, type InlineMetric, type InlineMetricType } from './inline.js';
import { documentPlaces, joinPlaces, recordPrefix, type RecordPlaces } from './places.js';
import { DEFAULT_MAX_INPUT_BYTES, readLimited } from './readLimited.js';
import type { S3SourceOptions } from './s3.js';
import { unpackInput, type Packing } from './unpack.js';

export { DEFAULT_MAX_INPUT_BYTES } from './readLimited.js';
export { INPUT_FORMATS, type InputFormat } from './decode.js';

/** What to read: a metric file, inline metrics, or both. */
export interface InputSpec {
  /** A path, `-` for stdin, or `s3://bucket/key`. Optional when `metrics` (or `document`) are given. */
  input?: string;
  /** What `-` reads: the process's stdin unless given (a CLI run in process, a caller's own stream). */
  stdin?: AsyncIterable<Uint8Array>;
  /**
   * Records already in memory, instead of `input` and `metrics`: an array of records or the `{labels, metrics}`
   * form, as a program holds them (MetricCollector's parseAndPush), validated as a file's would be.
   */
  document?: unknown;
  /**
   * The bytes of `input`, already read: decoded as its contents and not read again. A watcher reads the
   * file itself, to compare it with what it pushed last, and pushes exactly the bytes it compared.
   */
  content?: Buffer;
  /**
   * The file's format: `json`, `jsonl` (one record per line) or `kfp` (a Kubeflow Pipelines v1 metrics
   * file). By default a name ending in `.jsonl` or `.ndjson` is JSON Lines, and so is a text that is a JSON
   * value per line; JSON is KFP's or ours by its shape. A gzip or tar+gzip input is unpacked first.
   */
  format?: InputFormat;
  /** Put before each metric name of a Kubeflow Pipelines file (`--name-prefix`). */
  namePrefix?: string;
  /** Metrics given on the command line (`--metric`). */
  metrics?: readonly InlineMetric[];
  /** Type of the inline metrics that name none (`--metric-type`); gauge by default. */
  metricType?: InlineMetricType;
  /** Refuse a larger file, stdin or object before parsing it (default 64 MiB); a compressed one also when it decompresses to more. */
  maxInputBytes?: number;
  s3?: S3SourceOptions;
}

export interface LoadedInput {
  /** Our metric file, converted from the input's format, with any inline records joined to it; not yet validated. */
  document: unknown;
  /** The file's format, as given or recognised; absent when there is no file. */
  format?: InputFormat;
  /** How the file was packed (gzip, tar, tar+gzip); absent when it was not. */
  packing?: Packing;
  /** Where it came from, for messages: a path, "stdin", an s3:// URL, "--metric flags". */
  origin: string;
  bytes: number;
  /** Problems found while reading, in the input's own terms; `validateInput` reports them with the rest. */
  issues: readonly DataIssue[];
  /**
   * What the input says that is read past (a duplicate key, a number beyond float64), in its own terms;
   * `validateInput` logs them as warnings, or refuses them with `strict`.
   */
  warnings?: readonly DataIssue[];
  /** Where each record of `document` was written (a line, a KFP entry, a --metric flag), when that is not its JSON pointer. */
  places?: RecordPlaces;
}

/**
 * Reads and decodes the input: a file, stdin (`-`) or an S3 object in any format, inline `--metric`
 * flags, a file plus flags, or records already in memory (`document`). Validate the result with `validateInput`, which places each problem
 * where it was written.
 */
export async function loadInput(spec: InputSpec): Promise<LoadedInput> {
  const metrics = spec.metrics ?? [];
  if (spec.document !== undefined) {
    if (spec.input !== undefined || metrics.length > 0) throw new ConfigError('records in memory (`document`) are the whole input: give no `input` or `metrics` beside them');
    return { document: spec.document, origin: 'the records', bytes: 0, issues: [] };
  }
  if (spec.input === undefined && metrics.length === 0) {
    throw new OptionError(['input', 'metrics'], 'are both missing: give a metric file, - for stdin or s3://bucket/key as input, or inline metrics');
  }
  const records = metrics.map((metric) => inlineRecord(metric, spec.metricType ?? 'gauge'));
  if (spec.input === undefined) {
    if (spec.format !== undefined || spec.namePrefix !== undefined) {
      throw new OptionError(['format', 'namePrefix'], 'describe a metric file, and there is none: only inline metrics');
    }
    return { document: records, origin: '--metric flags', bytes: 0, issues: [], places: inlinePlaces(records) };
  }
  const origin = spec.input === '-' ? 'stdin' : spec.input;
  const format = spec.format ?? formatOfName(spec.input);
  // Before reading: a wrong flag should not wait for a large download to be reported.
  checkNameOptions(format, spec.namePrefix, origin);
  const maxBytes = spec.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const unpacked = await unpackInput(spec.content ?? (await readInputBytes(spec.input, maxBytes, spec.s3, spec.stdin)), origin, maxBytes);
  const decoded = decodeInput(unpacked.bytes, { origin, format: format ?? (unpacked.name === undefined ? undefined : formatOfName(unpacked.name)), namePrefix: spec.namePrefix });

  const joined = joinInlineRecords(decoded.document, records);
  const flags = metrics.length === 0 ? '' : ` and ${metrics.length} --metric flag${metrics.length === 1 ? '' : 's'}`;
  const filePlaces = decoded.places ?? documentPlaces(recordPrefix(decoded.document));
  const places = joined.inlineFrom === undefined ? decoded.places : joinPlaces(filePlaces, joined.inlineFrom, inlinePlaces(records));
  return {
    document: joined.document,
    format: decoded.format,
    ...(unpacked.packing === undefined ? {} : { packing: unpacked.packing }),
    origin: `${origin}${flags}`,
    bytes: unpacked.bytes.byteLength,
    issues: decoded.issues,
    warnings: decoded.warnings,
    places,
  };
}

async function readInputBytes(input: string, maxBytes: number, s3: S3SourceOptions | undefined, stdin: AsyncIterable<Uint8Array> | undefined): Promise<Buffer> {
  // process.stdin is a getter that opens the stream (5 ms of a 10-record push): only a run that reads it asks for it.
  if (input === '-') return readLimited(stdin ?? process.stdin, maxBytes, 'stdin');
  if (input.startsWith('s3://')) {
    // A dynamic import keeps the AWS SDK out of every run that reads no S3 object.
    const { readS3Object } = await import('./s3.js');
    return readS3Object(input, maxBytes, s3);
  }
  return readFileSource(input, maxBytes);
}
