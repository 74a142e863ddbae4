import { readFileSource } from './file.js';
import { parseMetricJson } from './parse.js';
import { readLimited } from './readLimited.js';

export { DEFAULT_MAX_INPUT_BYTES } from './readLimited.js';

export interface LoadedInput {
  /** The parsed JSON document, not yet validated. */
  document: unknown;
  /** Where it came from, for messages: a path or "stdin". */
  origin: string;
  bytes: number;
}

/** Reads and parses a metric file from a path, or from stdin when the path is `-`. */
export async function loadInput(input: string, maxBytes: number): Promise<LoadedInput> {
  const origin = input === '-' ? 'stdin' : input;
  const bytes = input === '-' ? await readLimited(process.stdin, maxBytes, origin) : await readFileSource(input, maxBytes);
  return { document: parseMetricJson(bytes, origin), origin, bytes: bytes.byteLength };
}
