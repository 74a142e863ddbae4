import type { OptionMessage } from '../errors.js';

/** Why a header may not be set: in words, or naming the options that set it instead. */
export type HeaderReason = string | OptionMessage;

/**
 * Headers a user may not set (the `headers` option, --header), whatever the server: hop-by-hop headers belong to one
 * connection (RFC 9110, 7.6.1) and are the client's to manage, and the others are set from the request
 * itself or from a flag that keeps its secret off the command line.
 */
const alwaysReserved: ReadonlyMap<string, HeaderReason> = new Map<string, HeaderReason>([
  ['connection', 'a hop-by-hop header the HTTP client manages'],
  ['keep-alive', 'a hop-by-hop header the HTTP client manages'],
  ['proxy-connection', 'a hop-by-hop header the HTTP client manages'],
  ['proxy-authenticate', 'a hop-by-hop header the HTTP client manages'],
  ['proxy-authorization', 'a hop-by-hop header the HTTP client manages'],
  ['te', 'a hop-by-hop header the HTTP client manages'],
  ['trailer', 'a hop-by-hop header the HTTP client manages'],
  ['transfer-encoding', 'a hop-by-hop header the HTTP client manages'],
  ['upgrade', 'a hop-by-hop header the HTTP client manages'],
  ['expect', 'a header the HTTP client manages'],
  ['host', 'set from the URL'],
  ['content-length', 'set from the body'],
  ['content-type', 'set by simplepipe for the format it sends'],
  ['content-encoding', 'set by simplepipe for the format it sends'],
  ['authorization', (name) => `set from ${name('bearerTokenFile')} or ${name('passwordFile')}, which keep the secret in a file`],
]);

/** RFC 9110 token characters: what a header name may hold. */
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Why the header `name: value` cannot be sent, or undefined when it can. `reserved` adds the headers a
 * sink sets itself (remote write's version header, its tenant header), each with the reason.
 */
export function headerProblem(name: string, value: string, reserved: ReadonlyMap<string, HeaderReason> = new Map()): OptionMessage | undefined {
  if (!tokenPattern.test(name)) return () => `"${name}" is not a valid header name`;
  // A line break would end the header and start another: header injection.
  if (/[\r\n\0]/.test(value)) return () => `the value of ${name} must be one line`;
  const lower = name.toLowerCase();
  const reason = alwaysReserved.get(lower) ?? reserved.get(lower);
  if (reason === undefined) return undefined;
  return (option) => `${name} cannot be set with ${option('headers')}: ${typeof reason === 'string' ? reason : reason(option)}`;
}
