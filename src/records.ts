/**
 * The five kinds of metric a record may declare; `info` is exposed as a `<name>_info` gauge of value 1
 * (`build` and `build_info` both as `build_info`).
 */
export type MetricType = 'gauge' | 'counter' | 'summary' | 'histogram' | 'info';

/** A sample value as written in a file: a number, or a numeric string such as "6", "NaN", "+Inf". */
export type SampleValue = number | string;

/** Label name → label value. */
export type Labels = Record<string, string>;

/** One record of a metric file, as `schemas/metric-file.schema.json` describes it. */
export interface MetricRecord {
  name: string;
  /** The HELP text. */
  description: string;
  metric_type: MetricType;
  /** gauge/counter: one value; summary/histogram: one observation or an array; info: an object of strings. */
  value: SampleValue | SampleValue[] | Labels;
  labels?: Labels;
  /** histogram only: bucket upper bounds. */
  buckets?: number[];
  /** summary only: the φ-quantiles to expose, strictly increasing; `[]` for only `_sum` and `_count`. */
  quantiles?: number[];
  /** gauge and counter only: the range the value is expected in; rules are generated from it, it is not pushed. */
  expect?: RecordExpectation;
}

/**
 * What a record's value is expected to be: inclusive bounds (either or both), and how the alert that
 * watches them looks. Durations are Prometheus durations (`30s`, `5m`, `1d`).
 */
export interface RecordExpectation {
  min?: number;
  max?: number;
  /** How far the value may move from the job's own recent runs. */
  history?: HistoryExpectation;
  /** How long the value must stay out of range before the alert fires. */
  for?: string;
  /** The alert's `severity` label. */
  severity?: string;
  labels?: Labels;
  annotations?: Labels;
}

/**
 * How far a value may move from its baseline, the median of the job's runs over `window` before the
 * current one: `maxDrop` and `maxRise` are fractions of the baseline (0.05 is 5%), either or both.
 */
export interface HistoryExpectation {
  /** How far back the baseline's runs go, as a Prometheus duration (`14d`). */
  window: string;
  maxDrop?: number;
  maxRise?: number;
}

/** What is expected of the job as a whole: at least one of the two. */
export interface FileExpectation {
  /** The longest allowed gap between two pushes of the job and grouping key, as a Prometheus duration. */
  every?: string;
  /**
   * How long the group stays meaningful after its last push, as a Prometheus duration: `simplepipe prune`
   * deletes it after that. Pushed into the group as the gauge simplepipe_group_ttl_seconds.
   */
  ttl?: string;
}

/** The object form of a metric file: common labels plus the records. */
export interface MetricDocument {
  labels?: Labels;
  expect?: FileExpectation;
  metrics: MetricRecord[];
}

/** A metric file: Simplepipe's plain array, or the object form. */
export type MetricFile = MetricRecord[] | MetricDocument;

/**
 * A record after validation: numbers parsed, common labels merged, ready to convert. `expect` is
 * carried through as written for the generators; only a gauge or counter ever has one.
 */
export type ValidRecord =
  | { index: number; name: string; help: string; type: 'gauge' | 'counter'; labels: Labels; value: number; expect?: RecordExpectation }
  | { index: number; name: string; help: string; type: 'summary'; labels: Labels; observations: number[]; quantiles?: number[]; expect?: undefined }
  | { index: number; name: string; help: string; type: 'histogram'; labels: Labels; observations: number[]; buckets?: number[]; expect?: undefined }
  | { index: number; name: string; help: string; type: 'info'; labels: Labels; info: Labels; expect?: undefined };

/** A whole validated metric file: its records, and what the file expects of the job as a whole. */
export interface ValidDocument {
  records: ValidRecord[];
  expect?: FileExpectation;
}
