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
