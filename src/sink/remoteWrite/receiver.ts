import { ConfigError, DataError, type OptionMessage } from '../../errors.js';
import { parseHttpAddress, type HttpAddress } from '../../net/address.js';
import { headerProblem, type HeaderReason } from '../../net/headers.js';
import type { ResponsePolicy } from '../../net/response.js';
import { VERSION } from '../../version.js';

/** The header Mimir, Cortex and Loki-style stores read the tenant from (the `tenant` option). */
export const TENANT_HEADER = 'X-Scope-OrgID';

/** The headers of the protocol itself (remote-write 1.0): a custom header may not replace them. */
export const PROTOCOL_HEADERS: ReadonlyMap<string, HeaderReason> = new Map<string, HeaderReason>([
  ['user-agent', 'the remote-write specification has the sender name itself'],
  ['x-prometheus-remote-write-version', 'set by simplepipe to the protocol version it speaks'],
  [TENANT_HEADER.toLowerCase(), (name) => `use ${name('remoteWrite.tenant')}`],
]);

/**
 * How a remote-write receiver answers, as the specification says: any 2xx is success; 5xx (the write
 * failed and should be tried again) and 429 (too many requests; Retry-After is honoured) are retried;
 * any other 4xx will never succeed and is final.
 */
export const RECEIVER_RESPONSES: ResponsePolicy = {
  server: 'remote-write receiver',
  addressOption: 'remoteWrite.url',
  action: 'write',
  succeeded: (status) => status >= 200 && status < 300,
  retryable: (status) => status === 429 || status >= 500,
  final: (status, reason, target) => {
    // VictoriaMetrics answers a path it does not serve with 400 "unsupported path requested".
    if (status === 404 || status === 405 || (status === 400 && /unsupported path requested/.test(reason))) {
      return new ConfigError(
        `no remote-write receiver at ${target} (HTTP ${status}): ${reason}; check the URL ` +
          '(Prometheus: /api/v1/write, started with --web.enable-remote-write-receiver; VictoriaMetrics: /api/v1/write; Mimir and Cortex: /api/v1/push)',
        { status },
      );
    }
    const meaning = status === 400 ? RECEIVER_REASONS.find(([pattern]) => pattern.test(reason))?.[1] : undefined;
    if (meaning !== undefined) return new DataError((name) => `the remote-write receiver rejected the write (HTTP 400): ${reason}. ${meaning(name)}`, [], { status });
    if (status === 413) {
      return new ConfigError(
        (name) =>
          `the remote-write receiver refused a request as too large (HTTP 413): ${reason}; lower ${name('remoteWrite.maxSamplesPerRequest')} ` +
          '(a metric family is never split: one larger than the limit is sent whole, in a request of its own)',
        { status },
      );
    }
    return undefined;
  },
};

/**
 * Prometheus answers a refused sample with a bare reason from its TSDB; each gets a sentence saying what
 * it means and what to do. (Mimir and Cortex answer alike, with their own wording around the same words.)
 */
const RECEIVER_REASONS: readonly (readonly [RegExp, OptionMessage])[] = [
  [
    /out of bounds|too old/i,
    (name) =>
      'The store takes no samples at this time: Prometheus accepts a sample only within its head block, from about an hour ' +
      'before its newest sample on, and a sample written far in the future moves that window for every writer. Write with ' +
      `the current time (no ${name('remoteWrite.timestampMs')}) or a recent one; if a future sample got in, that store refuses current writes until the clock passes it`,
  ],
  [
    /out of order/i,
    (name) =>
      'The store already holds a newer sample of this series, and Prometheus refuses an older one unless out-of-order ' +
      `ingestion is on (storage.tsdb.out_of_order_time_window). Write with a later ${name('remoteWrite.timestampMs')}, or none`,
  ],
  [
    /duplicate sample/i,
    (name) =>
      'The store already holds another value of this series at this very timestamp and keeps the first. To write a new ' +
      `value, write it at a new time (no ${name('remoteWrite.timestampMs')}, or a later one); a retried run with the same values is accepted`,
  ],
];

/** The receiver's URL, whole: it is the endpoint itself (a query included, which some stores read). */
export function parseReceiverAddress(address: string): HttpAddress {
  return parseHttpAddress(address, { what: 'remote-write', allowQuery: true });
}

/**
 * The headers of every request: the protocol's four, the tenant, and the custom ones. A custom header that
 * would replace one the protocol or the client sets, or that could not be sent, is a configuration error.
 */
export function receiverHeaders(tenant: string | undefined, custom: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(custom)) {
    const problem = headerProblem(name, value, PROTOCOL_HEADERS);
    if (problem) throw new ConfigError(problem);
    if (seen.has(name.toLowerCase())) throw new ConfigError(`the header ${name} is given twice`);
    seen.add(name.toLowerCase());
    headers[name] = value;
  }
  if (tenant !== undefined) {
    if (tenant === '' || /[\r\n\0]/.test(tenant)) throw new ConfigError('the tenant must be one non-empty line');
    headers[TENANT_HEADER] = tenant;
  }
  return {
    ...headers,
    'content-encoding': 'snappy',
    'content-type': 'application/x-protobuf',
    'user-agent': `simplepipe/${VERSION}`,
    'x-prometheus-remote-write-version': '0.1.0',
  };
}
