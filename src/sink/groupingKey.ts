import { ConfigError } from '../errors.js';
import type { Labels } from '../records.js';

const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * What every sink requires of the job and the grouping labels: the Pushgateway puts them in the group's
 * path, remote write puts them on every series as ordinary labels. Either way they are label names.
 */
export function checkGroupingKey(job: string, grouping: Labels = {}): void {
  if (job === '') throw new ConfigError('the job name must not be empty');
  for (const name of Object.keys(grouping)) {
    if (!labelNamePattern.test(name) || name.startsWith('__')) {
      throw new ConfigError(`grouping label name "${name}" is not a valid label name`);
    }
    if (name === 'job') throw new ConfigError('"job" is given as the job name, not as a grouping label');
  }
}
