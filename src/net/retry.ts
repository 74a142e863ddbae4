import { StoppedAfterSendingError, TemporaryError, type OptionMessage, type SimplepipeError } from '../errors.js';
import type { Logger } from '../log.js';

export interface RetryPolicy {
  /** Time allowed for one attempt (connect, send, response), in ms. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** Overall time budget for all attempts and waits, in ms: a dead gateway ends within it. */
  deadlineMs: number;
  /**
   * The same budget as an instant on `performance.now()`'s clock, for several calls that share one:
   * an S3 fetch, the push and its --verify read-back end by it together. When absent, each call counts
   * `deadlineMs` from its own start.
   */
  deadlineAt?: number;
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

/** A stop before the first byte of a push or write: nothing reached the server, so a retry is safe. */
export function stoppedBeforeSending(signal: AbortSignal): TemporaryError {
  return new TemporaryError(`stopped (${reasonOf(signal)}) before anything was sent; nothing was pushed`);
}

const reasonOf = (signal: AbortSignal): string => (signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted'));

export function stoppedError(signal: AbortSignal): TemporaryError {
  return new TemporaryError(`stopped before the push succeeded: ${reasonOf(signal)}`);
}

/** A stop once the request's whole body was sent, before its answer: the server may have applied it. */
function stoppedAfterSending(signal: AbortSignal, action: string): StoppedAfterSendingError {
  return new StoppedAfterSendingError(
    `stopped (${reasonOf(signal)}) ${action} after its whole body was sent, before the answer: the push may have been stored; ` +
      'read the group back, or push again (the same push replaces what it stored)',
  );
}

/** What one attempt came to: done, worth another try, or a final failure. */
export type Attempt<T> =
  | { kind: 'success'; value: T }
  | {
      kind: 'retry';
      reason: string;
      retryAfterMs?: number;
      bodySent?: boolean;
      /** The server's answer (a 503, a 429), when there was one: the TemporaryError after the last retry carries it. */
      status?: number;
      /** The transport's error (ECONNREFUSED, ECONNRESET): the TemporaryError after the last retry wraps it. */
      cause?: unknown;
    }
  | { kind: 'fatal'; error: SimplepipeError; bodySent?: boolean };

export interface RetryContext {
  policy: RetryPolicy;
  logger: Logger;
  /** Aborting (SIGTERM) cancels the attempt in flight or the wait, with a TemporaryError. */
  signal?: AbortSignal;
}

export interface Retried<T> {
  value: T;
  attempts: number;
  durationMs: number;
}

/** The policy with its deadline fixed as an instant from now, unless one is fixed already: calls made with it share one clock. */
export function withDeadlineFromNow(policy: RetryPolicy): RetryPolicy {
  return policy.deadlineAt === undefined ? { ...policy, deadlineAt: performance.now() + policy.deadlineMs } : policy;
}

/**
 * Runs `attempt` until it succeeds or fails for good: faults that may pass are retried with backoff
 * until the retries or the overall deadline (`deadlineAt`, else `deadlineMs` from now) run out. Each
 * attempt gets a signal that ends at its timeout (--timeout, cut to what the deadline leaves) or on
 * `context.signal`. One loop for every remote call, the gateway's and S3's, so both keep the same
 * promises. `action` names the work and what it contacts, once, in messages ("on PUT http://…",
 * "fetching s3://…"); an attempt's reason says only what went wrong.
 */
export async function withRetries<T>(
  action: string,
  context: RetryContext,
  attempt: (signal: AbortSignal) => Promise<Attempt<T>>,
): Promise<Retried<T>> {
  const { policy, logger, signal: stop } = context;
  const started = performance.now();
  const end = policy.deadlineAt ?? started + policy.deadlineMs;
  for (let count = 1; ; count++) {
    if (stop?.aborted) throw stoppedError(stop);
    const remaining = end - performance.now();
    if (remaining <= 0) {
      // Only reachable before the first attempt: later ones are not begun unless the wait before them fits.
      throw new TemporaryError(`gave up ${action} before the first attempt: the run's ${seconds(policy.deadlineMs)} deadline had passed`);
    }
    const timeoutMs = Math.ceil(Math.min(policy.timeoutMs, remaining));
    const timeout = AbortSignal.timeout(timeoutMs);
    const outcome = await attempt(stop ? AbortSignal.any([stop, timeout]) : timeout);
    if (outcome.kind === 'success') return { value: outcome.value, attempts: count, durationMs: performance.now() - started };
    if (stop?.aborted) throw outcome.bodySent ? stoppedAfterSending(stop, action) : stoppedError(stop);
    if (outcome.kind === 'fatal') throw outcome.error;

    const timedOut = timeout.aborted;
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : outcome.reason;
    const wait = backoffDelay(count, policy, outcome.retryAfterMs);
    const now = performance.now();
    const elapsed = now - started;
    const why: OptionMessage | undefined =
      count > policy.retries
        ? (name) => `no retries left of ${name('retry.retries')} ${policy.retries}`
        : now + wait >= end
          ? () => `the next retry, in ${seconds(wait)}, would pass the ${seconds(policy.deadlineMs)} deadline`
          : undefined;
    if (why !== undefined) {
      throw new TemporaryError(
        (name) => `gave up ${action} after ${count} attempt${count === 1 ? '' : 's'} in ${seconds(elapsed)} (${why(name)}); last error: ${reason}`,
        timedOut ? { cause: outcome.cause ?? timeout.reason } : { cause: outcome.cause, status: outcome.status },
      );
    }
    logger.warn(`attempt ${count} ${action} failed; retrying in ${seconds(wait)}`, { reason });
    await sleep(wait, stop);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
