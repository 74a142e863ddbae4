import protobuf from 'protobufjs/light.js';
import { formatValue } from '../../src/convert/series.js';
import type { Labels } from '../../src/records.js';

// An independent reader of a delimited MetricFamily stream: protobufjs with client_model's metrics.proto
// (proto2), not the project's encoder, so a test compares what the encoder wrote with what a protobuf
// library reads, as the gateway's Go decoder does.

const root = protobuf.Root.fromJSON({
  nested: {
    io: {
      nested: {
        prometheus: {
          nested: {
            client: {
              nested: {
                LabelPair: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
                Gauge: { fields: { value: { type: 'double', id: 1 } } },
                Counter: { fields: { value: { type: 'double', id: 1 } } },
                Quantile: { fields: { quantile: { type: 'double', id: 1 }, value: { type: 'double', id: 2 } } },
                Summary: { fields: { sample_count: { type: 'uint64', id: 1 }, sample_sum: { type: 'double', id: 2 }, quantile: { rule: 'repeated', type: 'Quantile', id: 3 } } },
                Bucket: { fields: { cumulative_count: { type: 'uint64', id: 1 }, upper_bound: { type: 'double', id: 2 } } },
                Histogram: { fields: { sample_count: { type: 'uint64', id: 1 }, sample_sum: { type: 'double', id: 2 }, bucket: { rule: 'repeated', type: 'Bucket', id: 3 } } },
                Metric: {
                  fields: {
                    label: { rule: 'repeated', type: 'LabelPair', id: 1 },
                    gauge: { type: 'Gauge', id: 2 },
                    counter: { type: 'Counter', id: 3 },
                    summary: { type: 'Summary', id: 4 },
                    histogram: { type: 'Histogram', id: 7 },
                  },
                },
                MetricFamily: {
                  fields: { name: { type: 'string', id: 1 }, help: { type: 'string', id: 2 }, type: { type: 'int32', id: 3 }, metric: { rule: 'repeated', type: 'Metric', id: 4 } },
                },
              },
            },
          },
        },
      },
    },
  },
});
const MetricFamily = root.lookupType('io.prometheus.client.MetricFamily');

interface DecodedMetric {
  label?: { name: string; value: string }[];
  gauge?: { value: number };
  counter?: { value: number };
  summary?: { sample_count: number; sample_sum: number; quantile?: { quantile: number; value: number }[] };
  histogram?: { sample_count: number; sample_sum: number; bucket?: { cumulative_count: number; upper_bound: number }[] };
}
export interface DecodedFamily {
  name: string;
  help: string;
  type: number;
  metric: DecodedMetric[];
}

/** Every message of a delimited stream; throws where the stream ends inside one, as the gateway refuses it. */
export function decodeMetricFamilies(bytes: Uint8Array): DecodedFamily[] {
  const reader = protobuf.Reader.create(bytes);
  const families: DecodedFamily[] = [];
  while (reader.pos < reader.len) {
    const message = MetricFamily.decodeDelimited(reader);
    families.push(MetricFamily.toObject(message, { longs: Number, defaults: true }) as unknown as DecodedFamily);
  }
  return families;
}

const TYPE_NAMES = ['counter', 'gauge', 'summary', 'untyped', 'histogram'];

/** A family's metadata, then each sample as a scrape of its text would show it: the same shape expandRecords() visits. */
export type Sample = [kind: 'family', name: string, type: string, help: string] | [kind: 'sample', name: string, labels: Labels, value: string];

export function samplesOf(families: readonly DecodedFamily[]): Sample[] {
  const samples: Sample[] = [];
  for (const family of families) {
    samples.push(['family', family.name, TYPE_NAMES[family.type]!, family.help]);
    for (const metric of family.metric) {
      const labels = Object.fromEntries((metric.label ?? []).map(({ name, value }) => [name, value]));
      const add = (name: string, extra: Labels, value: number) => samples.push(['sample', name, { ...extra, ...labels }, formatValue(value)]);
      if (metric.gauge) add(family.name, {}, metric.gauge.value);
      else if (metric.counter) add(family.name, {}, metric.counter.value);
      else if (metric.summary) {
        for (const q of metric.summary.quantile ?? []) add(family.name, { quantile: formatValue(q.quantile) }, q.value);
        add(`${family.name}_sum`, {}, metric.summary.sample_sum);
        add(`${family.name}_count`, {}, metric.summary.sample_count);
      } else if (metric.histogram) {
        for (const b of metric.histogram.bucket ?? []) add(`${family.name}_bucket`, { le: formatValue(b.upper_bound) }, b.cumulative_count);
        add(`${family.name}_sum`, {}, metric.histogram.sample_sum);
        add(`${family.name}_count`, {}, metric.histogram.sample_count);
      }
    }
  }
  return samples;
}
