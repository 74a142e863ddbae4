import fc from 'fast-check';
import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { groupByName } from '../../../src/convert/families.js';
import { validate } from '../../../src/index.js';
import { loadEncoder } from '../../../src/sink/remoteWrite/encode.js';
import { buildWriteRequest, encodeWriteRequest, planWriteRequests, seriesBuilder } from '../../../src/sink/remoteWrite/timeseries.js';
import { anyRecords } from '../../support/recordArbitraries.js';

// A write encodes its protobuf itself (wire.ts); protobufjs, with the specification's schema, is the reference.

/** Records of every type, and gauges whose label values and HELP are any Unicode (lone surrogates left out: validate refuses them). */
const unicodeGauges = fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 6 })), { minLength: 1, maxLength: 5 }).map((pairs) =>
  pairs.map(([help, value], i) => ({ name: `u${i}`, description: help, value: i * 1.5, metric_type: 'gauge', labels: { u: value } })),
);
const records = fc.oneof(anyRecords, unicodeGauges).map((file) => validate(file));
const target = fc.record({
  job: fc.constantFrom('train', 'Zürich 東京'),
  grouping: fc.constantFrom<Record<string, string>>({}, { run: '42' }, { run: '', zone: 'ä' }),
  // Before 1970 too: protobuf writes a negative int64 in ten bytes.
  timestampMs: fc.oneof(fc.constant(1795285800123), fc.integer({ min: -(2 ** 40), max: 2 ** 45 })),
});

describe('encodeWriteRequest', () => {
  it('writes each request byte for byte as protobufjs writes the message buildWriteRequest makes', async () => {
    const encode = await loadEncoder();
    await fc.assert(
      fc.asyncProperty(records, target, fc.integer({ min: 1, max: 20 }), async (valid, at, maxSamples) => {
        const toSeries = seriesBuilder(at);
        for (const families of planWriteRequests(groupByName(valid), maxSamples)) {
          const request = buildWriteRequest(families, toSeries);
          const written = encodeWriteRequest(families, toSeries);
          expect(Buffer.from(written.bytes).equals(Buffer.from(snappy.uncompress(encode(request))))).toBe(true);
          expect(written.series).toBe(request.timeseries.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
