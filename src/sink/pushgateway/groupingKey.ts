import { ConfigError } from '../../errors.js';
import type { Labels } from '../../records.js';
import { labelNameProblem } from '../../validate/labelNames.js';


/**
 * The URL path of a group: `/metrics/job/<job>{/<label>/<value>}`, as the Pushgateway's API defines it.
 * A value that is empty or holds a `/` cannot be a plain path segment, so it is sent as
 * `<label>@base64/<base64url>` (an empty one as `=`); other values are percent-encoded, a space as %20.
 */
export function groupingPath(job: string, grouping: Labels = {}): string {
  if (job === '') throw new ConfigError('the job name must not be empty');
  const segments = [encodePair('job', job)];
  for (const [name, value] of Object.entries(grouping)) {
    const problem = labelNameProblem(name);
    if (problem !== undefined) throw new ConfigError(`--grouping ${name}: ${problem}`);
    if (name === 'job') throw new ConfigError('"job" is given as the job name, not as a grouping label');
    segments.push(encodePair(name, value));
  }
  return `/metrics/${segments.join('/')}`;
}

function encodePair(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/')) return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/** Joins the gateway's base URL (which may carry a `--web.route-prefix` path) with a group's path. */
export function groupUrl(gateway: URL, job: string, grouping: Labels = {}): URL {
  const url = new URL(gateway.href);
  url.pathname = url.pathname.replace(/\/+$/, '') + groupingPath(job, grouping);
  url.search = '';
  url.hash = '';
  return url;
}
