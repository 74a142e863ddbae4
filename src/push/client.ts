import type { Dispatcher } from 'undici';
import { TemporaryError } from '../errors.js';
import type { Logger } from '../log.js';
import { classifyResponse, classifyTransportError, type AttemptOutcome } from './response.js';
import { takeTlsAlert } from './tls.js';
import { backoffDelay, parseRetryAfter, sleep, stoppedError, type RetryPolicy } from './retry.js';

export interface GatewayReply {
  status: number;
  body: string;
  attempts: number;
  durationMs: number;
}

export interface GatewayRequest {
  method: 'PUT' | 'POST' | 'DELETE' | 'GET';
  url: URL;
  /** The URL as it may be shown: credentials redacted. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ClientContext {
  dispatcher: Dispatcher;
  policy: RetryPolicy;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Sends one request, retrying faults that may pass (connection errors, timeouts, 408, 429, 5xx) with
 * backoff until the retries or the overall deadline run out. Every other answer is final at once.
 */
export async function sendWithRetries(request: GatewayRequest, context: ClientContext): Promise<GatewayReply> {
  const { policy, logger, signal } = context;
  const started = performance.now();
  const deadline = started + policy.deadlineMs;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - performance.now();
    const timeoutMs = Math.ceil(Math.min(policy.timeoutMs, Math.max(1, remaining)));
    const outcome = await attemptOnce(request, context, timeoutMs);
    if (outcome.kind === 'success') {
      return { status: outcome.status, body: outcome.body, attempts: attempt, durationMs: performance.now() - started };
    }
    if (outcome.kind === 'fatal') throw outcome.error;

    const wait = backoffDelay(attempt, policy, outcome.retryAfterMs);
    const elapsed = performance.now() - started;
    if (attempt > policy.retries || elapsed + wait >= policy.deadlineMs) {
      throw new TemporaryError(
        `gave up on ${request.method} ${request.target} after ${attempt} attempt${attempt === 1 ? '' : 's'} in ` +
          `${(elapsed / 1000).toFixed(1)}s; last error: ${outcome.reason}`,
      );
    }
    logger.warn(`attempt ${attempt} failed, retrying in ${(wait / 1000).toFixed(1)}s`, { reason: outcome.reason });
    await sleep(wait, signal);
  }
}

async function attemptOnce(request: GatewayRequest, context: ClientContext, timeoutMs: number): Promise<AttemptOutcome> {
  const { undiciRequest } = await loadUndici();
  const { signal: stop, dispatcher } = context;
  if (stop?.aborted) throw stoppedError(stop);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stop ? AbortSignal.any([stop, timeout]) : timeout;
  try {
    const { method, headers, body } = request;
    const response = await undiciRequest(request.url, { method, headers, body, signal, dispatcher });
    const text = await response.body.text();
    const location = header(response.headers.location);
    const retryAfter = parseRetryAfter(header(response.headers['retry-after']));
    return classifyResponse(response.statusCode, text, request.target, location, retryAfter);
  } catch (error) {
    if (stop?.aborted) throw stoppedError(stop);
    if (timeout.aborted) return { kind: 'retry', reason: `${request.target}: no answer within ${timeoutMs} ms` };
    return classifyTransportError(takeTlsAlert(dispatcher) ?? error, request.target);
  }
}

// undici is loaded on first use, so importing the library stays cheap for callers that only validate.
async function loadUndici(): Promise<{ undiciRequest: typeof import('undici').request }> {
  const { request } = await import('undici');
  return { undiciRequest: request };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
