import type { Dispatcher } from 'undici';
import { countSeries, EXPOSITION_CONTENT_TYPE } from '../../convert/exposition.js';
import type { Labels } from '../../records.js';
import { noopLogger, type Logger } from '../../log.js';
import { authorizationHeader, type GatewayCredentials } from '../../net/auth.js';
import { sendWithRetries, type ClientContext } from '../../net/client.js';
import { redactUrl } from '../../net/redact.js';
import { parseGatewayAddress } from './gateway.js';
import { groupUrl } from './groupingKey.js';
import { DEFAULT_RETRY_POLICY, withDeadlineFromNow, type RetryPolicy } from '../../net/retry.js';
import { createGatewayAgent, type TlsOptions } from '../../net/tls.js';
import { verifyPush } from './verify.js';

export interface GatewayOptions {
  /** Base URL of the Pushgateway, possibly with a route prefix and userinfo. */
  gateway: string;
  job: string;
  /** Grouping labels after `job`, in path order. */
  grouping?: Labels;
  retry?: Partial<RetryPolicy>;
  /** Basic auth or a bearer token; wins over userinfo in the gateway URL. */
  credentials?: GatewayCredentials;
  /** CA, client certificate and verification for an https:// gateway. */
  tls?: TlsOptions;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** undici dispatcher to send through instead of one built from `tls`. */
  dispatcher?: Dispatcher;
  logger?: Logger;
  /** Aborting ends the run: a request in flight is cancelled, a retry wait cut short. */
  signal?: AbortSignal;
}

export interface PushOptions extends GatewayOptions {
  /** PUT replaces the whole group; POST replaces only the metrics of the same names. */
  method?: 'PUT' | 'POST';
  /** Read the group back from /api/v1/metrics after the push and check the gateway kept it. */
  verify?: boolean;
}

export interface PushResult {
  /** The group's URL, credentials redacted. */
  url: string;
  status: number;
  attempts: number;
  durationMs: number;
}

/** Pushes exposition text to the gateway, retrying faults that may pass. */
export function pushToGateway(body: string, options: PushOptions): Promise<PushResult> {
  return sendToGroup(options.method ?? 'PUT', body, options);
}

/** Deletes a whole group (job plus grouping labels) from the gateway. */
export function deleteGroup(options: GatewayOptions): Promise<PushResult> {
  return sendToGroup('DELETE', undefined, options);
}

async function sendToGroup(method: 'PUT' | 'POST' | 'DELETE', body: string | undefined, options: PushOptions): Promise<PushResult> {
  const address = parseGatewayAddress(options.gateway);
  const url = groupUrl(address.url, options.job, options.grouping);
  const target = redactUrl(url);
  const credentials =
    options.credentials ?? (address.userinfo ? { kind: 'basic' as const, ...address.userinfo } : undefined);
  const headers: Record<string, string> = { ...options.headers };
  if (credentials) headers.authorization = authorizationHeader(credentials);

  if (options.tls?.insecureSkipVerify && url.protocol === 'https:') {
    options.logger?.warn('TLS certificate verification is off (--insecure-skip-verify): anyone on the path can read the push');
  }
  // A private agent, closed when done, so no keep-alive socket holds the process open afterwards.
  const dispatcher = options.dispatcher ?? (await createGatewayAgent(options.tls));
  const context: ClientContext = {
    dispatcher,
    // The push and its --verify read-back share one deadline.
    policy: withDeadlineFromNow({ ...DEFAULT_RETRY_POLICY, ...options.retry }),
    logger: options.logger ?? noopLogger,
    signal: options.signal,
  };
  try {
    const contentType: Record<string, string> = body === undefined ? {} : { 'content-type': EXPOSITION_CONTENT_TYPE };
    const reply = await sendWithRetries({ method, url, target, headers: { ...headers, ...contentType }, body }, context);
    if (body !== undefined) {
      context.logger.info(`pushed ${countSeries(body)} series to ${target}`, {
        method,
        status: reply.status,
        attempts: reply.attempts,
        ms: Math.round(reply.durationMs),
      });
    }
    if (options.verify && body !== undefined) {
      await verifyPush({ gateway: address.url, job: options.job, grouping: options.grouping ?? {}, headers, exposition: body }, context);
    }
    return { url: target, status: reply.status, attempts: reply.attempts, durationMs: reply.durationMs };
  } finally {
    if (options.dispatcher === undefined) await dispatcher.close();
  }
}
