import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { groupByName } from '../convert/families.js';
import { ConfigError, DataError } from '../errors.js';
import type { Labels, ValidRecord } from '../records.js';
import { buildNumbered, DASHBOARD_TAG, dashboardFrame, partsLink } from './dashboard/frame.js';
import type { ExpectedRange } from './dashboard/fieldStyle.js';
import { healthPanels } from './dashboard/healthPanels.js';
import { familyPanels } from './dashboard/metricPanels.js';
import { jobDashboardUid, jobPartTag } from './dashboard/names.js';
import { variableSelector } from './dashboard/promql.js';
import { FIRST_SCREEN, metricRow, rowSpans, rowTitle } from './dashboard/rows.js';
import { datasourceVariable, labelVariable } from './dashboard/variables.js';

export { overviewDashboard } from './dashboard/overview.js';
export { dashboardJson } from './dashboard/json.js';
export { dashboardConfigMap, dashboardConfigMaps, lastAppliedBytes, LAST_APPLIED_BUDGET, SIDECAR_LABEL, type ConfigMapOptions } from './dashboard/configMap.js';
export { jobConfigMapName, jobDashboardUid, OVERVIEW_CONFIGMAP, OVERVIEW_UID, partConfigMapName } from './dashboard/names.js';
export type { ExpectedRange } from './dashboard/fieldStyle.js';
export { expectedRanges } from './dashboard/expectedRanges.js';

export interface JobDashboardOptions {
  job: string;
  /** The push's grouping labels after `job`: each becomes a variable, its value selected when the dashboard opens. */
  grouping?: Labels;
  /** Metric name → the range its values are expected in (the records' `expect`), drawn as thresholds. */
  expectedRanges?: ReadonlyMap<string, ExpectedRange>;
  /** The longest expected gap between pushes, in seconds (the file's `expect.every`), drawn on the push age. */
  maxPushAgeSeconds?: number;
}

/**
 * A Grafana dashboard of one metric file: the pipeline's health, then panels per metric family by type,
 * the first few families open and the rest in collapsed rows. Namespace, job and every grouping label are
 * variables (the job's value selected at first), so the same dashboard serves every run, and every team
 * that pushes the same file.
 */
export function jobDashboard(records: readonly ValidRecord[], options: JobDashboardOptions): Dashboard {
  const families = groupByName(records);
  return dashboardOfFamilies(families, options, { start: 0, count: families.length });
}

/**
 * The same dashboard in as few parts as `fits` accepts, each a dashboard of its own: the whole one when
 * it fits, else the health row and the first families in the first part (the whole dashboard's uid and
 * title), the next families in the next, every part with the same variables and a drop-down of the
 * others. A ConfigMap has a size limit, a dashboard has none: this is how a file of any size gets there.
 */
export function jobDashboardParts(records: readonly ValidRecord[], options: JobDashboardOptions, fits: (dashboard: Dashboard, part: number) => boolean): Dashboard[] {
  const families = groupByName(records);
  const whole = dashboardOfFamilies(families, options, { start: 0, count: families.length });
  if (fits(whole, 1)) return [whole];
  const parts: Dashboard[] = [];
  for (let start = 0; start < families.length; ) {
    const number = parts.length + 1;
    const part = (count: number) => dashboardOfFamilies(families, options, { start, count, part: number });
    if (!fits(part(1), number)) {
      throw new DataError(`the panels of "${families[start]![0]!.name}" alone do not fit in one part of the dashboard (too many buckets or series for one ConfigMap)`);
    }
    // The largest count of families from `start` that fits: `fits(part(low), number)` holds throughout.
    let low = 1;
    let high = families.length - start;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(part(middle), number)) low = middle;
      else high = middle - 1;
    }
    parts.push(part(low));
    start += low;
  }
  return parts;
}

interface Slice {
  /** Index of the first family, and how many. */
  start: number;
  count: number;
  /** 1, 2, ...: the dashboard is one part of several; the first holds the health row. */
  part?: number;
}

function dashboardOfFamilies(families: readonly (readonly ValidRecord[])[], options: JobDashboardOptions, slice: Slice): Dashboard {
  const { job, grouping = {} } = options;
  if (Object.hasOwn(grouping, 'datasource')) {
    throw new ConfigError('the grouping label "datasource" cannot be a variable of the dashboard: its data source variable has that name');
  }
  // The scrape replaces a pushed `namespace` with the gateway's (docs/multi-tenancy.md): the namespace
  // variable stands for it, the pushed value only its first selection.
  const { namespace, ...groupingAfterJob } = grouping;
  const labels = ['namespace', 'job', ...Object.keys(groupingAfterJob)];
  const selector = variableSelector(labels);
  // The variables list the namespaces, jobs and groups that push the file's first metric, not every job there is.
  const anchor = families[0] ? sampleName(families[0][0]!) : 'push_time_seconds';
  const shown = families.slice(slice.start, slice.start + slice.count);
  const names = shown.map((family) => family[0]!.name);
  const from = slice.start + 1;
  const to = from + names.length - 1;
  const later = slice.part !== undefined && slice.part > 1;

  const builder = dashboardFrame(
    later ? `${job} (simplepipe), metrics ${from} to ${to}` : `${job} (simplepipe)`,
    later ? `${jobDashboardUid(job)}-${slice.part}` : jobDashboardUid(job),
    later
      ? `Metrics ${from} to ${to} pushed by simplepipe as job ${job}, one line of panels per metric; the first part holds the pipeline's health.`
      : `Metrics pushed by simplepipe as job ${job}: pipeline health, then one line of panels per metric.`,
  )
    .withVariable(datasourceVariable())
    .withVariable(labelVariable(anchor, { name: 'namespace', label: 'Namespace', within: [], initial: namespace }))
    .withVariable(labelVariable(anchor, { name: 'job', label: 'Job', within: ['namespace'], initial: job }));
  Object.entries(groupingAfterJob).forEach(([name, value], index) => {
    builder.withVariable(labelVariable(anchor, { name, label: name, within: labels.slice(0, index + 2), initial: value }));
  });
  if (slice.part !== undefined) {
    const tag = jobPartTag(job);
    builder.tags([DASHBOARD_TAG, tag]).link(partsLink(tag));
  }

  if (!later) {
    builder.withRow(new RowBuilder('Pipeline health'));
    const workflow = '{namespace="$namespace", job="${job}-workflow"}';
    for (const panel of healthPanels({ group: selector, workflow, maxPushAgeSeconds: options.maxPushAgeSeconds })) builder.withPanel(panel);
  }
  // A small file's dashboard has one open row of every metric, as it always had.
  const oneRow = slice.part === undefined && families.length <= FIRST_SCREEN;
  for (const { span, collapsed } of rowSpans({ from, names })) {
    const panels = shown
      .slice(span.from - from, span.from - from + span.names.length)
      .flatMap((family) => familyPanels(family, selector, options.expectedRanges?.get(family[0]!.name)));
    const { row, after } = metricRow(rowTitle(span, oneRow), collapsed, panels);
    builder.withRow(row);
    for (const panel of after) builder.withPanel(panel);
  }
  return buildNumbered(builder);
}

/** A series name the family exposes with every label it has. */
function sampleName(record: ValidRecord): string {
  return record.type === 'histogram' || record.type === 'summary' ? `${record.name}_count` : record.name;
}
