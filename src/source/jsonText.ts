import { parse as parseJson5, type DocumentNode, type Token, type ValueNode } from '@humanwhocodes/momoa';
import { escapePointer } from '../validate/schema.js';
import type { OptionMessage, OptionNamer } from '../errors.js';

/**
 * JSON as Python's `json.dump` writes it: standard JSON, plus the bare tokens `NaN`, `Infinity` and
 * `-Infinity` wherever a number may stand (Python's default, `allow_nan=True`). The text is read with
 * the native JSON.parse first; only a text it refuses, or one a cheap check finds suspicious (a duplicate
 * key, a number that may underflow), is read again by a tolerant parser that knows every token's place.
 */

/** Something the text says that JSON.parse would read silently and the user should hear of. */
export interface JsonFinding {
  /** JSON pointer, into the value read, of the field concerned. */
  pointer: string;
  /** What the text says and how it is read, without where. */
  message: string;
  /** Where in the text, as an editor counts: a duplicate key's both places. */
  at: readonly Place[];
}

export interface Place {
  line: number;
  column: number;
}

/** The finding's message with its places: "(line 3, column 5)", or "(column 5)" for a text of one line (a JSON Lines line). */
export function describeFinding(finding: JsonFinding, oneLine = false): string {
  const places = finding.at.map((place) => (oneLine ? `column ${place.column}` : `line ${place.line}, column ${place.column}`));
  return `${finding.message} (${places.join(' and ')})`;
}

export interface ParsedJson {
  value: unknown;
  /** Duplicate keys, and numbers outside float64's range, with where they are. */
  findings: JsonFinding[];
}

/** A text that is not JSON (nor Python's JSON), with where, as an editor counts, and the likely fix. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    /** The fix, which may name an option (`format`): `describe` names it as the reader knows it. */
    readonly hint?: string | OptionMessage,
  ) {
    super('');
    this.message = this.describe((option) => option);
  }

  /** The message with each option its hint names called by `name` (a command line's flags). */
  describe(name: OptionNamer): string {
    const hint = typeof this.hint === 'function' ? this.hint(name) : this.hint;
    return `line ${this.line}, column ${this.column}: ${this.reason}${hint === undefined ? '' : `: ${hint}`}`;
  }
}

/** Parses `text` as Python's JSON; throws JsonSyntaxError for anything else. */
export function parseJsonText(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parsePythonTokens(text) ?? parseTolerantly(text);
  }
  return needsCloserLook(text, value) ? parseTolerantly(text) : { value, findings: [] };
}

/**
 * Whether JSON.parse may have dropped a duplicate key, or read a number outside float64's range, without
 * a word. Every ':' of the text is a key's or inside a string; so with no `\u003a` escape (which makes a
 * ':' the text does not show), the text holds as many as the value's keys and strings do exactly when
 * no key was dropped. JSON.parse reads a number too large as ±Infinity, and nothing else as such; one too
 * small as 0, so the text is searched for such a literal only when a 0 was read.
 */
function needsCloserLook(text: string, value: unknown): boolean {
  if (text.includes('\\u003') && /\\u003[aA]/.test(text)) return true;
  const read = walk(value);
  if (read === undefined || read.colons !== colonsIn(text)) return true;
  return read.zeros > 0 && mayUnderflow(text);
}

/** A negative exponent of three digits or more (`1e-400`), or a run of 100 zeros (`0.000…1`): only such a literal can underflow to 0. */
function mayUnderflow(text: string): boolean {
  const exponent = /0*[1-9]\d\d/y;
  // A search for each '-' rather than a regular expression over every character: a minus sign is rare in a metric file, an "e" is not.
  for (let at = text.indexOf('-'); at !== -1; at = text.indexOf('-', at + 1)) {
    const before = text.charCodeAt(at - 1);
    exponent.lastIndex = at + 1;
    if ((before === 0x65 || before === 0x45) && exponent.test(text)) return true;
  }
  return text.includes(HUNDRED_ZEROS);
}

const HUNDRED_ZEROS = '0'.repeat(100);

