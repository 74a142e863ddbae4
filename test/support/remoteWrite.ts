import protobuf from 'protobufjs';
import snappy from 'snappyjs';

/**
 * The receiving side of remote write, for tests: the messages as the specification writes them in
 * .proto syntax, parsed by protobufjs's full build, independently of the sink's own schema (a wrong
 * field number or type there would not decode here). Metadata is prompb's field 3.
 */
const specification = `
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message MetricMetadata {
  enum MetricType { UNKNOWN = 0; COUNTER = 1; GAUGE = 2; HISTOGRAM = 3; GAUGEHISTOGRAM = 4; SUMMARY = 5; INFO = 6; STATESET = 7; }
  MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5;
}`;

export interface DecodedWriteRequest {
  timeseries: { labels: { name: string; value: string }[]; samples: { value: number; timestamp: number }[] }[];
  metadata: { type: string; metric_family_name: string; help: string; unit: string }[];
}

const writeRequest = protobuf.parse(specification, { keepCase: true }).root.lookupType('prometheus.WriteRequest');

/** Decodes a remote-write body: snappy's block format (the framed format would fail here), then protobuf. */
export function decodeWriteRequest(body: Uint8Array): DecodedWriteRequest {
  const message = writeRequest.decode(snappy.uncompress(body));
  return writeRequest.toObject(message, { longs: Number, enums: String, defaults: true, arrays: true }) as DecodedWriteRequest;
}
