import { ConfigError, type OptionNamer } from '../errors.js';
import type { Labels, MetricRecord } from '../records.js';
import type { Problem } from './places.js';
import { escapePointer } from './schema.js';

/**
 * The labels a namespace's gateway stamps over (workflows/pushgateway: its ServiceMonitor sets `namespace`
 * on every series and drops `exported_namespace`). A push that sets one of them is rewritten on the way
 * into Prometheus, and two groups (or two series) that differ only there become one series: Prometheus
 * keeps either value, silently. So where the stamp applies, neither may be pushed at all.
 */
export function stampedLabels(tenantLabel: string): string[] {
  return [tenantLabel, `exported_${tenantLabel}`];
}

const why = (option: OptionNamer, tenantLabel: string, name: string): string =>
  `"${name}" is ${name === tenantLabel ? 'set' : 'dropped'} by the gateway's tenancy stamp (${option('tenantLabel')} ${tenantLabel}): ` +
  `series that differ only there would become one; the gateway's namespace says whose they are`;

/** A grouping key naming a stamped label: configuration, as every grouping-key problem (78). */
export function checkTenantGrouping(tenantLabel: string | undefined, grouping: Labels | undefined): void {
  if (!tenantLabel) return;
  for (const name of stampedLabels(tenantLabel)) {
    if (grouping !== undefined && Object.hasOwn(grouping, name)) {
      throw new ConfigError((option) => `${option('grouping')} ${name}: ${why(option, tenantLabel, name)}`);
    }
  }
}

/**
 * Every place a series of the input would carry a stamped label: the `labels` option, the file's labels, a
 * record's labels or info facts. `option` names the options in the messages (a command line's flags).
 */
export function tenantLabelIssues(
  tenantLabel: string | undefined,
  input: { flagLabels: Labels; fileLabels: Labels; records: unknown },
  option: OptionNamer = (name) => name,
): Problem[] {
  if (!tenantLabel) return [];
  const issues: Problem[] = [];
  for (const name of stampedLabels(tenantLabel)) {
    const message = why(option, tenantLabel, name);
    if (Object.hasOwn(input.flagLabels, name)) issues.push({ pointer: `${option('labels')} ${name}`, message });
    if (Object.hasOwn(input.fileLabels, name)) issues.push({ pointer: `/labels/${escapePointer(name)}`, message });
    if (!Array.isArray(input.records)) continue;
    input.records.forEach((record: Partial<MetricRecord> | null, index) => {
      if (typeof record !== 'object' || record === null) return;
      if (isLabels(record.labels) && Object.hasOwn(record.labels, name)) issues.push({ record: index, field: `/labels/${escapePointer(name)}`, message });
      if (record.metric_type === 'info' && isLabels(record.value) && Object.hasOwn(record.value, name)) {
        issues.push({ record: index, field: `/value/${escapePointer(name)}`, message });
      }
    });
  }
  return issues;
}

const isLabels = (value: unknown): value is Labels => typeof value === 'object' && value !== null && !Array.isArray(value);
