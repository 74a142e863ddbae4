import type { ScrapeConfig } from './scrapeConfigs.js';

/** One prometheus.yml relabel_config (ServiceMonitor rules converted with relabelConfig first). */
interface Relabel {
  action?: string;
  source_labels?: string[];
  target_label?: string;
  replacement?: string;
  regex?: string;
}

const fullMatch = (regex: string | undefined, value: string): boolean => new RegExp(`^(?:${regex ?? '(.*)'})$`).test(value);

/**
 * What is wrong with a scrape that should keep the pushed job and instance (honor_labels) yet label every
 * series with the gateway's namespace: one message per problem, none for a good scrape. `rules` are its
 * metric_relabel_configs, which run after the pushed labels have been honoured.
 */
export function tenantLabelProblems(honorLabels: boolean | undefined, rules: ScrapeConfig[], namespace: string): string[] {
  const problems: string[] = [];
  if (honorLabels !== true) problems.push('the pushed job and instance are not honoured');
  const relabels = rules as Relabel[];
  // Whatever runs last among the rules that can change `namespace` decides it; a labelmap could, by its replacement.
  const writers = relabels.filter((r) => r.target_label === 'namespace' || r.action === 'labelmap' || (r.action === 'labeldrop' && fullMatch(r.regex, 'namespace')));
  const stamp = writers.at(-1);
  if (!stamp || (stamp.action ?? 'replace') !== 'replace' || stamp.target_label !== 'namespace') {
    problems.push('the last rule that can change namespace does not stamp it');
  } else {
    if (stamp.source_labels?.length) problems.push(`the stamp depends on ${stamp.source_labels.join()}, which a push can set`);
    // With no source labels the input is the empty string: a regex that does not match it makes the stamp a no-op.
    if (!fullMatch(stamp.regex, '')) problems.push(`the stamp applies only where ${stamp.regex} matches`);
    if (stamp.replacement !== namespace) problems.push(`stamps namespace="${stamp.replacement}", not "${namespace}"`);
  }
  for (const leftover of ['exported_namespace', 'exported_exported_namespace']) {
    if (!relabels.some((r) => r.action === 'labeldrop' && fullMatch(r.regex, leftover))) problems.push(`a pushed ${leftover} is kept`);
  }
  return problems;
}