/** Python's tokens, each made a string JSON.parse reads and no text of the file can spell (it has no `\u0000`). */
const SENTINELS: Record<string, string> = { NaN: '\u0000NaN', Infinity: '\u0000+Inf', '-Infinity': '\u0000-Inf' };
const SENTINEL_VALUES = new Map<unknown, number>([
  ['\u0000NaN', Number.NaN],
  ['\u0000+Inf', Number.POSITIVE_INFINITY],
  ['\u0000-Inf', Number.NEGATIVE_INFINITY],
]);

/**
 * The common case of a text JSON.parse refuses: Python's JSON with a NaN or an infinity. Each such token
 * outside a string is made a sentinel string, JSON.parse reads the result, and the sentinels are made
 * numbers again: a large file with one NaN costs about what JSON.parse does, not what the tolerant parser
 * does. Undefined when that fails (the text is not JSON with Python's tokens) or the cheap checks find
 * something to say, for the tolerant parser to say it with its place.
 */
function parsePythonTokens(text: string): ParsedJson | undefined {
  if (text.includes('\\u0000')) return undefined;
  const substituted = withSentinels(text);
  if (substituted === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(substituted);
  } catch {
    return undefined;
  }
  if (needsCloserLook(substituted, value)) return undefined;
  return { value: withoutSentinels(value), findings: [] };
}

/** The text with every NaN, Infinity and -Infinity outside a string made a sentinel string; undefined when there is none. */
function withSentinels(text: string): string | undefined {
  const token = /-?Infinity|NaN/g;
  const pieces: string[] = [];
  let copied = 0;
  let scanned = 0;
  let inString = false;
  for (let match = token.exec(text); match !== null; match = token.exec(text)) {
    // Whether the token is inside a string: the quotes since the last token, a quote after an odd run of backslashes escaped.
    for (let quote = text.indexOf('"', scanned); quote !== -1 && quote < match.index; quote = text.indexOf('"', quote + 1)) {
      let backslashes = 0;
      while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
      if (!inString || backslashes % 2 === 0) inString = !inString;
    }
    scanned = match.index;
    if (inString) continue;
    // Only where a value stands: after [ , or : and before , ] or }; anything else is for the tolerant parser to name.
    const before = /[^ \t\n\r]?(?=[ \t\n\r]*$)/.exec(text.slice(Math.max(0, match.index - 64), match.index))?.[0] ?? '';
    const after = /^[ \t\n\r]*([^ \t\n\r]?)/.exec(text.slice(copiedEnd(match), copiedEnd(match) + 64))?.[1] ?? '';
    if (!['', '[', ',', ':'].includes(before) || !['', ',', ']', '}'].includes(after)) return undefined;
    pieces.push(text.slice(copied, match.index), JSON.stringify(SENTINELS[match[0]]));
    copied = match.index + match[0].length;
  }
  if (pieces.length === 0) return undefined;
  pieces.push(text.slice(copied));
  return pieces.join('');
}

const copiedEnd = (match: RegExpExecArray): number => match.index + match[0].length;

/** The sentinel strings made numbers again, in place. Iterative: a file may nest 100,000 deep. */
function withoutSentinels(root: unknown): unknown {
  if (typeof root === 'string') return SENTINEL_VALUES.get(root) ?? root;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const container = pending.pop() as Record<string, unknown>;
    for (const key in container) {
      const item = container[key];
      if (typeof item === 'object' && item !== null) pending.push(item);
      else if (typeof item === 'string' && SENTINEL_VALUES.has(item)) container[key] = SENTINEL_VALUES.get(item);
    }
  }
  return root;
}

function colonsIn(text: string): number {
  let count = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) count++;
  return count;
}

/**
 * The keys, plus the ':' inside every key and string, and the numbers read as 0; undefined at a number
 * that is not finite. Iterative: a file may nest 100,000 deep.
 */
function walk(root: unknown): { colons: number; zeros: number } | undefined {
  let colons = 0;
  let zeros = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes(':')) colons += colonsIn(value);
    } else if (typeof value === 'number') {
      if (value === 0) zeros++;
      else if (!Number.isFinite(value)) return undefined;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      // for…in: no array of keys per object; a parsed object has no inherited enumerable keys.
      for (const key in value) {
        colons += key.includes(':') ? 1 + colonsIn(key) : 1;
        pending.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return { colons, zeros };
}

/** A JSON number, as RFC 8259 writes it. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Python's spellings of the numbers JSON has none for. */
const PYTHON_NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };
const JSON_WHITESPACE = /^[ \t\n\r]*$/;

