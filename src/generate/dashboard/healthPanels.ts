import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { SUCCEEDED_OR_FAILED } from '../metricNames.js';
import { rangeSteps } from './fieldStyle.js';
import { statPanel } from './panels.js';
import { target } from './promql.js';

/** 1 where the gateway's last push of the group failed (it keeps the earlier values), else 0. */
export const LAST_PUSH_FAILED = { '0': { text: 'OK', color: 'green' }, '1': { text: 'Failed', color: 'red' } } as const;

export interface HealthOptions {
  /** The group the dashboard shows, `{namespace="$namespace", job="$job", ...}`. */
  group: string;
  /** The exit handler's group, `{namespace="$namespace", job="${job}-workflow"}`. */
  workflow: string;
  /** The longest expected gap between pushes, in seconds (a metric file's `expect.every`): an older push shows red. */
  maxPushAgeSeconds?: number;
}

/**
 * Whether the pipeline is reporting at all: the gateway's own push_time_seconds and
 * push_failure_time_seconds for the group, and the exit handler's workflow_succeeded and
 * workflow_duration_seconds (the `push-outcome` template of workflows/push-metrics.workflowtemplate.yaml).
 */
export function healthPanels(options: HealthOptions): cog.Builder<Panel>[] {
  const { group, workflow, maxPushAgeSeconds } = options;
  const text = (title: string, description: string) => ({ title, description, width: 6, height: 4 });
  return [
    statPanel(text('Time since last push', 'Time since the Pushgateway last accepted a push of this group (time() - push_time_seconds).'), {
      unit: 's',
      ...(maxPushAgeSeconds !== undefined && { steps: rangeSteps({ max: maxPushAgeSeconds }) }),
    }).withTarget(target(`time() - push_time_seconds${group}`, 0, { legend: '{{job}}', instant: true })),
    statPanel(
      text('Last push', 'Failed when the last push to the Pushgateway was refused (push_failure_time_seconds > push_time_seconds); the values shown are then older.'),
      { outcomes: LAST_PUSH_FAILED },
    ).withTarget(target(`push_failure_time_seconds${group} > bool push_time_seconds${group}`, 0, { legend: '{{job}}', instant: true })),
    statPanel(text('Workflow outcome', 'workflow_succeeded of the last workflow run, pushed by its exit handler as job <job>-workflow.'), {
      outcomes: SUCCEEDED_OR_FAILED,
    }).withTarget(target(`workflow_succeeded${workflow}`, 0, { legend: '{{status}}', instant: true })),
    statPanel(text('Workflow run time', 'workflow_duration_seconds of the last workflow run, pushed by its exit handler as job <job>-workflow.'), {
      unit: 's',
    }).withTarget(target(`workflow_duration_seconds${workflow}`, 0, { legend: '{{status}}', instant: true })),
  ];
}
