import type { DataIssue } from '../errors.js';
import type { RecordPlaces } from '../validate/places.js';

export { documentPlaces, type RecordPlaces } from '../validate/places.js';

/** Records [0, count) from `file`, the rest from `others`, each counting its records from 0. */
export function joinPlaces(file: RecordPlaces, count: number, others: RecordPlaces): RecordPlaces {
  return {
    record: (index) => (index < count ? file.record(index) : others.record(index - count)),
    field: (index, field) => (index < count ? file.field(index, field) : others.field(index - count, field)),
  };
}

/**
 * The validator's issues, with every pointer to a record of the document (under `prefix`: '' for an
 * array, '/metrics' for the object form), in the pointer and in the message, put where the user wrote it.
 */
export function locateIssues(issues: readonly DataIssue[], prefix: string, places: RecordPlaces): DataIssue[] {
  const recordPointer = new RegExp(`^${prefix}/(\\d+)(/.*)?$`);
  const pointerInMessage = new RegExp(`${prefix}/(\\d+)\\b`, 'g');
  return issues.flatMap((issue): DataIssue[] => {
    const message = issue.message.replace(pointerInMessage, (_, index: string) => places.record(Number(index)));
    const at = recordPointer.exec(issue.pointer);
    if (at === null) return [{ pointer: issue.pointer, message }];
    const index = Number(at[1]);
    const pointer = at[2] === undefined ? places.record(index) : places.field(index, at[2]);
    return pointer === undefined ? [] : [{ pointer, message }];
  });
}

/** The pointer under which a document's records are: '/metrics' in the object form, '' in an array. */
export function recordPrefix(document: unknown): string {
  return typeof document === 'object' && document !== null && !Array.isArray(document) ? '/metrics' : '';
}
