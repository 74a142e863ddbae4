import type { Dispatcher } from 'undici';
import { TemporaryError } from '../errors.js';
import type { Labels } from '../records.js';
import { EXPOSITION_CONTENT_TYPE } from '../convert/exposition.js';
import { noopLogger, type Logger } from '../log.js';
import { parseGatewayAddress, redactUrl } from './gateway.js';
import { groupUrl } from './groupingKey.js';
import { classifyResponse, classifyTransportError, type AttemptOutcome } from './response.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, sleep, stoppedError, type RetryPolicy } from './retry.js';

export interface GatewayOptions {
  /** Base URL of the Pushgateway, possibly with a route prefix and userinfo. */
  gateway: string;
  job: string;
  /** Grouping labels after `job`, in path order. */
  grouping?: Labels;
  retry?: Partial<RetryPolicy>;
  /** Extra request headers, e.g. Authorization. */
  headers?: Record<string, string>;
  /** undici dispatcher carrying TLS settings; the global one when absent. */
  dispatcher?: Dispatcher;
  logger?: Logger;
  /** Aborting ends the run: a request in flight is cancelled, a retry wait cut short. */
  signal?: AbortSignal;
}

export interface PushOptions extends GatewayOptions {
  /** PUT replaces the whole group; POST replaces only the metrics of the same names. */
  method?: 'PUT' | 'POST';
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

async function sendToGroup(method: 'PUT' | 'POST' | 'DELETE', body: string | undefined, options: GatewayOptions): Promise<PushResult> {
  const { Agent, request } = await import('undici');
  const logger = options.logger ?? noopLogger;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const address = parseGatewayAddress(options.gateway);
  const url = groupUrl(address.url, options.job, options.grouping);
  const target = redactUrl(url);
  const headers: Record<string, string> = { ...options.headers };
  if (address.userinfo && headers.authorization === undefined) {
    const { username, password } = address.userinfo;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  if (body !== undefined) headers['content-type'] = EXPOSITION_CONTENT_TYPE;

  // A private agent, closed when done, so no keep-alive socket holds the process open afterwards.
  const dispatcher = options.dispatcher ?? new Agent();
  try {
    return await retryLoop();
  } finally {
    if (options.dispatcher === undefined) await dispatcher.close();
  }

  async function retryLoop(): Promise<PushResult> {
  const started = performance.now();
  const deadline = started + policy.deadlineMs;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - performance.now();
    const outcome = await attemptOnce(Math.ceil(Math.min(policy.timeoutMs, Math.max(1, remaining))));
    if (outcome.kind === 'success') {
      return { url: target, status: outcome.status, attempts: attempt, durationMs: performance.now() - started };
    }
    if (outcome.kind === 'fatal') throw outcome.error;

    const wait = backoffDelay(attempt, policy, outcome.retryAfterMs);
    const elapsed = performance.now() - started;
    if (attempt > policy.retries || elapsed + wait >= policy.deadlineMs) {
      throw new TemporaryError(
        `gave up on ${method} ${target} after ${attempt} attempt${attempt === 1 ? '' : 's'} in ` +
          `${(elapsed / 1000).toFixed(1)}s; last error: ${outcome.reason}`,
      );
    }
    logger.warn(`attempt ${attempt} failed, retrying in ${(wait / 1000).toFixed(1)}s`, { reason: outcome.reason });
    await sleep(wait, options.signal);
  }
  }

  async function attemptOnce(timeoutMs: number): Promise<AttemptOutcome> {
    if (options.signal?.aborted) throw stoppedError(options.signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const response = await request(url, { method, headers, body, signal, dispatcher });
      const text = await response.body.text();
      const location = header(response.headers.location);
      const retryAfter = parseRetryAfter(header(response.headers['retry-after']));
      return classifyResponse(response.statusCode, text, target, location, retryAfter);
    } catch (error) {
      if (options.signal?.aborted) throw stoppedError(options.signal);
      if (timeout.aborted) return { kind: 'retry', reason: `${target}: no answer within ${timeoutMs} ms` };
      return classifyTransportError(error, target);
    }
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
