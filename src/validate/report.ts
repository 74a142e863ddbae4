import type { Mention } from './places.js';

/** How a semantic check reports a problem: the field within the record, without its leading slash (empty for the record itself), and what is wrong. */
export type Report = (field: string, message: string | Mention) => void;

/** A lone UTF-16 surrogate cannot be sent as UTF-8; it would arrive as U+FFFD instead of the text given. */
export function checkText(text: string, field: string, report: Report): void {
  if (!text.isWellFormed()) report(field, 'contains a lone UTF-16 surrogate, which is not valid Unicode');
}
