import { ConfigError } from '../errors.js';
import type { Labels } from '../records.js';
import { labelNameProblem } from './labelNames.js';

/**
 * The one check of a grouping key, for push, delete and validate alike: a job, label names Prometheus
 * accepts, no `job` among them, and text that UTF-8 can carry (a lone surrogate would arrive as U+FFFD,
 * naming another group).
 */
export function checkGroupingKey(job: string | undefined, grouping: Labels = {}): void {
  if (job === '') throw new ConfigError('the job name must not be empty');
  if (job !== undefined && !job.isWellFormed()) throw new ConfigError('the job name contains a lone UTF-16 surrogate, which is not valid Unicode');
  for (const [name, value] of Object.entries(grouping)) {
    const problem = labelNameProblem(name);
    if (problem !== undefined) throw new ConfigError((option) => `${option('grouping')} ${name}: ${problem}`);
    if (name === 'job') throw new ConfigError('"job" is given as the job name, not as a grouping label');
    if (!value.isWellFormed()) throw new ConfigError(`grouping label "${name}" contains a lone UTF-16 surrogate, which is not valid Unicode`);
  }
}
