import { isUtf8 } from 'node:buffer';
import { parseJsonText, type ParsedJson } from './jsonText.js';

const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Text per parse: small enough to be young garbage at once, large enough that a call's own cost is nothing. */
const CHUNK_BYTES = 32 * 1024;

/**
 * A metric file that is a JSON array of objects, read a run of records at a time from its bytes: each
 * run's bytes, about CHUNK_BYTES, are decoded and parsed (parseJsonText, Python's JSON) as an array of
 * their own, so the text of the whole file, as large again as the file, is never built beside the parsed
 * records (issue 28: peak memory).
 *
 * A run ends before a `,` between a `}` and a `{` (JSON whitespace aside), the gap between two records;
 * one found inside a string or deeper in a record makes a run that does not parse, which is then taken on
 * to the next gap (up to MAX_RETRIES times). A run that parses is
 * a list of whole elements: JSON is read left to right in one way only, so the text that follows the start
 * of an element and reads as complete elements ends where the array's reading is between two of them.
 *
 * Only the common case is read here: valid UTF-8, an array of objects, and runs that each parse with nothing to say
 * (no duplicate key, no number beyond float64). Anything else is undefined, for the caller to read the
 * whole text as before, so that every message and its line and column stay as they were.
 */
export function parseJsonArrayBytes(bytes: Uint8Array, chunkBytes = CHUNK_BYTES): ParsedJson | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A byte-order mark is dropped, as the whole text's decoder drops it.
  const open = skipWhitespace(buffer, buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0);
  const close = lastNonWhitespace(buffer);
  if (buffer[open] !== OPEN_BRACKET || buffer[close] !== CLOSE_BRACKET || close <= open || !isUtf8(buffer)) return undefined;
  // An array of records starts with one: an array of anything else goes to the whole text at once, not read twice.
  const first = buffer[skipWhitespace(buffer, open + 1)];
  if (first !== OPEN_BRACE && first !== CLOSE_BRACKET) return undefined;
  const values: unknown[] = [];
  for (let start = open + 1; ; ) {
    let cut = recordGap(buffer, start + chunkBytes, close);
    let elements = parseElements(buffer, start, cut);
    // A gap inside a string ("}, {" in a description) makes a run that does not parse: the run is taken on to the next gap, a few times.
    for (let tries = 0; elements === NOT_JSON && cut !== close && tries < MAX_RETRIES; tries++) {
      cut = recordGap(buffer, cut + 1, close);
      elements = parseElements(buffer, start, cut);
    }
    // A run of none is a whole array `[]`; between two commas it would be an element missing, which the whole text's reading names.
    if (!Array.isArray(elements) || (elements.length === 0 && !(start === open + 1 && cut === close))) return undefined;
    for (const value of elements) {
      // Records only: an array of anything else (two million numbers, a hostile file) is read whole as before,
      // one array made by JSON.parse, not grown run by run beside the garbage of each run.
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      values.push(value);
    }
    if (cut === close) return { value: values, findings: [] };
    start = cut + 1;
  }
}

const NOT_JSON = 'not JSON';
const SAYS_SOMETHING = 'says something';
/** Gaps tried past the first for a run: each failed try reads the run again, and a text that is not JSON fails every one. */
const MAX_RETRIES = 4;

/** The elements between `start` and `end`, read as a list; NOT_JSON when they do not parse so, SAYS_SOMETHING when they have findings. */
function parseElements(buffer: Buffer, start: number, end: number): unknown[] | typeof NOT_JSON | typeof SAYS_SOMETHING {
  let parsed: ParsedJson;
  try {
    parsed = parseJsonText(`[${buffer.toString('utf8', start, end)}]`);
  } catch {
    return NOT_JSON;
  }
  return parsed.findings.length === 0 ? (parsed.value as unknown[]) : SAYS_SOMETHING;
}

/** The first `,` from `from` on with `}` before it and `{` after it (whitespace aside), or `close` when there is none before it. */
function recordGap(buffer: Buffer, from: number, close: number): number {
  for (let brace = buffer.indexOf(OPEN_BRACE, from); brace !== -1 && brace < close; brace = buffer.indexOf(OPEN_BRACE, brace + 1)) {
    const comma = previousNonWhitespace(buffer, brace - 1);
    if (comma >= from && buffer[comma] === COMMA && buffer[previousNonWhitespace(buffer, comma - 1)] === CLOSE_BRACE) return comma;
  }
  return close;
}

const isWhitespace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

function skipWhitespace(buffer: Buffer, at: number): number {
  while (at < buffer.length && isWhitespace(buffer[at])) at++;
  return at;
}

function previousNonWhitespace(buffer: Buffer, at: number): number {
  while (at >= 0 && isWhitespace(buffer[at])) at--;
  return at;
}

function lastNonWhitespace(buffer: Buffer): number {
  return previousNonWhitespace(buffer, buffer.length - 1);
}
