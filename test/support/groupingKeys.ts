import fc from 'fast-check';
import type { Labels } from '../../src/records.js';

/**
 * Values a URL parser, a proxy or the gateway's router might read differently from what was written:
 * dot segments, their percent-encoded spellings, separators, characters with a meaning in a URL.
 */
const tricky = ['.', '..', '...', '%2e', '%2E', '%2e%2E', '.%2e', '%2e.', '%2F', '/', '\\', '@', '+', ' ', '', '?', '#', ';', '%', '=', '~', 'a/..', '../a', './', 'é', '🎉'];

/** Any well-formed Unicode text, the tricky values above, and short mixes of their characters. */
export const groupingValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...tricky),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('.', '%', '2', 'e', 'E', '/', '\\', ' ', '+', '@', 'a'), maxLength: 8 }),
);

/** A job: any grouping value but the empty one. */
export const jobName: fc.Arbitrary<string> = groupingValue.filter((value) => value !== '');

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/).filter((name) => !name.startsWith('__') && name !== 'job');

/** Grouping labels after `job`, in path order. */
export const groupingLabels: fc.Arbitrary<Labels> = fc
  .uniqueArray(fc.tuple(labelName, groupingValue), { maxLength: 3, selector: ([name]) => name })
  .map((pairs) => Object.fromEntries(pairs));

/**
 * Reads a group's path back as the Pushgateway does: `<label>/<percent-encoded value>` or
 * `<label>@base64/<base64url value>` (`=` for the empty value), after `/metrics/job`.
 */
export function decodeGroupingPath(pathname: string, prefix = ''): Labels {
  if (!pathname.startsWith(`${prefix}/metrics/`)) throw new Error(`not a group path: ${pathname}`);
  const segments = pathname.slice(`${prefix}/metrics/`.length).split('/');
  if (segments.length % 2 !== 0) throw new Error(`odd number of segments: ${pathname}`);
  const labels: Labels = {};
  for (let i = 0; i < segments.length; i += 2) {
    const [name, value] = [segments[i]!, segments[i + 1]!];
    if (name.endsWith('@base64')) labels[name.slice(0, -'@base64'.length)] = value === '=' ? '' : Buffer.from(value, 'base64url').toString('utf8');
    else labels[name] = decodeURIComponent(value);
  }
  return labels;
}
