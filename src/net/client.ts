import type { Dispatcher } from 'undici';
import { classifyResponse, classifyTransportError, type AttemptOutcome } from './response.js';
import { takeTlsAlert } from './tls.js';
import { parseRetryAfter, withRetries, type RetryContext } from './retry.js';

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

export interface ClientContext extends RetryContext {
  dispatcher: Dispatcher;
}

/**
 * Sends one request, retrying faults that may pass (connection errors, timeouts, 408, 429, 5xx) with
 * backoff until the retries or the overall deadline run out. Every other answer is final at once.
 */
export async function sendWithRetries(request: GatewayRequest, context: ClientContext): Promise<GatewayReply> {
  const { value, attempts, durationMs } = await withRetries(`on ${request.method} ${request.target}`, context, (signal) =>
    attemptOnce(request, context.dispatcher, signal),
  );
  return { ...value, attempts, durationMs };
}

async function attemptOnce(request: GatewayRequest, dispatcher: Dispatcher, signal: AbortSignal): Promise<AttemptOutcome> {
  const { undiciRequest } = await loadUndici();
  try {
    const { method, headers, body } = request;
    const response = await undiciRequest(request.url, { method, headers, body, signal, dispatcher });
    const text = await response.body.text();
    const location = header(response.headers.location);
    const retryAfter = parseRetryAfter(header(response.headers['retry-after']));
    return classifyResponse(response.statusCode, text, request.target, location, retryAfter);
  } catch (error) {
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
