import { DataError, OptionError, type DataIssue } from '../errors.js';
import { parseJsonArrayBytes } from './jsonArray.js';
import { linePlaces, parseJsonLines } from './jsonLines.js';
import { describeFinding, JsonSyntaxError, parseJsonText, type ParsedJson } from './jsonText.js';
import { isKfpShape, namePrefixProblem, readKfpMetrics } from './kfp.js';
import { decodeUtf8 } from './parse.js';
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
  /** What the text says that is read past, in the input's own terms: a duplicate key, a number beyond float64. Errors under --strict. */
  warnings: DataIssue[];
  /** Where each record of `document` was written, when that is not the document's own JSON pointer. */
  places?: RecordPlaces;
}

/** The format a name says: JSON Lines for `.jsonl` and `.ndjson`, else nothing (JSON, of either shape). */
export function formatOfName(name: string): InputFormat | undefined {
  return /\.(?:jsonl|ndjson)(?:\.gz)?$/i.test(name) ? 'jsonl' : undefined;
}

/** Refuses a name prefix that cannot start a metric name, or one given for an input that is not KFP's. */
export function checkNameOptions(format: InputFormat | undefined, namePrefix: string | undefined, origin: string): void {
  if (namePrefix === undefined) return;
  const problem = namePrefixProblem(namePrefix);
  if (problem !== undefined) throw new OptionError(['namePrefix'], problem);
  if (format !== undefined && format !== 'kfp') {
    throw new OptionError(['namePrefix'], `applies to Kubeflow Pipelines metrics files only; ${origin} is read as ${format}`);
  }
}

/**
 * Turns the bytes of a metric file of any format into our metric file, for the shared validation. With
 * no format given, a text that is not one JSON value but a JSON value per line is JSON Lines, and so is
 * a single record on a single line; a single record written over several lines is refused with the fix.
 */
export function decodeInput(bytes: Uint8Array, options: DecodeOptions): DecodedInput {
  const { origin, format, namePrefix } = options;
  checkNameOptions(format, namePrefix, origin);
  if (format === 'jsonl') return decodeJsonLines(bytes, origin);
  const read = readJson(bytes, origin, format);
  // JSON Lines is read from the bytes, line by line: the text of the whole file is not held meanwhile.
  if (read === 'jsonl') return decodeJsonLines(bytes, origin);
  const document = read.parsed.value;
  const warnings = read.parsed.findings.map((finding) => ({ pointer: finding.pointer, message: describeFinding(finding) }));
  const shaped = format ?? (isKfpShape(document) ? 'kfp' : 'json');
  checkNameOptions(shaped, namePrefix, origin);
  if (shaped === 'json') return { document, format: shaped, issues: [], warnings };
  const kfp = readKfpMetrics(document, origin, namePrefix);
  return { document: kfp.document, format: shaped, issues: kfp.issues, warnings, places: kfp.places };
}

/** The JSON of the bytes, or 'jsonl' when no format was given and the text is JSON Lines by its content. */
function readJson(bytes: Uint8Array, origin: string, format: InputFormat | undefined): { parsed: ParsedJson } | 'jsonl' {
  // A plain array, read element by element: no text of the whole file (jsonArray.ts). Anything else, a problem included, is read whole.
  const elements = parseJsonArrayBytes(bytes);
  if (elements !== undefined) return { parsed: elements };
  const text = decodeUtf8(bytes, origin);
  let parsed: ParsedJson;
  try {
    parsed = parseJsonText(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    if (format === undefined && isJsonLines(text)) return 'jsonl';
    throw new DataError((name) => `${origin} is not valid JSON: ${error.describe(name)}`, [], { cause: error });
  }
  if (format !== 'kfp' && isOneRecord(parsed.value)) {
    if (format === undefined && isOneLine(text)) return 'jsonl';
    throw new DataError(`${origin} holds one record, not a list of them: wrap it in [ ] (or give a record per line, as JSON Lines)`);
  }
  return { parsed };
}

function decodeJsonLines(bytes: Uint8Array, origin: string): DecodedInput {
  const { records, lines, warnings } = parseJsonLines(bytes, origin);
  return { document: records, format: 'jsonl', issues: [], warnings, places: linePlaces(lines) };
}

/** A record by itself, not in a list: an object with a record's fields and no `metrics`. */
function isOneRecord(document: unknown): boolean {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return false;
  return !Object.hasOwn(document, 'metrics') && (Object.hasOwn(document, 'metric_type') || (Object.hasOwn(document, 'name') && Object.hasOwn(document, 'value')));
}

function isOneLine(text: string): boolean {
  return !text.trim().includes('\n');
}

/** Several lines, the first of them an object or array by itself: a JSON Lines file, whatever its name. */
function isJsonLines(text: string): boolean {
  let start = 0;
  let end = text.indexOf('\n');
  while (end !== -1 && text.slice(start, end).trim() === '') {
    start = end + 1;
    end = text.indexOf('\n', start);
  }
  if (end === -1 || text.slice(end).trim() === '') return false;
  try {
    const first = parseJsonText(text.slice(start, end)).value;
    return typeof first === 'object' && first !== null;
  } catch {
    return false;
  }
}
