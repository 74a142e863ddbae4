/**
 * The remote-write 1.0 messages as plain objects, shaped as protobufjs encodes them (field names as in
 * the Prometheus project's prompb/remote.proto and types.proto; see encode.ts for the schema).
 */
export interface Label {
  name: string;
  value: string;
}

export interface Sample {
  value: number;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
}

export interface TimeSeries {
  /** Sorted by name, `__name__` included, no empty value. */
  labels: Label[];
  samples: Sample[];
}

/** prompb's MetricMetadata.MetricType values for the types simplepipe sends. */
export const MetricTypeCode = { counter: 1, gauge: 2, histogram: 3, summary: 5 } as const;

export interface MetricMetadata {
  type: (typeof MetricTypeCode)[keyof typeof MetricTypeCode];
  metric_family_name: string;
  help: string;
}

export interface WriteRequest {
  timeseries: TimeSeries[];
  metadata: MetricMetadata[];
}
