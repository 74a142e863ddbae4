import { isUtf8 } from 'node:buffer';
import type { DataIssue } from '../errors.js';
import { MAX_SCHEMA_ISSUES } from '../validate/chunkedSchema.js';
import { problemsError } from '../validate/index.js';
import { describeFinding, JsonSyntaxError, parseJsonText } from './jsonText.js';
import { firstInvalidUtf8Byte } from './parse.js';
import type { RecordPlaces } from './places.js';

const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

/** The records of a JSON Lines file, the line (from 1) each was on, and what its JSON says silently (a duplicate key), by line. */
export interface JsonLines {
  records: unknown[];
  lines: number[];
  warnings: DataIssue[];
}

/**
 * Parses one JSON value per line (Python's JSON: see jsonText.ts); lines of only spaces, tabs or a CR are skipped. The bytes are checked
 * for UTF-8 once, then each line is decoded and parsed on its own, so no text of the whole input is ever
 * built. Every line that is not JSON is listed (up to MAX_SCHEMA_ISSUES), by its number.
 */
export function parseJsonLines(bytes: Uint8Array, origin: string): JsonLines {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isUtf8(buffer)) {
    const at = firstInvalidUtf8Byte(bytes);
    throw problemsError(origin, [{ pointer: `line ${lineOf(buffer, at)}`, message: `is not valid UTF-8 (at byte ${at} of the input)` }]);
  }
  const records: unknown[] = [];
  const lines: number[] = [];
  const issues: DataIssue[] = [];
  const warnings: DataIssue[] = [];
  // A byte-order mark, as editors on Windows write one, is not part of the first line.
  let start = BYTE_ORDER_MARK.every((byte, i) => buffer[i] === byte) ? BYTE_ORDER_MARK.length : 0;
  for (let line = 1; start <= buffer.length && issues.length < MAX_SCHEMA_ISSUES; line++) {
    const newline = buffer.indexOf(NEWLINE, start);
    const end = newline === -1 ? buffer.length : newline;
    if (!isBlank(buffer, start, end)) {
      const text = buffer.toString('utf8', start, end);
      try {
        const parsed = parseJsonText(text);
        records.push(parsed.value);
        lines.push(line);
        for (const finding of parsed.findings) warnings.push({ pointer: `line ${line} ${finding.pointer}`, message: describeFinding(finding, true) });
      } catch (error) {
        if (!(error instanceof JsonSyntaxError)) throw error;
        // No hint within one line names an option (one that does, "give format jsonl", is about a whole file).
        const hint = error.hint === undefined ? '' : `: ${typeof error.hint === 'function' ? error.hint((option) => option) : error.hint}`;
        issues.push({ pointer: `line ${line}`, message: `is not valid JSON at column ${error.column}: ${error.reason}${hint}` });
      }
    }
    start = end + 1;
  }
  if (issues.length > 0) throw problemsError(origin, issues, start < buffer.length);
  return { records, lines, warnings };
}

/** Record `index` is on line `lines[index]`: "line 57311", and "line 57311 /value" for a field. */
export function linePlaces(lines: readonly number[]): RecordPlaces {
  return { record: (index) => `line ${lines[index]}`, field: (index, field) => `line ${lines[index]} ${field}` };
}

/** The number of the line that byte `offset` is on. */
function lineOf(buffer: Buffer, offset: number): number {
  let line = 1;
  for (let at = buffer.indexOf(NEWLINE); at !== -1 && at < offset; at = buffer.indexOf(NEWLINE, at + 1)) line++;
  return line;
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}
