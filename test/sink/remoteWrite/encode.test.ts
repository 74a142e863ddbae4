import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { loadEncoder } from '../../../src/sink/remoteWrite/encode.js';
import type { WriteRequest } from '../../../src/sink/remoteWrite/messages.js';
import { decodeWriteRequest } from '../../support/remoteWrite.js';

const request = (value: number): WriteRequest => ({
  timeseries: [
    {
      labels: [
        { name: '__name__', value: 'acc' },
        { name: 'job', value: 'Zürich 東京 🚀 "q" \\' },
      ],
      samples: [{ value, timestamp: 1795285800123 }],
    },
  ],
  metadata: [{ type: 2, metric_family_name: 'acc', help: 'accuracy\nof the model' }],
});

describe('the remote-write body', () => {
  it('decodes with the specification’s schema: labels, value, int64 timestamp and metadata as given', async () => {
    const encode = await loadEncoder();
    expect(decodeWriteRequest(encode(request(0.913)))).toEqual({
      timeseries: [{ labels: request(0).timeseries[0]!.labels, samples: [{ value: 0.913, timestamp: 1795285800123 }] }],
      metadata: [{ type: 'GAUGE', metric_family_name: 'acc', help: 'accuracy\nof the model', unit: '' }],
    });
  });

  it('is snappy’s block format, not the framed one the specification forbids', async () => {
    const body = (await loadEncoder())(request(1));
    // A framed stream starts with the stream identifier chunk: 0xff, length 6, "sNaPpY".
    expect(Buffer.from(body.subarray(0, 10)).includes(Buffer.from('sNaPpY'))).toBe(false);
    expect(() => snappy.uncompress(body)).not.toThrow();
  });

  it('sends NaN as an ordinary NaN, never as the stale marker 0x7ff0000000000002 a receiver would read as "series ended"', async () => {
    const raw = Buffer.from(snappy.uncompress((await loadEncoder())(request(Number.NaN))));
    const staleMarker = Buffer.alloc(8);
    staleMarker.writeBigUInt64LE(0x7ff0000000000002n);
    expect(raw.includes(staleMarker)).toBe(false);
    expect(Number.isNaN(decodeWriteRequest((await loadEncoder())(request(Number.NaN))).timeseries[0]!.samples[0]!.value)).toBe(true);
  });

  it('carries ±Inf and the extremes of float64 exactly', async () => {
    const encode = await loadEncoder();
    for (const value of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, Number.MIN_VALUE, -0]) {
      expect(Object.is(decodeWriteRequest(encode(request(value))).timeseries[0]!.samples[0]!.value, value)).toBe(true);
    }
  });
});
