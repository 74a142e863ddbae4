import type { DataIssue } from '../errors.js';
import type { MetricDocument, MetricRecord } from '../records.js';
import { checkKfpSchema } from '../validate/schema.js';
import { problemsError } from '../validate/index.js';
import { problemAt } from '../validate/places.js';
import type { RecordPlaces } from './places.js';

/** One entry of a Kubeflow Pipelines v1 metrics file, as `schemas/kfp-metrics.schema.json` describes it. */
export interface KfpMetric {
  name: string;
  /** The value; KFP's backend also reads it by its proto name, `number_value`. Protobuf's JSON writes NaN and the infinities as strings. */
  numberValue?: KfpValue;
  number_value?: KfpValue;
  format?: 'RAW' | 'PERCENTAGE';
  /** Set by KFP's backend, whatever the file says; ignored. */
  nodeId?: string;
  node_id?: string;
}

export type KfpValue = number | 'NaN' | 'Infinity' | '-Infinity';

/** An entry's value field as the file spells it, and its value as a number. */
function valueOf(entry: KfpMetric): { field: 'numberValue' | 'number_value'; value: number } {
  const field = entry.numberValue === undefined ? 'number_value' : 'numberValue';
  const written = entry[field]!;
  return { field, value: typeof written === 'number' ? written : Number(written) };
}

/** A Kubeflow Pipelines metrics file, converted to the records the shared validation checks. */
export interface KfpInput {
  /** Our object form, one gauge per entry the KFP schema accepted. */
  document: MetricDocument;
  /** What the KFP schema found, pointing into the KFP file. */
  issues: DataIssue[];
  /** Record `i` of `document` is entry `entries[i]` of the file; its `value` is the entry's `numberValue`. */
  places: RecordPlaces;
}

/**
 * A file whose metrics carry KFP's `numberValue` (or `number_value`, its proto name, which KFP's backend
 * reads as well) and none our `metric_type` is a Kubeflow Pipelines file.
 */
export function isKfpShape(document: unknown): boolean {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return false;
  const metrics = (document as { metrics?: unknown }).metrics;
  if (!Array.isArray(metrics)) return false;
  const entries = metrics.filter((entry): entry is object => typeof entry === 'object' && entry !== null);
  return entries.some((entry) => 'numberValue' in entry || 'number_value' in entry) && !entries.some((entry) => 'metric_type' in entry);
}

/** Why a --name-prefix cannot start a Prometheus metric name, or undefined when it can. */
export function namePrefixProblem(prefix: string): string | undefined {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) return `"${prefix}" cannot start a metric name (letters, digits, _ and :; not starting with a digit)`;
  if (prefix.startsWith('__')) return `"${prefix}" starts with "__", which is reserved for Prometheus`;
  return undefined;
}

/**
 * The Prometheus name of a KFP metric: `namePrefix`, then the KFP name with every `-` made `_`. KFP's
 * own name pattern allows nothing else Prometheus refuses, and case is kept, as both are case-sensitive.
 */
export function kfpMetricName(name: string, namePrefix = ''): string {
  return namePrefix + name.replaceAll('-', '_');
}

/** The HELP text: where the metric came from, and the unit its format implies. */
export function kfpHelp(metric: KfpMetric): string {
  const origin = `Kubeflow Pipelines metric ${metric.name}`;
  switch (metric.format) {
    case 'PERCENTAGE':
      // The KFP UI shows numberValue × 100 with a %; the value itself is the fraction, as Prometheus ratios are.
      return `${origin} (format PERCENTAGE: a fraction, 1 is 100%)`;
    case 'RAW':
      return `${origin} (format RAW)`;
    default:
      return origin;
  }
}

/**
 * Checks a KFP metrics file against its schema and converts each entry the schema accepts to a gauge
 * record, for the shared validation to check with the rest (a name two entries map to is its duplicate).
 */
export function readKfpMetrics(document: unknown, origin: string, namePrefix?: string): KfpInput {
  const issues = checkKfpSchema(document);
  const metrics = (document as { metrics?: unknown } | null)?.metrics;
  // The entries the schema refused, by index: each pointer split once, where the schema reports it.
  const broken = new Set(issues.map((issue) => problemAt(issue.pointer, issue.message, '/metrics').record).filter((index) => index !== undefined));
  // Nothing left to convert: the schema's issues are all there is to say.
  if (!Array.isArray(metrics) || (issues.length > 0 && broken.size === metrics.length)) throw problemsError(origin, issues);

  const records: MetricRecord[] = [];
  const entries: { index: number; field: string }[] = [];
  metrics.forEach((entry: KfpMetric, index) => {
    if (broken.has(index)) return;
    const { field, value } = valueOf(entry);
    records.push({ name: kfpMetricName(entry.name, namePrefix), description: kfpHelp(entry), metric_type: 'gauge', value });
    entries.push({ index, field });
  });
  return { document: { metrics: records }, issues, places: kfpPlaces(entries) };
}

/**
 * A converted record's fields, as the KFP entry spells them. The description is made from the name
 * and format: two entries can only disagree on it when their names map to one, and that duplicate
 * series is reported on its own, so the description issue would only repeat it.
 */
function kfpPlaces(entries: readonly { index: number; field: string }[]): RecordPlaces {
  const record = (index: number): string => `/metrics/${entries[index]!.index}`;
  const fields: Record<string, string | undefined> = { '/name': '/name', '/description': undefined };
  return {
    record,
    field: (index, field) => {
      if (field === '/value') return `${record(index)}/${entries[index]!.field}`;
      if (!Object.hasOwn(fields, field)) return record(index);
      const kfpField = fields[field];
      return kfpField === undefined ? undefined : `${record(index)}${kfpField}`;
    },
  };
}
