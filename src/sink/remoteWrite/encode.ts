import type { WriteRequest } from './messages.js';

/**
 * WriteRequest and the messages it holds, as the Prometheus project's prompb/remote.proto and types.proto
 * define them (the remote-write 1.0 specification's schema, plus `metadata`, field 3, which Prometheus
 * sends and Mimir and Cortex store). Exemplars and native histograms are left out: simplepipe sends neither.
 */
const schema = {
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: {
            timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 },
            metadata: { rule: 'repeated', type: 'MetricMetadata', id: 3 },
          },
          reserved: [[2, 2]],
        },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
        MetricMetadata: {
          fields: {
            type: { type: 'MetricType', id: 1 },
            metric_family_name: { type: 'string', id: 2 },
            help: { type: 'string', id: 4 },
            unit: { type: 'string', id: 5 },
          },
          nested: {
            MetricType: {
              values: { UNKNOWN: 0, COUNTER: 1, GAUGE: 2, HISTOGRAM: 3, GAUGEHISTOGRAM: 4, SUMMARY: 5, INFO: 6, STATESET: 7 },
            },
          },
        },
      },
    },
  },
};

/** Turns a WriteRequest into the body of a remote-write POST: protobuf, then snappy's block format. */
export type WriteRequestEncoder = (request: WriteRequest) => Uint8Array;

let loading: Promise<WriteRequestEncoder> | undefined;

/**
 * Loads protobufjs and snappyjs on first use: a Pushgateway push never evaluates either, so it pays
 * nothing for this sink at start-up (test/sink/remoteWrite/lazyLoading.test.ts checks the bundle).
 */
export function loadEncoder(): Promise<WriteRequestEncoder> {
  loading ??= (async () => {
    const [protobuf, snappy] = await Promise.all([import('protobufjs/light.js'), import('snappyjs')]);
    const writeRequest = protobuf.default.Root.fromJSON(schema).lookupType('prometheus.WriteRequest');
    // snappyjs's compress() is the block format the specification requires, never the framed one.
    return (request) => snappy.default.compress(writeRequest.encode(request).finish());
  })();
  return loading;
}


let loadingSnappy: Promise<(bytes: Uint8Array) => Uint8Array> | undefined;

/** snappyjs's block compression, loaded on first use as loadEncoder() loads it; a write encodes its protobuf itself (wire.ts). */
export function loadCompressor(): Promise<(bytes: Uint8Array) => Uint8Array> {
  loadingSnappy ??= import('snappyjs').then((snappy) => (bytes) => snappy.default.compress(bytes));
  return loadingSnappy;
}
