import schema from '../../schemas/metric-file.schema.json' with { type: 'json' };
import { escapePointer, unknownFieldMessage } from './schema.js';

const RECORD_FIELDS = new Set(Object.keys(schema.definitions.record.properties));

/** A record field the format does not know: its record, and the field as a pointer within it. */
export interface UnknownField {
  record: number;
  field: string;
  message: string;
}

/**
 * Sets aside the fields of each record that the format does not know (the Python Simplepipe ignored
 * them: its own example carries a "job"), so that the schema checks the rest. Returns the document with
 * those records copied without them (the same document when there are none), and one issue per field.
 */
export function setAsideUnknownFields(document: unknown): { document: unknown; unknown: UnknownField[] } {
  const isDocument = !Array.isArray(document) && typeof document === 'object' && document !== null;
  const list: unknown = isDocument ? (document as { metrics?: unknown }).metrics : document;
  if (!Array.isArray(list)) return { document, unknown: [] };
  const unknown: UnknownField[] = [];
  let copy: unknown[] | undefined;
  list.forEach((record: unknown, index) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
    const fields = Object.keys(record);
    if (fields.every((field) => RECORD_FIELDS.has(field))) return;
    const known: Record<string, unknown> = {};
    for (const field of fields) {
      if (RECORD_FIELDS.has(field)) known[field] = (record as Record<string, unknown>)[field];
      else unknown.push({ record: index, field: `/${escapePointer(field)}`, message: unknownFieldMessage(field) });
    }
    copy ??= [...list];
    copy[index] = known;
  });
  if (copy === undefined) return { document, unknown };
  return { document: isDocument ? { ...(document as object), metrics: copy } : copy, unknown };
}
