import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { groupByName } from '../convert/families.js';
import { ConfigError } from '../errors.js';
import type { Labels, ValidRecord } from '../records.js';
import { buildNumbered, dashboardFrame } from './dashboard/frame.js';
import type { ExpectedRange } from './dashboard/fieldStyle.js';
import { healthPanels } from './dashboard/healthPanels.js';
import { familyPanels } from './dashboard/metricPanels.js';
import { jobDashboardUid } from './dashboard/names.js';
import { variableSelector } from './dashboard/promql.js';
import { datasourceVariable, labelVariable } from './dashboard/variables.js';

export { overviewDashboard } from './dashboard/overview.js';
export { dashboardJson } from './dashboard/json.js';
export { dashboardConfigMap, SIDECAR_LABEL, type ConfigMapOptions } from './dashboard/configMap.js';
export { jobConfigMapName, jobDashboardUid, OVERVIEW_CONFIGMAP, OVERVIEW_UID } from './dashboard/names.js';
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
 * A Grafana dashboard of one metric file: the pipeline's health, then panels per metric family by type.
 * Namespace, job and every grouping label are variables (the job's value selected at first), so the
 * same dashboard serves every run, and every team that pushes the same file.
 */
export function jobDashboard(records: readonly ValidRecord[], options: JobDashboardOptions): Dashboard {
  const { job, grouping = {} } = options;
  if (Object.hasOwn(grouping, 'datasource')) {
    throw new ConfigError('the grouping label "datasource" cannot be a variable of the dashboard: its data source variable has that name');
  }
  // The scrape replaces a pushed `namespace` with the gateway's (README, Multi-tenancy): the namespace
  // variable stands for it, the pushed value only its first selection.
  const { namespace, ...groupingAfterJob } = grouping;
  const families = groupByName(records);
  const labels = ['namespace', 'job', ...Object.keys(groupingAfterJob)];
  const selector = variableSelector(labels);
  // The variables list the namespaces, jobs and groups that push the file's first metric, not every job there is.
  const anchor = families[0] ? sampleName(families[0][0]!) : 'push_time_seconds';

  const builder = dashboardFrame(
    `${job} (simplepipe)`,
    jobDashboardUid(job),
    `Metrics pushed by simplepipe as job ${job}: pipeline health, then one line of panels per metric.`,
  )
    .withVariable(datasourceVariable())
    .withVariable(labelVariable(anchor, { name: 'namespace', label: 'Namespace', within: [], initial: namespace }))
    .withVariable(labelVariable(anchor, { name: 'job', label: 'Job', within: ['namespace'], initial: job }));
  Object.entries(groupingAfterJob).forEach(([name, value], index) => {
    builder.withVariable(labelVariable(anchor, { name, label: name, within: labels.slice(0, index + 2), initial: value }));
  });

  builder.withRow(new RowBuilder('Pipeline health'));
  const workflow = '{namespace="$namespace", job="${job}-workflow"}';
  for (const panel of healthPanels({ group: selector, workflow, maxPushAgeSeconds: options.maxPushAgeSeconds })) builder.withPanel(panel);
  builder.withRow(new RowBuilder('Metrics'));
  for (const family of families) {
    for (const panel of familyPanels(family, selector, options.expectedRanges?.get(family[0]!.name))) builder.withPanel(panel);
  }
  return buildNumbered(builder);
}

/** A series name the family exposes with every label it has. */
function sampleName(record: ValidRecord): string {
  return record.type === 'histogram' || record.type === 'summary' ? `${record.name}_count` : record.name;
}
