import { DataError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes and parses a metric file. Invalid UTF-8 is refused rather than silently replaced; a leading
 * byte-order mark is dropped, as editors on Windows write one.
 */
export function parseMetricJson(bytes: Uint8Array, origin: string): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DataError(`${origin} is not valid UTF-8 (at byte ${firstInvalidUtf8Byte(bytes)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const { reason, line, column } = jsonSyntaxError(error, text);
    const at = line === undefined ? '' : ` at line ${line}, column ${column}`;
    throw new DataError(`${origin} is not valid JSON: ${reason}${at}`);
  }
}

/** JSON.parse's complaint, and where it is as an editor shows it (JSON.parse reports a character offset, when it does). */
export function jsonSyntaxError(error: unknown, text: string): { reason: string; line?: number; column?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (!position) return { reason: message };
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { reason: message.replace(/ in JSON at position \d+.*$/s, ''), line, column };
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
