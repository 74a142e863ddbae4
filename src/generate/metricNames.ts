import type { MetricType } from '../records.js';

/**
 * What a metric's name says about how to show it: the unit from the Prometheus naming conventions
 * (`<name>_<base unit>[_total]`), and for the standard pipeline metrics (docs/dashboards.md, "Standard metric
 * names") a title and a range of their own.
 */

/** Prometheus base units (https://prometheus.io/docs/practices/naming/#base-units) → Grafana unit ids. */
const unitBySuffix: readonly (readonly [suffix: string, unit: string])[] = [
  ['_seconds', 's'],
  ['_bytes', 'bytes'],
  ['_ratio', 'percentunit'],
  ['_celsius', 'celsius'],
  ['_meters', 'lengthm'],
  ['_volts', 'volt'],
  ['_amperes', 'amp'],
  ['_joules', 'joule'],
  ['_grams', 'massg'],
];

/** The Grafana unit for a metric name, or undefined when its name declares none. */
export function unitOf(name: string): string | undefined {
  const base = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
  const unit = unitBySuffix.find(([suffix]) => base.endsWith(suffix))?.[1];
  // A count of things has no unit, but Grafana's "short" writes 1284000 as 1.28 Mil.
  return unit ?? (name.endsWith('_total') ? 'short' : undefined);
}

/** A metric every pipeline may push under this name, so that every dashboard shows it alike. */
export interface StandardMetric {
  name: string;
  type: MetricType;
  /** Panel title. */
  title: string;
  /** What it measures, for the catalogue of docs/dashboards.md. */
  meaning: string;
  min?: number;
  max?: number;
  /** Value → text shown instead (and its colour), for a value that stands for an outcome. */
  outcomes?: Readonly<Record<string, { text: string; color: string }>>;
}

export const SUCCEEDED_OR_FAILED = { '1': { text: 'Succeeded', color: 'green' }, '0': { text: 'Failed', color: 'red' } } as const;

export const STANDARD_METRICS: readonly StandardMetric[] = [
  { name: 'job_duration_seconds', type: 'gauge', title: 'Run time', meaning: 'wall-clock time of the run, in seconds' },
  { name: 'job_rows_processed_total', type: 'counter', title: 'Rows processed', meaning: 'rows (records, items) the run processed' },
  { name: 'model_accuracy_ratio', type: 'gauge', title: 'Model accuracy', meaning: 'accuracy on the hold-out set, 0 to 1', min: 0, max: 1 },
  {
    name: 'workflow_duration_seconds',
    type: 'gauge',
    title: 'Workflow run time',
    meaning: "the whole workflow's duration, pushed by the exit handler as job `<job>-workflow`",
  },
  {
    name: 'workflow_succeeded',
    type: 'gauge',
    title: 'Workflow outcome',
    meaning: '1 if the workflow succeeded, 0 if it failed or erred, pushed by the exit handler as job `<job>-workflow`',
    min: 0,
    max: 1,
    outcomes: SUCCEEDED_OR_FAILED,
  },
];

export function standardMetric(name: string): StandardMetric | undefined {
  return STANDARD_METRICS.find((metric) => metric.name === name);
}
