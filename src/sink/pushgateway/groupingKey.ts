import { ConfigError } from '../../errors.js';
import type { Labels } from '../../records.js';

const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A value goes into the path as written only when nothing between here and the gateway's label map can
 * read it differently: RFC 3986's unreserved characters, which no URL parser, proxy or Go router
 * decodes or normalises, and not made only of dots, which the WHATWG URL parser removes as `.`/`..`
 * path segments (and Go's router redirects). Percent-encoding is no way out: `%2e` is a dot to the URL
 * parser too. Everything else, the empty value included, goes as base64url.
 */
function isPlainSegment(value: string): boolean {
  return /^[A-Za-z0-9_.~-]+$/.test(value) && !/^\.+$/.test(value);
}

/**
 * The URL path of a group: `/metrics/job/<job>{/<label>/<value>}`, as the Pushgateway's API defines it.
 * A value that is not a plain segment (above) is sent as `<label>@base64/<base64url>`, an empty one as `=`.
 */
export function groupingPath(job: string, grouping: Labels = {}): string {
  checkGroupingKey(job, grouping);
  const segments = [encodePair('job', job)];
  for (const [name, value] of Object.entries(grouping)) segments.push(encodePair(name, value));
  return `/metrics/${segments.join('/')}`;
}

function encodePair(name: string, value: string): string {
  if (isPlainSegment(value)) return `${name}/${value}`;
  // base64url of a non-empty value is never empty and never only dots; an empty one must still be a segment.
  return `${name}@base64/${value === '' ? '=' : Buffer.from(value, 'utf8').toString('base64url')}`;
}

/** Joins the gateway's base URL (which may carry a `--web.route-prefix` path) with a group's path. */
export function groupUrl(gateway: URL, job: string, grouping: Labels = {}): URL {
  const url = new URL(gateway.href);
  url.pathname = url.pathname.replace(/\/+$/, '') + groupingPath(job, grouping);
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * The one check of a grouping key, for push, delete and validate alike: a job, label names Prometheus
 * accepts, no `job` among them, and text that UTF-8 can carry (a lone surrogate would arrive as U+FFFD,
 * naming another group).
 */
export function checkGroupingKey(job: string | undefined, grouping: Labels = {}): void {
  if (job === '') throw new ConfigError('the job name must not be empty');
  if (job !== undefined && !job.isWellFormed()) throw new ConfigError('the job name contains a lone UTF-16 surrogate, which is not valid Unicode');
  for (const [name, value] of Object.entries(grouping)) {
    if (!labelNamePattern.test(name) || name.startsWith('__')) {
      throw new ConfigError(`grouping label name "${name}" is not a valid label name`);
    }
    if (name === 'job') throw new ConfigError('"job" is given as the job name, not as a grouping label');
    if (!value.isWellFormed()) throw new ConfigError(`grouping label "${name}" contains a lone UTF-16 surrogate, which is not valid Unicode`);
  }
}
