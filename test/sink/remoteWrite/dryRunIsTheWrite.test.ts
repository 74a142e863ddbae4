import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/index.js';
import { renderWriteText } from '../../../src/sink/remoteWrite/text.js';
import { buildWriteRequests } from '../../../src/sink/remoteWrite/timeseries.js';
import { escapeLabelValue, formatValue } from '../../../src/convert/render.js';

const at = Date.UTC(2026, 10, 21, 18, 30);
const target = { job: 'train', grouping: { run: '42' }, timestampMs: at };

describe('the remote-write dry run is the write itself', () => {
  it('prints every series sent, in order, with the labels, value and timestamp sent: -0 as 0, sent as 0', async () => {
    const records = validate(
      [
        { name: 'signed_zero', description: 'd', value: -0, metric_type: 'gauge', labels: { Zone: 'a "b" \\ c', empty: '' } },
        { name: 'negative_zero_text', description: 'd', value: '-0', metric_type: 'gauge' },
        { name: 'h', description: 'd', value: [1, 2], metric_type: 'histogram', buckets: [1.5] },
        { name: 'build', description: 'd', value: { version: '1' }, metric_type: 'info' },
      ],
      target,
    );
    const { text } = await renderWriteText(records, target);
    const sent = (await buildWriteRequests(records, target)).flatMap((request) => request.timeseries);
    const fromSent = sent.map((series) => {
      const name = series.labels.find((label) => label.name === '__name__')!.value;
      const labels = series.labels.filter((label) => label.name !== '__name__').map((label) => `${label.name}="${escapeLabelValue(label.value)}"`);
      return `${name}{${labels.join(',')}} ${formatValue(series.samples[0]!.value)} ${series.samples[0]!.timestamp}`;
    });
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual(fromSent);
    expect(text).toContain(`signed_zero{Zone="a \\"b\\" \\\\ c",job="train",run="42"} 0 ${at}`);
    // The sign bit is not sent either: a store would otherwise answer "-0" where the dry run said 0.
    for (const series of sent.slice(0, 2)) expect(Object.is(series.samples[0]!.value, 0)).toBe(true);
  });
});
