import { ConfigError, DataError, PermissionError } from '../errors.js';
import type { Attempt } from './retry.js';

/** The gateway's successful answer. */
export interface GatewayAnswer {
  status: number;
  body: string;
}

export type AttemptOutcome = Attempt<GatewayAnswer>;

/**
 * Maps the gateway's answer to an outcome. 200 and 202 are the Pushgateway's success codes; 408, 429
 * and 5xx may pass; any other answer would be the same next time, so it is final at once.
 */
export function classifyResponse(
  status: number,
  body: string,
  target: string,
  location: string | undefined,
  retryAfterMs: number | undefined,
): AttemptOutcome {
  const reason = body.trim() || '(empty body)';
  if (status === 200 || status === 202) return { kind: 'success', value: { status, body } };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', reason: `HTTP ${status}: ${reason}`, retryAfterMs };
  }
  if (status >= 300 && status < 400) {
    return {
      kind: 'fatal',
      error: new ConfigError(
        `the gateway answered HTTP ${status} redirecting to ${location ?? '(no Location)'}; ` +
          'redirects are not followed: set --gateway to the final address',
      ),
    };
  }
  if (status === 401 || status === 403) {
    return { kind: 'fatal', error: new PermissionError(`the gateway refused the credentials (HTTP ${status}): ${reason}`) };
  }
  if (status === 404 || status === 405) {
    return {
      kind: 'fatal',
      error: new ConfigError(
        `no Pushgateway API at ${target} (HTTP ${status}); check the gateway URL and its --web.route-prefix`,
      ),
    };
  }
  if (status >= 400) {
    return { kind: 'fatal', error: new DataError(`the gateway rejected the push (HTTP ${status}): ${reason}`) };
  }
  return { kind: 'fatal', error: new ConfigError(`unexpected HTTP ${status} from ${target}: ${reason}`) };
}

const tlsCodes = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|ERR_OSSL_)/;
/**
 * TLS alerts received from the gateway about our client certificate (or the lack of one). OpenSSL
 * versions spell the prefix differently (SSLV3_, TLSV13_, SSL/TLS_), so only the alert name is matched.
 */
const clientCertRefused = /^ERR_SSL_.*ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|UNSUPPORTED_CERTIFICATE)$/;

/**
 * Maps a transport error to an outcome: connection and timeout faults may pass; a certificate the
 * client does not trust will not, and retrying it would only hide the misconfiguration.
 */
export function classifyTransportError(error: unknown, target: string): AttemptOutcome {
  const code = errorCode(error);
  const message = describeTransportError(error);
  if (code !== undefined && clientCertRefused.test(code)) {
    return {
      kind: 'fatal',
      error: new PermissionError(`the gateway ${target} refused the client certificate (${code}); check --cert-file and --key-file`),
    };
  }
  if (code !== undefined && tlsCodes.test(code)) {
    return {
      kind: 'fatal',
      error: new ConfigError(`TLS with ${target} failed (${code}): ${message}; check --ca-file or the gateway's certificate`),
    };
  }
  return { kind: 'retry', reason: message };
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
