import type { MetricDocument, MetricRecord } from '../../src/records.js';

/**
 * A metric file of `count` metrics as a large pipeline writes them: mostly gauges and counters with unit
 * suffixes, some with an expected range, and a histogram and a summary in every ten. Deterministic, so a
 * size measured on it is the same on every run.
 */
export function manyMetrics(count: number): MetricDocument {
  const units = ['_seconds', '_bytes', '_ratio', ''];
  const metrics: MetricRecord[] = Array.from({ length: count }, (_, i): MetricRecord => {
    const kind = i % 10;
    const stem = `stage${String(Math.floor(i / 10)).padStart(2, '0')}_metric${kind}`;
    if (kind < 6) {
      return { name: `${stem}${units[kind % 4]}`, description: `Value ${i} of stage ${Math.floor(i / 10)}, as the pipeline measured it`, value: i * 1.5, metric_type: 'gauge', ...(kind === 0 && { expect: { max: 86_400 } }) };
    }
    if (kind < 8) return { name: `${stem}_total`, description: `Items counted by step ${i}`, value: i * 10, metric_type: 'counter' };
    if (kind === 8) return { name: `${stem}_seconds`, description: `Time per batch of step ${i}`, value: [0.2, 0.7, 1.5], metric_type: 'histogram', buckets: [0.5, 1, 2.5] };
    return { name: `${stem}_seconds`, description: `Latency of step ${i}`, value: [0.01, 0.02], metric_type: 'summary' };
  });
  return { labels: { workflow: 'run-1' }, metrics };
}
