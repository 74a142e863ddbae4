import type { RecordPlaces } from '../validate/places.js';

export { documentPlaces, type RecordPlaces } from '../validate/places.js';

/** Records [0, count) from `file`, the rest from `others`, each counting its records from 0. */
export function joinPlaces(file: RecordPlaces, count: number, others: RecordPlaces): RecordPlaces {
  return {
    record: (index) => (index < count ? file.record(index) : others.record(index - count)),
    field: (index, field) => (index < count ? file.field(index, field) : others.field(index - count, field)),
  };
}

/** The pointer under which a document's records are: '/metrics' in the object form, '' in an array. */
export function recordPrefix(document: unknown): string {
  return typeof document === 'object' && document !== null && !Array.isArray(document) ? '/metrics' : '';
}
