import type { DataIssue } from '../errors.js';

/**
 * Where the records of the validated document were written. The validator names a record by its index
 * in the document it checked; the user knows it by a line of a JSON Lines file, an entry of a Kubeflow
 * Pipelines file or a --metric flag.
 */
export interface RecordPlaces {
  /** The record at `index` of the validated document, as the user knows it: "line 12", "/metrics/3", "--metric x". */
  record(index: number): string;
  /**
   * A field of that record (`field` a JSON pointer within it, such as `/value`), as the user knows it;
   * undefined when another issue already says what this one would.
   */
  field(index: number, field: string): string | undefined;
}

/** The records of a document as written: the pointers are the user's own. */
export function documentPlaces(prefix: string): RecordPlaces {
  return { record: (index) => `${prefix}/${index}`, field: (index, field) => `${prefix}/${index}${field}` };
}

/**
 * A problem the validator found, located as data: the record (its index in the document's list) and the
 * field within it, or, outside every record, the place itself. Placed by placeProblems, which alone
 * decides how a record is named; nothing is read back out of a pointer or a message.
 */
export interface Problem {
  /** The record the problem is in; absent for one outside every record. */
  record?: number;
  /** The field within the record, a JSON pointer (`/labels/env`); absent for the record as a whole. */
  field?: string;
  /** Where a problem outside every record is: `/labels/env`, `--label env`, `/metrics`, `` for the document. */
  pointer?: string;
  /** What is wrong; a Mention when the words name another record. */
  message: string | Mention;
}

/** A message that names another record: composed once that record is placed ("same name and labels as line 3"). */
export interface Mention {
  record: number;
  say: (place: string) => string;
}

/** The problems as the user reads them: each record named where it was written, in the pointer and in the message. */
export function placeProblems(problems: readonly Problem[], places: RecordPlaces): DataIssue[] {
  return problems.flatMap((problem): DataIssue[] => {
    const message = typeof problem.message === 'string' ? problem.message : problem.message.say(places.record(problem.message.record));
    if (problem.record === undefined) return [{ pointer: problem.pointer ?? '', message }];
    const pointer = problem.field === undefined ? places.record(problem.record) : places.field(problem.record, problem.field);
    return pointer === undefined ? [] : [{ pointer, message }];
  });
}

/**
 * A pointer into the document (`/metrics/3/value`, `/3`, `/labels/env`) as a Problem: split once, where a
 * JSON schema validator reports it. `prefix` is where the records are: `/metrics`, or `` in an array.
 */
export function problemAt(pointer: string, message: string, prefix: string): Problem {
  if (!pointer.startsWith(`${prefix}/`)) return { pointer, message };
  const rest = pointer.slice(prefix.length + 1);
  const end = rest.indexOf('/');
  const segment = end === -1 ? rest : rest.slice(0, end);
  const record = Number(segment);
  if (segment === '' || !Number.isInteger(record) || String(record) !== segment) return { pointer, message };
  return end === -1 ? { record, message } : { record, field: rest.slice(end), message };
}

/** Problems in record order; those outside every record first, each group as found. */
export function sortProblems<T extends Problem>(problems: readonly T[]): T[] {
  return problems
    .map((problem, position) => ({ problem, position }))
    .sort((a, b) => (a.problem.record ?? -1) - (b.problem.record ?? -1) || a.position - b.position)
    .map(({ problem }) => problem);
}
