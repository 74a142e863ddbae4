import type { Dispatcher } from 'undici';
import { SimplepipeError, type OptionNamer } from '../errors.js';
import { noopLogger, type Logger } from '../log.js';
import type { HttpAddress } from './address.js';
import { authorizationHeader, type GatewayCredentials } from './auth.js';
import { proxyFor } from './proxy.js';
import { classifyResponse, classifyTransportError, type AttemptOutcome, type ResponsePolicy } from './response.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, withDeadlineFromNow, withRetries, type RetryContext, type RetryPolicy } from './retry.js';
import type { TlsOptions } from './tls.js';
import { errorOfBody, wasBodySent, type RequestBody, type Transport } from './transport/index.js';
import { openTransport } from './transport/open.js';

export interface HttpReply {
  status: number;
  body: string;
  attempts: number;
  durationMs: number;
}

export interface HttpRequest {
  method: 'PUT' | 'POST' | 'DELETE' | 'GET';
  url: URL;
  /** The URL as it may be shown: credentials redacted. */
  target: string;
  headers: Record<string, string>;
  /** Text (exposition), bytes (a compressed protobuf message), or text sent as it is rendered. */
  body?: RequestBody;
  /** How the server's answers are read: what succeeds, what is retried, what its 404 means. */
  responses: ResponsePolicy;
}

export interface ClientContext extends RetryContext {
  transport: Transport;
}

/** What every remote call of a sink is configured with, whatever the server. */
export interface ConnectionOptions {
  retry?: Partial<RetryPolicy>;
  /** Basic auth or a bearer token; wins over userinfo in the server's URL. */
  credentials?: GatewayCredentials;
  /** CA, client certificate and verification for an https:// server. */
  tls?: TlsOptions;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** An undici dispatcher to send through (its own connections and TLS) instead of Node's http and https with `tls`. */
  dispatcher?: Dispatcher;
  /**
   * Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms) are read (default:
   * process.env); ignored with a `dispatcher`, which routes requests its own way.
   */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** How log lines and errors name an option (`tls.insecureSkipVerify`) for the reader: a command line passes its flags. */
  nameOption?: OptionNamer;
  /** Aborting ends the run: a request in flight is cancelled, a retry wait cut short. */
  signal?: AbortSignal;
}

/** An open client: the retry context and the headers every request carries (credentials included). */
export interface Connection {
  context: ClientContext;
  headers: Record<string, string>;
}

/**
 * Sets up what every request to `address` shares (credentials, transport, retry policy), runs `use`,
 * and closes the transport afterwards, so no keep-alive socket holds the process open.
 */
export async function withConnection<T>(address: HttpAddress, options: ConnectionOptions, use: (connection: Connection) => Promise<T>): Promise<T> {
  const credentials = options.credentials ?? (address.userinfo ? { kind: 'basic' as const, ...address.userinfo } : undefined);
  const headers: Record<string, string> = { ...options.headers };
  if (credentials) headers.authorization = authorizationHeader(credentials);
  if (options.tls?.insecureSkipVerify && address.url.protocol === 'https:') {
    const option = options.nameOption?.('tls.insecureSkipVerify') ?? 'tls.insecureSkipVerify';
    options.logger?.warn(`TLS certificate verification is off (${option}): anyone on the path can read the push`);
  }
  const proxy = options.dispatcher === undefined ? proxyFor(address.url, options.env ?? process.env) : undefined;
  if (proxy !== undefined) options.logger?.debug(`sending through the proxy ${proxy.shown}`, { from: proxy.variable });
  const transport = await openTransport({ ...options, proxy });
  const context: ClientContext = {
    transport,
    // Every request of the connection (a push and its --verify read-back, a remote write's requests) shares one deadline.
    policy: withDeadlineFromNow({ ...DEFAULT_RETRY_POLICY, ...options.retry }),
    logger: options.logger ?? noopLogger,
    signal: options.signal,
  };
  try {
    return await use({ context, headers });
  } finally {
    await transport.close();
  }
}

/**
 * Sends one request, retrying faults that may pass (connection errors, timeouts, and the answers the
 * server's policy retries) with backoff until the retries or the overall deadline run out. Every other
 * answer is final at once.
 */
export async function sendWithRetries(request: HttpRequest, context: ClientContext): Promise<HttpReply> {
  const { value, attempts, durationMs } = await withRetries(`on ${request.method} ${request.target}`, context, (signal) =>
    attemptOnce(request, context.transport, signal),
  );
  return { ...value, attempts, durationMs };
}

async function attemptOnce(request: HttpRequest, transport: Transport, signal: AbortSignal): Promise<AttemptOutcome> {
  try {
    const { method, url, headers, body } = request;
    const response = await transport.send({ method, url, headers, body }, signal);
    const retryAfter = parseRetryAfter(response.retryAfter);
    return classifyResponse(response.status, response.body, request.target, response.location, retryAfter, request.responses);
  } catch (error) {
    // The body's own refusal (an input found invalid while it was sent) is the answer, not a fault that may pass.
    const refused = errorOfBody(error);
    if (refused instanceof SimplepipeError) return { kind: 'fatal', error: refused };
    if (refused !== undefined) throw refused;
    const outcome = classifyTransportError(transport.takeTlsAlert() ?? error, request.target, request.responses.server);
    return wasBodySent(error) && outcome.kind !== 'success' ? { ...outcome, bodySent: true } : outcome;
  }
}
