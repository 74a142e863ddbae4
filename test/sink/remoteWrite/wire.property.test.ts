import fc from 'fast-check';
import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { groupByName } from '../../../src/convert/families.js';
import { validate } from '../../../src/index.js';
import { loadEncoder } from '../../../src/sink/remoteWrite/encode.js';
import { buildWriteRequest, encodeWriteRequest, planWriteRequests, seriesBuilder } from '../../../src/sink/remoteWrite/timeseries.js';
import { MetricTypeCode } from '../../../src/sink/remoteWrite/messages.js';
import { WriteRequestWriter } from '../../../src/sink/remoteWrite/wire.js';
import { expandRecords } from '../../../src/convert/series.js';
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

  it('writes the same bytes however its buffer grows: a request far past the first buffer, whatever number of series it was told to expect', async () => {
    // The buffer grows to what the series so far foretell (wire.ts); a wrong foretelling may cost memory, never bytes.
    const encode = await loadEncoder();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 800, max: 3000 }), fc.integer({ min: 0, max: 6000 }), fc.integer({ min: 0, max: 400 }), async (count, expected, longFrom) => {
        // Label values that grow longer part way through, so that what the first series foretell falls short.
        const file = Array.from({ length: count }, (_, i) => ({ name: 'g', description: 'd', value: i / 7, metric_type: 'gauge', labels: { i: String(i).repeat(i >= longFrom ? 30 : 1) } }));
        const families = groupByName(validate(file));
        const toSeries = seriesBuilder({ job: 'j', timestampMs: 1795285800123 });
        const writer = new WriteRequestWriter(expected);
        expandRecords(families.flat(), { family: (name, type, help) => writer.metadata({ type: MetricTypeCode[type], metric_family_name: name, help }), sample: (name, labels, value) => writer.timeSeries(toSeries(name, labels, value)) });
        const bytes = writer.finish();
        expect(bytes.byteLength).toBeGreaterThan(64 * 1024);
        expect(Buffer.from(bytes).equals(Buffer.from(snappy.uncompress(encode(buildWriteRequest(families, toSeries)))))).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
