import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../src/errors.js';
import { noopLogger } from '../../src/log.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, sleep, withDeadlineFromNow, withRetries, type Attempt } from '../../src/net/retry.js';

describe('backoff between retries', () => {
  it('doubles its ceiling per retry up to the maximum, and waits between half and all of it', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelay(retry, DEFAULT_RETRY_POLICY, undefined, () => 1));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, undefined, () => 0)).toBe(1000);
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, 5000, () => 1)).toBe(5000);
    expect(backoffDelay(5, DEFAULT_RETRY_POLICY, 100, () => 1)).toBe(8000);
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('the wait between retries', () => {
  it('ends early with a TemporaryError naming the signal when aborted', async () => {
    const controller = new AbortController();
    const waiting = sleep(3_600_000, controller.signal);
    controller.abort(new Error('received SIGTERM'));
    await expect(waiting).rejects.toThrow(TemporaryError);
    await expect(waiting).rejects.toThrow(/stopped before the push succeeded: received SIGTERM/);
  });
});

describe('one deadline shared by several calls', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, timeoutMs: 10_000, retries: 100, deadlineMs: 600, baseDelayMs: 20, maxDelayMs: 40 };
  const context = (deadlineAt?: number) => ({ policy: { ...policy, deadlineAt }, logger: noopLogger });
  /** An attempt that hangs until its signal ends it: a server that never answers. */
  const hangs = (signal: AbortSignal): Promise<Attempt<never>> =>
    new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'retry', reason: 'no answer' }), { once: true }));

  it('gives a later call only what an earlier one left, so both end by the one instant', async () => {
    const { deadlineAt } = withDeadlineFromNow(policy);
    const first = await withRetries('first', context(deadlineAt), async () => {
      await sleep(500);
      return { kind: 'success', value: 1 };
    });
    expect(first.value).toBe(1);
    await expect(withRetries('second', context(deadlineAt), hangs)).rejects.toThrow(/gave up second after \d+ attempt/);
    // Counting its own 600 ms, the second call would run on to 500 ms past the shared instant.
    expect(performance.now()).toBeLessThan(deadlineAt! + 250);
  });

  it('makes no attempt when the deadline has passed before the call', async () => {
    let attempts = 0;
    const late = withRetries('late', context(performance.now() - 1), async () => {
      attempts++;
      return { kind: 'success', value: 1 };
    });
    await expect(late).rejects.toThrow(/gave up late before the first attempt: the run's 0.6s deadline had passed/);
    expect(attempts).toBe(0);
  });

  it('fixes the deadline once: a policy that has one keeps it', () => {
    const fixed = withDeadlineFromNow(policy);
    expect(withDeadlineFromNow(fixed)).toBe(fixed);
    expect(fixed.deadlineAt! - performance.now()).toBeLessThanOrEqual(600);
  });
});
