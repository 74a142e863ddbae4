import { RowBuilder, type Dashboard, type DynamicConfigValue } from '@grafana/grafana-foundation-sdk/dashboard';
import { PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { SUCCEEDED_OR_FAILED } from '../metricNames.js';
import { outcomeMappings } from './fieldStyle.js';
import { buildNumbered, dashboardFrame } from './frame.js';
import { LAST_PUSH_FAILED } from './healthPanels.js';
import { OVERVIEW_UID } from './names.js';
import { stateTimelinePanel, tablePanel, timeseriesPanel } from './panels.js';
import { target } from './promql.js';
import { datasourceVariable, labelVariable } from './variables.js';

const inNamespace = '{namespace="$namespace"}';
// The exit handler pushes as job `<job>-workflow`: these queries show its metrics under `<job>`, and the
// pushes of a job's own metrics without the exit handler's group.
const jobGroups = '{namespace="$namespace", job!~".+-workflow"}';
const asJob = (series: string) => `label_replace(${series}${inNamespace}, "job", "$1", "job", "(.+)-workflow")`;

/** One value per job each. */
const queries = {
  sinceLastPush: `time() - max by (job) (push_time_seconds${jobGroups})`,
  lastPushFailed: `max by (job) (push_failure_time_seconds${jobGroups} > bool push_time_seconds${jobGroups})`,
  workflowDuration: `max by (job) (${asJob('workflow_duration_seconds')})`,
  workflowSucceeded: `min by (job) (${asJob('workflow_succeeded')})`,
} as const;

// A table query's values are the columns "Value #<refId>"; each gets a header and its unit or outcomes.
const columns: Record<string, DynamicConfigValue[]> = {
  A: [{ id: 'displayName', value: 'Since last push' }, { id: 'unit', value: 's' }],
  B: [{ id: 'displayName', value: 'Last push' }, { id: 'mappings', value: outcomeMappings(LAST_PUSH_FAILED) }],
  C: [{ id: 'displayName', value: 'Workflow run time' }, { id: 'unit', value: 's' }],
  D: [{ id: 'displayName', value: 'Workflow outcome' }, { id: 'mappings', value: outcomeMappings(SUCCEEDED_OR_FAILED) }],
};

/**
 * One dashboard for the administrator: every job pushed in a namespace, side by side. Needs no metric
 * file: it reads only what every push has (the gateway's push_time_seconds and push_failure_time_seconds)
 * and what the exit handler pushes (workflow_duration_seconds, workflow_succeeded).
 */
export function overviewDashboard(): Dashboard {
  const { sinceLastPush, lastPushFailed, workflowDuration, workflowSucceeded } = queries;
  const table = tablePanel(
    { title: 'Pipelines in $namespace', description: 'One row per job: its latest push and, where its workflow has the exit handler, its latest run.', width: 24 },
    {},
    [
      { id: 'merge', options: {} },
      { id: 'organize', options: { excludeByName: { Time: true } } },
    ],
  ).targets([sinceLastPush, lastPushFailed, workflowDuration, workflowSucceeded].map((expr, i) => target(expr, i, { instant: true, format: PromQueryFormat.Table })));
  for (const [refId, properties] of Object.entries(columns)) table.overrideByName(`Value #${refId}`, properties);

  const builder = dashboardFrame(
    'Pipelines overview (simplepipe)',
    OVERVIEW_UID,
    'Every job pushed to the Pushgateway of a namespace: when it last pushed, and how its workflow runs went.',
  )
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('push_time_seconds', { name: 'namespace', label: 'Namespace', within: [] }))
    .withRow(new RowBuilder('Pipelines'))
    .withPanel(table)
    .withPanel(
      timeseriesPanel({ title: 'Time since last push, by job', description: 'time() - push_time_seconds, the newest group of each job.', width: 12 }, { unit: 's' }).withTarget(
        target(sinceLastPush, 0, { legend: '{{job}}' }),
      ),
    )
    .withPanel(
      timeseriesPanel({ title: 'Workflow run time, by job', description: 'workflow_duration_seconds pushed by the exit handler.', width: 12 }, { unit: 's' }).withTarget(
        target(workflowDuration, 0, { legend: '{{job}}' }),
      ),
    )
    .withPanel(
      stateTimelinePanel(
        { title: 'Workflow outcome, by job', description: 'workflow_succeeded pushed by the exit handler: 1 succeeded, 0 failed.', width: 24 },
        { outcomes: SUCCEEDED_OR_FAILED },
      ).withTarget(target(workflowSucceeded, 0, { legend: '{{job}}' })),
    );
  return buildNumbered(builder);
}
