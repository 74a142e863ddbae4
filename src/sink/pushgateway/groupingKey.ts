import type { Labels } from '../../records.js';
import { checkGroupingKey } from '../../validate/groupingKey.js';

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
