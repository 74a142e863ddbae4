import type { Labels } from '../records.js';

/** Which Pushgateway group the rules watch, and how its series look once Prometheus has scraped them. */
export interface RuleTarget {
  /** The job the file is pushed as. */
  job: string;
  /** Further grouping labels (`--grouping`), in push order. */
  grouping?: Labels;
  /**
   * Series labels whose value changes from run to run (a workflow's name): matched as present
   * (`workflow!=""`), not by the value the file happens to hold.
   */
  runLabels?: readonly string[];
  /** Match only series of this namespace (the label a ServiceMonitor's scrape adds). */
  namespace?: string;
}

/**
 * The matchers that select one Pushgateway group. The gateway exposes `instance=""` for a group pushed
 * without one, and Prometheus drops an empty label, so `instance=""` keeps out groups of the same job
 * pushed with an instance. Labels Prometheus adds on the scrape (`namespace`, `pod`, ...) are not
 * matched, unless asked for, so the selectors work in any namespace.
 */
export function groupMatchers(target: RuleTarget): string[] {
  const grouping = target.grouping ?? {};
  const matchers = [`job=${promqlString(target.job)}`];
  for (const [name, value] of Object.entries(grouping)) matchers.push(`${name}=${promqlString(value)}`);
  if (!Object.hasOwn(grouping, 'instance')) matchers.push('instance=""');
  if (target.namespace !== undefined) matchers.push(`namespace=${promqlString(target.namespace)}`);
  return matchers;
}

/**
 * The selector of one pushed series: its group's matchers and its own labels, sorted. An empty value
 * matches the series that lack the label, as Prometheus treats them alike.
 */
export function seriesSelector(name: string, labels: Labels, target: RuleTarget): string {
  const runLabels = new Set(target.runLabels);
  const own = Object.keys(labels)
    .sort()
    .map((label) => (runLabels.has(label) && labels[label] !== '' ? `${label}!=""` : `${label}=${promqlString(labels[label]!)}`));
  return `${name}{${[...groupMatchers(target), ...own].join(',')}}`;
}

/**
 * A PromQL string literal: JSON.stringify writes only escapes that Go's strings, and so PromQL's, read
 * too. PromQL's lexer refuses a literal U+FFFD (Go's decoding-error rune, "invalid UTF-8 rune"), so
 * that character goes as its escape.
 */
export function promqlString(text: string): string {
  return JSON.stringify(text).replaceAll('\uFFFD', '\\ufffd');
}

/** A bound as PromQL and the annotations write it: JavaScript's shortest round-trip form (`0.9`, `1e-7`). */
export function promqlNumber(value: number): string {
  return String(value);
}
