import { DataError } from '../errors.js';
import { JsonSyntaxError, parseJsonText, type ParsedJson } from './jsonText.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes a metric file's text. Invalid UTF-8 is refused rather than silently replaced; a leading byte-order mark is dropped, as editors on Windows write one. */
export function decodeUtf8(bytes: Uint8Array, origin: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new DataError(`${origin} is not valid UTF-8 (at byte ${firstInvalidUtf8Byte(bytes)})`);
  }
}

/** Decodes and parses a metric file as Python's JSON (see jsonText.ts); a syntax error is one line, with its place and likely fix. */
export function parseMetricJson(bytes: Uint8Array, origin: string): ParsedJson {
  return parseMetricText(decodeUtf8(bytes, origin), origin);
}

export function parseMetricText(text: string, origin: string): ParsedJson {
  try {
    return parseJsonText(text);
  } catch (error) {
    throw error instanceof JsonSyntaxError ? new DataError((name) => `${origin} is not valid JSON: ${error.describe(name)}`, [], { cause: error }) : error;
  }
}

/** Offset of the first byte that cannot start or continue a UTF-8 sequence (the length for a truncated end). */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  // With `stream`, a prefix fails only once it holds a bad byte, so validity is monotonic: binary search.
  const prefixIsValid = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (prefixIsValid(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}
