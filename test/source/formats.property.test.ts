import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, type DataIssue } from '../../src/errors.js';
import { validateInput } from '../../src/check.js';
import type { ValidRecord } from '../../src/records.js';
import { decodeInput, type InputFormat } from '../../src/source/decode.js';
import { inlinePlaces, inlineRecord, joinInlineRecords, type InlineMetric } from '../../src/source/inline.js';
import { documentPlaces, joinPlaces, recordPrefix } from '../../src/source/places.js';

// Mostly good records, with few names and label values so that duplicates and clashes of type and HELP
// happen; then records with bad values and fields, and any JSON value at all.
const goodRecord = fc.record({
  name: fc.constantFrom('a', 'b', 'c_total'),
  description: fc.constant('d'),
  value: fc.oneof(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), fc.constantFrom('6', '1.5e3')),
  metric_type: fc.constantFrom('gauge', 'counter'),
  labels: fc.record({ l: fc.string({ maxLength: 3 }) }),
});
const name = fc.constantFrom('a', 'b', 'c_total', 'a_count', '9bad', '__x');
const value = fc.oneof(fc.double(), fc.constantFrom('6', 'six', 'NaN', '+Inf', -1), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({ v: 'x' }));
// Names that read like a record's pointer: their messages quote them, and no placing may rewrite a quote.
const labels = fc.dictionary(fc.constantFrom('l', 'job', 'le', 'bad-name', '/1', '/0/value', 'x/2'), fc.constantFrom('1', '2', '', '/1'), { maxKeys: 2 });
const badRecord = fc.record(
  {
    name,
    description: fc.constantFrom('d', 'other'),
    value,
    metric_type: fc.constantFrom('gauge', 'counter', 'summary', 'histogram', 'info', 'meter'),
    labels,
    buckets: fc.constant([1, 2]),
    type: fc.constant('gauge'),
  },
  { requiredKeys: ['name', 'description', 'value', 'metric_type'] },
);
const record = fc.oneof({ weight: 12, arbitrary: goodRecord }, { weight: 2, arbitrary: badRecord }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
const inlineMetric: fc.Arbitrary<InlineMetric> = fc.record({ name: fc.constantFrom('x', 'y', 'a'), value: fc.constantFrom('1', '2', 'x') });

/** A record list written one record per line, some lines preceded by blank ones, in LF or CRLF. */
const written = fc.array(fc.tuple(record, fc.nat(2), fc.constantFrom('\n', '\r\n')), { maxLength: 12 }).map((entries) => {
  const lines: number[] = [];
  let text = '';
  let line = 1;
  for (const [item, blanks, newline] of entries) {
    text += ' \t'.slice(0, blanks).concat(newline).repeat(blanks);
    line += blanks;
    text += JSON.stringify(item) + newline;
    lines.push(line++);
  }
  return { records: entries.map(([item]) => item), jsonLines: text, lines };
});

type Outcome = { records: ValidRecord[] } | { issues: DataIssue[]; truncated: boolean };

function outcomeOf(text: string, format: InputFormat, metrics: InlineMetric[]): Outcome {
  const decoded = decodeInput(Buffer.from(text), { origin: 'm', format });
  // As loadInput joins --metric flags to a file's records.
  const inline = metrics.map((metric) => inlineRecord(metric, 'gauge'));
  const joined = joinInlineRecords(decoded.document, inline);
  const filePlaces = decoded.places ?? documentPlaces(recordPrefix(decoded.document));
  const places = joined.inlineFrom === undefined ? decoded.places : joinPlaces(filePlaces, joined.inlineFrom, inlinePlaces(inline));
  try {
    return { records: validateInput({ ...decoded, document: joined.document, places, origin: 'm', bytes: 0 }, { job: 'j', labels: { k: 'v' } }) };
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    return { issues: [...error.issues], truncated: error.truncated };
  }
}

/**
 * A JSON array's issue, as it reads when the records are on `lines`: `/3/value` is `line 7 /value`, and
 * a message names another record by its line only where it says so ("same name and labels as /1", "is
 * declared as gauge at /1;"): a quoted label name such as "/1" is the user's words and stays.
 */
function onLines(issue: DataIssue, lines: readonly number[]): DataIssue {
  const at = /^\/(\d+)(\/.*)?$/.exec(issue.pointer);
  const line = (index: string) => `line ${lines[Number(index)]}`;
  const pointer = at === null ? issue.pointer : at[2] === undefined ? line(at[1]!) : `${line(at[1]!)} ${at[2]}`;
  return { pointer, message: issue.message.replace(/\b(as|at|and) \/(\d+)(?=[ ;]|$)/g, (_, word: string, index: string) => `${word} ${line(index)}`) };
}

describe('a record list written as a JSON array and as JSON Lines', () => {
  it('validates to the same records, or to the same issues with lines for array indices', () => {
    fc.assert(
      fc.property(written, fc.array(inlineMetric, { maxLength: 2 }), ({ records, jsonLines, lines }, metrics) => {
        const fromArray = outcomeOf(JSON.stringify(records), 'json', metrics);
        const fromLines = outcomeOf(jsonLines, 'jsonl', metrics);
        if ('records' in fromArray) {
          expect(fromLines).toEqual(fromArray);
        } else {
          expect(fromLines).toEqual({ issues: fromArray.issues.map((issue) => onLines(issue, lines)), truncated: fromArray.truncated });
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('any JSON, read in any format', () => {
  it('is validated or refused with a DataError (65), never an internal error', () => {
    const kfpLike = fc.record({ metrics: fc.array(fc.oneof(fc.record({ name: fc.constantFrom('a-b', 'a_b', '1'), numberValue: fc.jsonValue({ maxDepth: 1 }), format: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 }))) });
    const document = fc.oneof(fc.jsonValue({ maxDepth: 3 }), kfpLike, fc.array(fc.jsonValue({ maxDepth: 3 })));
    fc.assert(
      fc.property(document, fc.constantFrom<InputFormat | undefined>(undefined, 'json', 'jsonl', 'kfp'), (value, format) => {
        const text = format === 'jsonl' && Array.isArray(value) ? value.map((item) => JSON.stringify(item)).join('\n') : JSON.stringify(value);
        try {
          const decoded = decodeInput(Buffer.from(text), { origin: 'm', format });
          validateInput({ ...decoded, origin: 'm', bytes: 0 }, { job: 'j' });
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
