import { UsageError, type DataIssue } from '../errors.js';
import { linePlaces, parseJsonLines } from './jsonLines.js';
import { isKfpShape, namePrefixProblem, readKfpMetrics } from './kfp.js';
import { parseMetricJson } from './parse.js';
import type { RecordPlaces } from './places.js';

/**
 * The forms a metric file may take: our JSON (an array of records or `{labels, metrics}`), JSON Lines
 * (one record per line), or a Kubeflow Pipelines v1 metrics file (`mlpipeline-metrics.json`).
 */
export type InputFormat = 'json' | 'jsonl' | 'kfp';
export const INPUT_FORMATS: readonly InputFormat[] = ['json', 'jsonl', 'kfp'];

export interface DecodeOptions {
  /** Where the bytes came from, for messages: a path, "stdin", an s3:// URL. */
  origin: string;
  /** The format; by default JSON, read as KFP's or ours by its shape. */
  format?: InputFormat;
  /** Put before the name of each metric of a Kubeflow Pipelines file. */
  namePrefix?: string;
}

export interface DecodedInput {
  /** Our metric file (array or object form), ready for the shared validation. */
  document: unknown;
  format: InputFormat;
  /** Problems found before the shared validation, in the input's own terms (a KFP entry its schema refuses). */
  issues: DataIssue[];
  /** Where each record of `document` was written, when that is not the document's own JSON pointer. */
  places?: RecordPlaces;
}

/** The format a name says: JSON Lines for `.jsonl` and `.ndjson`, else nothing (JSON, of either shape). */
export function formatOfName(name: string): InputFormat | undefined {
  return /\.(?:jsonl|ndjson)$/i.test(name) ? 'jsonl' : undefined;
}

/** Refuses a --name-prefix that cannot start a metric name, or one given for an input that is not KFP's. */
export function checkNameOptions(format: InputFormat | undefined, namePrefix: string | undefined, origin: string): void {
  if (namePrefix === undefined) return;
  const problem = namePrefixProblem(namePrefix);
  if (problem !== undefined) throw new UsageError(`--name-prefix ${problem}`);
  if (format !== undefined && format !== 'kfp') {
    throw new UsageError(`--name-prefix applies to Kubeflow Pipelines metrics files only; ${origin} is read as ${format}`);
  }
}

/** Turns the bytes of a metric file of any format into our metric file, for the shared validation. */
export function decodeInput(bytes: Uint8Array, options: DecodeOptions): DecodedInput {
  const { origin, format, namePrefix } = options;
  checkNameOptions(format, namePrefix, origin);
  if (format === 'jsonl') {
    const { records, lines } = parseJsonLines(bytes, origin);
    return { document: records, format, issues: [], places: linePlaces(lines) };
  }
  const document = parseMetricJson(bytes, origin);
  const shaped = format ?? (isKfpShape(document) ? 'kfp' : 'json');
  checkNameOptions(shaped, namePrefix, origin);
  if (shaped === 'json') return { document, format: shaped, issues: [] };
  const kfp = readKfpMetrics(document, origin, namePrefix);
  return { document: kfp.document, format: shaped, issues: kfp.issues, places: kfp.places };
}
