import { ConfigError, DataError, PermissionError, type SimplepipeError } from '../errors.js';
import type { Attempt } from './retry.js';

/** A server's successful answer. */
export interface HttpAnswer {
  status: number;
  body: string;
}

export type AttemptOutcome = Attempt<HttpAnswer>;

/**
 * How one kind of server answers: which statuses mean success, which may pass, and what its own final
 * answers mean. Each sink has one (the Pushgateway's, the remote-write receiver's); the rest of the
 * classification (redirects, refused credentials, rejected data, transport faults) is the same for all.
 */
export interface ResponsePolicy {
  /** The server as messages name it: "gateway", "remote-write receiver". */
  server: string;
  /** The option that sets its address (`gateway`, `remoteWrite.url`), named when it must change (a redirect). */
  addressOption: string;
  /** What the request was, as in "the gateway rejected the push". */
  action: string;
  succeeded: (status: number) => boolean;
  /** Answers that may pass: retried with backoff. */
  retryable: (status: number) => boolean;
  /** A final answer particular to this server (a 404 naming the missing API), checked before the general 4xx rules; its error carries `status`. */
  final?: (status: number, reason: string, target: string) => SimplepipeError | undefined;
}

/** Maps a server's answer to an outcome: success, worth another try, or final at once. */
export function classifyResponse(
  status: number,
  body: string,
  target: string,
  location: string | undefined,
  retryAfterMs: number | undefined,
  policy: ResponsePolicy,
): AttemptOutcome {
  const reason = body.trim() || '(empty body)';
  if (policy.succeeded(status)) return { kind: 'success', value: { status, body } };
  if (policy.retryable(status)) return { kind: 'retry', reason: `HTTP ${status}: ${reason}`, retryAfterMs, status };
  const fatal = (error: SimplepipeError): AttemptOutcome => ({ kind: 'fatal', error });
  if (status >= 300 && status < 400) {
    return fatal(
      new ConfigError(
        (name) =>
          `the ${policy.server} answered HTTP ${status} redirecting to ${location ?? '(no Location)'}; ` +
          `redirects are not followed: set ${name(policy.addressOption)} to the final address`,
        { status },
      ),
    );
  }
  // Go's TLS server answers a plain-HTTP request with this 400: the address, not the data, is wrong.
  if (status === 400 && reason.includes('Client sent an HTTP request to an HTTPS server')) {
    return fatal(new ConfigError((name) => `the ${policy.server} at ${target} speaks HTTPS, not HTTP: give ${name(policy.addressOption)} as https://`, { status }));
  }
  const particular = policy.final?.(status, reason, target);
  if (particular) return fatal(particular);
  if (status === 407) return fatal(new PermissionError(`${PROXY_REFUSED} (HTTP 407)`, { status }));
  if (status === 401 || status === 403) {
    return fatal(new PermissionError(`the ${policy.server} refused the credentials (HTTP ${status}): ${reason}`, { status }));
  }
  if (status >= 400 && status < 500) return fatal(new DataError(`the ${policy.server} rejected the ${policy.action} (HTTP ${status}): ${reason}`, [], { status }));
  return fatal(new ConfigError(`unexpected HTTP ${status} from ${target}: ${reason}`, { status }));
}

/** A proxy's 407, whether it answers a forwarded request or refuses a tunnel: retrying will not pass it. */
const PROXY_REFUSED =
  'the proxy (HTTPS_PROXY or HTTP_PROXY) wants credentials it was not given, or refused those given: put them in its URL, http://user:password@host:port';

const tlsCodes = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|ERR_OSSL_)/;
/**
 * TLS alerts received from the server about our client certificate (or the lack of one). OpenSSL
 * versions spell the prefix differently (SSLV3_, TLSV13_, SSL/TLS_), so only the alert name is matched.
 */
const clientCertRefused = /^ERR_SSL_.*ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|UNSUPPORTED_CERTIFICATE)$/;

/**
 * Maps a transport error to an outcome: connection and timeout faults may pass; a certificate the
 * client does not trust will not, and retrying it would only hide the misconfiguration.
 */
export function classifyTransportError(error: unknown, target: string, server: string): AttemptOutcome {
  const code = errorCode(error);
  const message = describeTransportError(error);
  if (code === 'ERR_PROXY_AUTH_REQUIRED') return { kind: 'fatal', error: new PermissionError(`${message}; ${PROXY_REFUSED}`, { cause: error }) };
  if (code !== undefined && clientCertRefused.test(code)) {
    return {
      kind: 'fatal',
      error: new PermissionError(
        (name) => `the ${server} ${target} refused the client certificate (${code}); check ${name('tls.certFile')} and ${name('tls.keyFile')}`,
        { cause: error },
      ),
    };
  }
  if (code !== undefined && tlsCodes.test(code)) {
    return {
      kind: 'fatal',
      error: new ConfigError((name) => `TLS with ${target} failed (${code}): ${message}; check ${name('tls.caFile')} or the ${server}'s certificate`, { cause: error }),
    };
  }
  return { kind: 'retry', reason: message, cause: error };
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  }
  return undefined;
}

/** undici wraps the real cause (ECONNREFUSED, ECONNRESET) inside a generic error; name the innermost. */
function describeTransportError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    // Node's own messages already hold the code ("connect ECONNREFUSED 127.0.0.1:1"): say it once.
    parts.push(typeof code === 'string' && !current.message.includes(code) ? `${current.message} (${code})` : current.message);
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}
