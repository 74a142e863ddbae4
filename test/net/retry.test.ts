import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../src/errors.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, sleep } from '../../src/net/retry.js';

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
