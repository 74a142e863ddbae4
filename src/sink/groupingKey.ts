import { ConfigError } from '../errors.js';
import type { Labels } from '../records.js';
import { labelNameProblem } from '../validate/labelNames.js';

/**
 * What every sink requires of the job and the grouping labels: the Pushgateway puts them in the group's
 * path, remote write puts them on every series as ordinary labels. Either way they are label names.
 */
export function checkGroupingKey(job: string, grouping: Labels = {}): void {
  if (job === '') throw new ConfigError('the job name must not be empty');
  checkGroupingLabels(grouping);
}

/** The grouping labels alone, for a dry run that has no job yet. */
export function checkGroupingLabels(grouping: Labels = {}): void {
  for (const name of Object.keys(grouping)) {
    const problem = labelNameProblem(name);
    if (problem !== undefined) throw new ConfigError(`--grouping ${name}: ${problem}`);
    if (name === 'job') throw new ConfigError('"job" is given as the job name, not as a grouping label');
  }
}