/**
 * Reads the text with momoa in its JSON5 mode, which accepts Python's tokens with the rest of JSON5,
 * then refuses every JSON5 extension but those tokens, token by token, so what is read is exactly JSON
 * plus NaN, Infinity and -Infinity. The values are made from each token’s own text, as JSON.parse would.
 * Exported for the tests, which hold it to JSON.parse on every JSON text.
 */
export function parseTolerantly(text: string): ParsedJson {
  let document: DocumentNode;
  // momoa (3.3.13) never returns from a text whose last character is a backslash: an escape cut off by the
  // end, in a string that is never closed. No such text is JSON, whatever comes after it; with a quote
  // after it, momoa reports the string unclosed at the end, or the backslash where it stands outside a string.
  const read = text.endsWith('\\') ? `${text}"` : text;
  try {
    document = parseJson5(read, { mode: 'json5', tokens: true, ranges: true });
  } catch (error) {
    throw syntaxErrorOf(error, text);
  }
  checkTokens(document.tokens ?? [], text);
  const findings: JsonFinding[] = [];
  const value = evaluate(document.body, '', text, findings);
  return { value, findings };
}

/** The first JSON5 extension the text uses beyond Python's tokens, as a JsonSyntaxError. */
function checkTokens(tokens: readonly Token[], text: string): void {
  let end = 0;
  tokens.forEach((token, index) => {
    const [from, to] = token.range!;
    const at = token.loc.start;
    checkGap(text, end, from);
    end = to;
    const raw = text.slice(from, to);
    switch (token.type) {
      case 'LineComment':
      case 'BlockComment':
        throw new JsonSyntaxError('a comment', at.line, at.column, 'JSON has no comments: remove it');
      case 'Comma': {
        const next = tokens[index + 1]?.type;
        if (next === 'RBracket' || next === 'RBrace') {
          throw new JsonSyntaxError(`a comma before "${next === 'RBracket' ? ']' : '}'}"`, at.line, at.column, 'remove the trailing comma');
        }
        return;
      }
      case 'String':
        if (!raw.startsWith('"')) throw new JsonSyntaxError('a string in single quotes', at.line, at.column, pythonHint('use double quotes'));
        try {
          JSON.parse(raw);
        } catch {
          throw new JsonSyntaxError('a string holds a raw control character or an escape JSON has not', at.line, at.column, 'escape it as \\n, \\t or \\uXXXX');
        }
        return;
      case 'Identifier':
        throw new JsonSyntaxError(`the key ${raw} is not in quotes`, at.line, at.column, 'put it in double quotes');
      case 'Number':
      case 'NaN':
      case 'Infinity':
        if (!JSON_NUMBER.test(raw) && !Object.hasOwn(PYTHON_NON_FINITE, raw)) {
          throw new JsonSyntaxError(`${raw} is not a JSON number`, at.line, at.column, 'write a decimal number, or NaN, Infinity or -Infinity as Python does');
        }
        return;
      default:
        return;
    }
  });
  checkGap(text, end, text.length);
}

/** JSON5 counts more characters as whitespace than JSON does (a no-break space, U+2028…). */
function checkGap(text: string, from: number, to: number): void {
  const gap = text.slice(from, to);
  if (JSON_WHITESPACE.test(gap)) return;
  const offset = from + gap.search(/[^ \t\n\r]/);
  const { line, column } = lineAndColumn(text, offset);
  const code = text.codePointAt(offset)!.toString(16).toUpperCase().padStart(4, '0');
  throw new JsonSyntaxError(`the character U+${code} is not JSON whitespace`, line, column, 'remove it');
}

