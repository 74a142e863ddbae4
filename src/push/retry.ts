import { TemporaryError } from '../errors.js';

export interface RetryPolicy {
  /** Time allowed for one attempt (connect, send, response), in ms. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** Overall time budget for all attempts and waits, in ms: a dead gateway ends within it. */
  deadlineMs: number;
  /** First backoff wait, in ms; it doubles per retry up to maxDelayMs, then is jittered. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  timeoutMs: 10_000,
  retries: 6,
  deadlineMs: 30_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
};

/**
 * Wait before retry `retry` (1-based): a random point in the upper half of an exponential ceiling
 * ("equal jitter"), so that many pods retrying the same gateway do not arrive in step, yet none retries
 * at once. A server's Retry-After wins when it asks for longer.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.round(ceiling * (0.5 + random() / 2));
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Sleeps `ms`, or ends early with a TemporaryError when `signal` aborts (SIGTERM from Argo). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(stoppedError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(stoppedError(signal!));
    };
    // setTimeout fires at once for anything above 2^31-1 ms; a longer wait is capped, not skipped.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(ms, 2 ** 31 - 1));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function stoppedError(signal: AbortSignal): TemporaryError {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted');
  return new TemporaryError(`stopped before the push succeeded: ${reason}`);
}

/** Parses `500ms`, `2s`, `1m` or plain seconds (`5`, `0.5`) into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m)?\s*$/.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  const ms = unit === 'ms' ? amount : unit === 'm' ? amount * 60_000 : amount * 1000;
  return ms > 0 ? Math.round(ms) : undefined;
}
