import type { DataIssue } from '../errors.js';
import { MAX_SCHEMA_ISSUES } from '../validate/chunkedSchema.js';
import { problemsError } from '../validate/index.js';
import { decodeUtf8, firstInvalidUtf8Byte, jsonSyntaxError } from './parse.js';
import type { RecordPlaces } from './places.js';

const NEWLINE = 0x0a;

/** The records of a JSON Lines file, and the line (from 1) each was on. */
export interface JsonLines {
  records: unknown[];
  lines: number[];
}

/**
 * Parses one JSON value per line; lines of only spaces, tabs or a CR are skipped. Each line is decoded
 * and parsed on its own, straight from the bytes, so no text of the whole input is ever built. Every
 * line that is not UTF-8 or not JSON is listed (up to MAX_SCHEMA_ISSUES), by its number.
 */
export function parseJsonLines(bytes: Uint8Array, origin: string): JsonLines {
  const records: unknown[] = [];
  const lines: number[] = [];
  const issues: DataIssue[] = [];
  let start = 0;
  for (let line = 1; start <= bytes.length && issues.length < MAX_SCHEMA_ISSUES; line++) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    if (!isBlank(bytes, start, end)) {
      const issue = parseLine(bytes.subarray(start, end), start, records);
      if (issue === undefined) lines.push(line);
      else issues.push({ pointer: `line ${line}`, message: issue });
    }
    start = end + 1;
  }
  if (issues.length > 0) throw problemsError(origin, issues, start < bytes.length);
  return { records, lines };
}

/** Record `index` is on line `lines[index]`: "line 57311", and "line 57311 /value" for a field. */
export function linePlaces(lines: readonly number[]): RecordPlaces {
  return { record: (index) => `line ${lines[index]}`, field: (index, field) => `line ${lines[index]} ${field}` };
}

/** Parses one line onto `records`; returns what is wrong with it instead when it is not UTF-8 or not JSON. */
function parseLine(lineBytes: Uint8Array, offset: number, records: unknown[]): string | undefined {
  const text = decodeUtf8(lineBytes);
  if (text === undefined) return `is not valid UTF-8 (at byte ${offset + firstInvalidUtf8Byte(lineBytes)} of the input)`;
  try {
    records.push(JSON.parse(text));
    return undefined;
  } catch (error) {
    const { reason, column } = jsonSyntaxError(error, text);
    return `is not valid JSON: ${reason}${column === undefined ? '' : ` at column ${column}`}`;
  }
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}
