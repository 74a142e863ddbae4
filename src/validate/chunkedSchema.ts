import type { DataIssue } from '../errors.js';
import { checkSchema } from './schema.js';
import { problemAt, type Problem } from './places.js';
import type { Steps } from './steps.js';

/** Records checked per call: ajv's cost grows with the square of the errors it collects in one call. */
const CHUNK = 1000;
/** Past this many problems the rest are not looked for: nobody reads them, and a hostile file has millions. */
export const MAX_SCHEMA_ISSUES = 100;

/**
 * The schema check, run over a long record list a chunk at a time, and stopped once MAX_SCHEMA_ISSUES
 * problems are found. `truncated` says the remaining records were not checked. A step per chunk (steps.ts).
 */
export function* schemaChunkSteps(document: unknown): Steps<{ issues: Problem[]; truncated: boolean }> {
  const isDocument = !Array.isArray(document) && typeof document === 'object' && document !== null;
  const list: unknown = isDocument ? (document as { metrics?: unknown }).metrics : document;
  const prefix = isDocument ? '/metrics' : '';
  // The schema's pointers are split into record and field once, here, where ajv reports them.
  const located = (issues: DataIssue[], within: string): Problem[] => issues.map((issue) => problemAt(issue.pointer, issue.message, within));
  if (!Array.isArray(list) || list.length <= CHUNK) return { issues: located(checkSchema(document), prefix), truncated: false };

  const issues = isDocument ? located(checkSchema({ ...(document as object), metrics: [] }), prefix) : [];
  for (let start = 0; start < list.length; start += CHUNK) {
    for (const problem of located(checkSchema(list.slice(start, start + CHUNK)), '')) {
      issues.push(problem.record === undefined ? { ...problem, pointer: `${prefix}${problem.pointer}` } : { ...problem, record: start + problem.record });
    }
    if (issues.length >= MAX_SCHEMA_ISSUES) return { issues: issues.slice(0, MAX_SCHEMA_ISSUES), truncated: true };
    yield;
  }
  return { issues, truncated: false };
}
