import type { Registry } from 'prom-client';

/** The content type of text exposition format 0.0.4, the format the Pushgateway parses. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Renders a registry as text format 0.0.4: LF line endings, a final newline, and no timestamps
 * (prom-client writes none, and the Pushgateway rejects pushed timestamps). prom-client spells NaN
 * `Nan`, which the format does not define (Go's parser ignores the case, others need not): it becomes
 * `NaN`. Only a sample line's value, its last field, is touched; never a comment.
 */
export async function toExposition(registry: Registry): Promise<string> {
  const text = (await registry.metrics()).replace(/^([^#\n].*) Nan$/gm, '$1 NaN');
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * The series a scrape of exposition `text` yields, counted as Prometheus counts them: one per sample
 * line, so a histogram is its buckets, `_sum` and `_count`.
 */
export function countSeries(text: string): number {
  let count = 0;
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (stop > start && text[start] !== '#') count++;
    start = stop + 1;
  }
  return count;
}