/** The value of a node that checkTokens has accepted; duplicate keys and out-of-range numbers are noted in `findings`. */
function evaluate(root: ValueNode, rootPointer: string, text: string, findings: JsonFinding[]): unknown {
  const raw = (node: { range?: [number, number] }): string => text.slice(node.range![0], node.range![1]);
  const read = (node: ValueNode, pointer: string): unknown => {
    switch (node.type) {
      case 'Object': {
        const object: Record<string, unknown> = {};
        const seen = new Map<string, Place>();
        for (const member of node.members) {
          const at = member.name.loc.start;
          if (member.name.type !== 'String') throw new JsonSyntaxError(`the key ${raw(member.name)} is not in quotes`, at.line, at.column, 'put it in double quotes');
          const key = JSON.parse(raw(member.name)) as string;
          const earlier = seen.get(key);
          const field = `${pointer}/${escapePointer(key)}`;
          if (earlier !== undefined) {
            findings.push({ pointer: field, message: `"${key}" is given twice in one object, and the last is read`, at: [earlier, { line: at.line, column: at.column }] });
          }
          seen.set(key, { line: at.line, column: at.column });
          // defineProperty: a key "__proto__" is an own field, as JSON.parse makes it, not the prototype.
          Object.defineProperty(object, key, { value: read(member.value, field), enumerable: true, writable: true, configurable: true });
        }
        return object;
      }
      case 'Array':
        return node.elements.map((element, index) => read(element.value, `${pointer}/${index}`));
      case 'String':
        return JSON.parse(raw(node));
      case 'NaN':
      case 'Infinity':
        return PYTHON_NON_FINITE[raw(node)];
      case 'Number': {
        const literal = raw(node);
        const value = Number(literal);
        const at = [{ line: node.loc.start.line, column: node.loc.start.column }];
        if (!Number.isFinite(value)) {
          findings.push({ pointer, message: `${literal} is too large for a float64 and is read as ${value > 0 ? '+Inf' : '-Inf'}`, at });
        } else if (value === 0 && /[1-9]/.test(literal.replace(/[eE].*$/, ''))) {
          findings.push({ pointer, message: `${literal} is too small for a float64 and is read as 0`, at });
        }
        return value;
      }
      case 'Boolean':
        return node.value;
      case 'Null':
        return null;
    }
  };
  return read(root, rootPointer);
}

/** momoa's error, in the words and places of this file's other messages. */
function syntaxErrorOf(error: unknown, text: string): Error {
  if (error instanceof RangeError) return new JsonSyntaxError('the text is nested too deeply to read', 1, 1);
  const { line, column } = error as { line?: number; column?: number };
  if (line === undefined || column === undefined) return error as Error;
  const offset = offsetOf(text, line, column);
  const token = TOKEN.exec(text.slice(offset))?.[0] ?? '';
  // momoa names the last token, or the start, when the text ends early.
  if (token === '' || text.slice(offset + token.length).trim() === '') {
    const end = lineAndColumn(text, text.trimEnd().length);
    return new JsonSyntaxError('the text ends before the value does', end.line, end.column, 'a "]" or "}" is missing, or the file was cut short');
  }
  const shown = token.length > 24 ? `${token.slice(0, 24)}…` : token;
  return new JsonSyntaxError(`unexpected ${JSON.stringify(shown)}`, line, column, hintAt(text, offset, token, column));
}

/** A string, a word or number, or one character. */
const TOKEN = /^(?:"(?:[^"\\\n]|\\.)*"?|[\w.+-]+|\S)/;

/** The likely fix for an error at `offset`, when there is one. */
function hintAt(text: string, offset: number, token: string, column: number): string | OptionMessage | undefined {
  if (token === 'True' || token === 'False' || token === 'None') return pythonHint(`JSON writes ${token === 'None' ? 'null' : token.toLowerCase()}`);
  if (token === ',' && /,\s*$/.test(text.slice(0, offset))) return 'two commas in a row: remove one';
  if ((token === '{' || token === '[') && column === 1 && offset > 0) return (name) => `one value per line is JSON Lines: name the file .jsonl or give ${name('format')} jsonl`;
  if (/^["\w]/.test(token) && /["\d\]}el]\s*$/.test(text.slice(0, offset))) return 'a comma is missing before it';
  return undefined;
}

function pythonHint(fix: string): string {
  return `${fix} (a Python dict printed with str() or print() is not JSON: write it with json.dump)`;
}

/** Line and column (from 1, as editors count) of `offset`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function offsetOf(text: string, line: number, column: number): number {
  let start = 0;
  for (let current = 1; current < line; current++) start = text.indexOf('\n', start) + 1;
  return start + column - 1;
}
