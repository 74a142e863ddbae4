import type { DataIssue } from '../errors.js';
import { checkSchema } from './schema.js';
import type { Steps } from './steps.js';

/** Records checked per call: ajv's cost grows with the square of the errors it collects in one call. */
const CHUNK = 1000;
/** Past this many problems the rest are not looked for: nobody reads them, and a hostile file has millions. */
export const MAX_SCHEMA_ISSUES = 100;

/**
 * The schema check, run over a long record list a chunk at a time, and stopped once MAX_SCHEMA_ISSUES
 * problems are found. `truncated` says the remaining records were not checked. A step per chunk (steps.ts).
 */
export function* schemaChunkSteps(document: unknown): Steps<{ issues: DataIssue[]; truncated: boolean }> {
  const isDocument = !Array.isArray(document) && typeof document === 'object' && document !== null;
  const list: unknown = isDocument ? (document as { metrics?: unknown }).metrics : document;
  if (!Array.isArray(list) || list.length <= CHUNK) return { issues: checkSchema(document), truncated: false };

  const prefix = isDocument ? '/metrics' : '';
  const issues = isDocument ? checkSchema({ ...(document as object), metrics: [] }) : [];
  for (let start = 0; start < list.length; start += CHUNK) {
    for (const issue of checkSchema(list.slice(start, start + CHUNK))) {
      const at = /^\/(\d+)/.exec(issue.pointer);
      const pointer = at ? `${prefix}/${start + Number(at[1])}${issue.pointer.slice(at[0].length)}` : `${prefix}${issue.pointer}`;
      issues.push({ pointer, message: issue.message });
    }
    if (issues.length >= MAX_SCHEMA_ISSUES) return { issues: issues.slice(0, MAX_SCHEMA_ISSUES), truncated: true };
    yield;
  }
  return { issues, truncated: false };
}
