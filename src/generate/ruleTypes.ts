import type { Labels } from '../records.js';

/** One Prometheus alerting rule, as a rule file and a PrometheusRule hold it. */
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Labels;
  annotations: Labels;
}

/** One Prometheus recording rule: a series computed at every evaluation, for the alerts and dashboards to read. */
export interface RecordingRule {
  record: string;
  expr: string;
}

/** One rule group: all alerts of one job and grouping key, and the series they read, recorded first. */
export interface RuleGroup {
  name: string;
  /** Evaluated before the alerts of the group, in order, so they read this evaluation's values. */
  records?: RecordingRule[];
  rules: AlertRule[];
}

/** What the alerts of one record's `expect` share: their name's start, `for` and labels. */
export interface RecordAlertShape {
  /** `<Job><Metric>`: each alert adds what it watches (`BelowMin`, `AboveBaseline`). */
  name: string;
  for?: string;
  labels: Labels;
}
