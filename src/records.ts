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
}

/** The object form of a metric file: common labels plus the records. */
export interface MetricDocument {
  labels?: Labels;
  metrics: MetricRecord[];
}

/** A metric file: Simplepipe's plain array, or the object form. */
export type MetricFile = MetricRecord[] | MetricDocument;

/** A record after validation: numbers parsed, common labels merged, ready to convert. */
export type ValidRecord =
  | { index: number; name: string; help: string; type: 'gauge' | 'counter'; labels: Labels; value: number }
  | { index: number; name: string; help: string; type: 'summary'; labels: Labels; observations: number[]; quantiles?: number[] }
  | { index: number; name: string; help: string; type: 'histogram'; labels: Labels; observations: number[]; buckets?: number[] }
  | { index: number; name: string; help: string; type: 'info'; labels: Labels; info: Labels };
