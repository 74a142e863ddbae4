import type { DataIssue } from '../errors.js';
import { checkSchema } from './schema.js';
import { problemAt, type Problem } from './places.js';

/** Records checked per call: ajv's cost grows with the square of the errors it collects in one call. */
const CHUNK = 1000;
/** Past this many problems the rest are not looked for: nobody reads them, and a hostile file has millions. */
export const MAX_SCHEMA_ISSUES = 100;

/** Thrown by SchemaChunks.broken when the schema has found MAX_SCHEMA_ISSUES problems: the rest is not checked. */
export class SchemaSearchStopped extends Error {}

/**
 * The schema check of a document, a long record list a chunk at a time, as the semantic checks reach
 * each chunk (semanticSteps asks `broken(index)` in record order): the records before a chunk are then
 * checked, and can be sent, before the schema has seen the ones after it. A short list, and whatever is
 * outside the list (the object form's `labels` and `expect`), is checked at once.
 *
 * The problems are those the whole document's check finds, in the same order; past MAX_SCHEMA_ISSUES the
 * search stops (`broken` throws SchemaSearchStopped) and `issues` holds the first MAX_SCHEMA_ISSUES.
 */
export class SchemaChunks {
  readonly issues: Problem[];
  readonly #list: readonly unknown[];
  readonly #prefix: string;
  /** Records whose chunk has been checked: those before this index. */
  #checked: number;
  readonly #broken = new Set<number>();

  constructor(document: unknown) {
    const isDocument = !Array.isArray(document) && typeof document === 'object' && document !== null;
    const list: unknown = isDocument ? (document as { metrics?: unknown }).metrics : document;
    const prefix = isDocument ? '/metrics' : '';
    this.#prefix = prefix;
    if (!Array.isArray(list) || list.length <= CHUNK) {
      this.issues = located(checkSchema(document), prefix);
      this.#list = [];
      this.#checked = Infinity;
    } else {
      this.issues = isDocument ? located(checkSchema({ ...(document as object), metrics: [] }), prefix) : [];
      this.#list = list;
      this.#checked = 0;
    }
    for (const problem of this.issues) if (problem.record !== undefined) this.#broken.add(problem.record);
  }

  /** Whether the schema refuses the record at `index`, checking its chunk first if no record of it was asked about yet. */
  broken(index: number): boolean {
    while (index >= this.#checked) this.#checkChunk();
    return this.#broken.has(index);
  }

  /** Checks every chunk not yet checked (for a caller that stops asking before the end of the list). */
  checkAll(): void {
    while (this.#checked < this.#list.length) this.#checkChunk();
  }

  #checkChunk(): void {
    const start = this.#checked;
    for (const problem of located(checkSchema(this.#list.slice(start, start + CHUNK)), '')) {
      const placed = problem.record === undefined ? { ...problem, pointer: `${this.#prefix}${problem.pointer}` } : { ...problem, record: start + problem.record };
      this.issues.push(placed);
      if (placed.record !== undefined) this.#broken.add(placed.record);
    }
    this.#checked = Math.min(start + CHUNK, this.#list.length);
    if (this.#checked >= this.#list.length) this.#checked = Infinity;
    if (this.issues.length >= MAX_SCHEMA_ISSUES) {
      this.issues.length = MAX_SCHEMA_ISSUES;
      throw new SchemaSearchStopped();
    }
  }
}

/** The schema's pointers split into record and field once, here, where ajv reports them. */
const located = (issues: DataIssue[], within: string): Problem[] => issues.map((issue) => problemAt(issue.pointer, issue.message, within));
