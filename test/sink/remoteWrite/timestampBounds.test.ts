import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, remoteWrite, validate } from '../../../src/index.js';
import { MAX_FUTURE_MS, OLD_AFTER_MS, timestampProblem } from '../../../src/sink/remoteWrite/timestamp.js';
import { startFaultProxy } from '../../support/faultProxy.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../../support/files.js';
import { runMain } from '../../support/runMain.js';

const now = Date.UTC(2026, 10, 21, 18, 30);
const refusal = (ms: number): string => {
  const problem = timestampProblem(ms, now);
  return problem !== undefined && 'refuse' in problem ? problem.refuse : '';
};

describe('timestampProblem: what no store keeps, and what would harm other data', () => {
  it('accepts the present, a little skew either way, and the recent past', () => {
    for (const ms of [now, now + MAX_FUTURE_MS, now - 1000, now - OLD_AFTER_MS]) expect(timestampProblem(ms, now)).toBeUndefined();
  });

  it('refuses more than 10 minutes ahead, saying how far', () => {
    expect(MAX_FUTURE_MS).toBe(10 * 60_000);
    expect(refusal(now + MAX_FUTURE_MS + 1000)).toMatch(/more than 10 minutes in the future: it is 10 minutes ahead/);
    expect(refusal(now + 86_400_000)).toMatch(/it is 24 hours ahead of this host's clock/);
  });

  it.each([
    ['milliseconds', 1e3],
    ['microseconds', 1e6],
    ['nanoseconds', 1e9],
  ])('names %s read as seconds, with the seconds meant', (unit, factor) => {
    // `date +%s%3N` and its kin: the same instant, in a finer unit, read as seconds.
    const seconds = now / 1000;
    expect(refusal(seconds * factor * 1000)).toMatch(new RegExp(`looks like Unix ${unit}, read as seconds; give seconds \\(${seconds}\\) or RFC 3339`));
  });

  it('for any time near now given in a finer unit, names that unit and the seconds meant; any time up to 10 minutes ahead passes', () => {
    const nearNow = fc.integer({ min: now - 5 * 365 * 86_400_000, max: now + MAX_FUTURE_MS });
    fc.assert(
      fc.property(nearNow, fc.constantFrom(['milliseconds', 1e3], ['microseconds', 1e6], ['nanoseconds', 1e9]), (instant, [unit, factor]) => {
        const seconds = Math.floor(instant / 1000);
        // `date +%s%3N` and its kin: whole units, read as seconds (what parseTimestamp makes of the digits).
        expect(refusal(seconds * (factor as number) * 1000)).toContain(`looks like Unix ${unit}, read as seconds; give seconds (${seconds})`);
        expect(timestampProblem(instant, now) === undefined || 'warn' in timestampProblem(instant, now)!).toBe(true);
      }),
    );
  });

  it('warns of a time older than an hour, naming what each store does with it', () => {
    const problem = timestampProblem(now - OLD_AFTER_MS - 60_000, now);
    expect(problem).toEqual({ warn: expect.stringMatching(/is 61 minutes old: Prometheus refuses .* out of bounds.*VictoriaMetrics drops/) });
  });
});

describe('--timestamp and remoteWrite() refuse a future time before anything is sent', () => {
  it('64 for milliseconds given as --timestamp (date +%s%3N), even on a dry run, nothing sent', async () => {
    const proxy = await startFaultProxy('http://127.0.0.1:9');
    try {
      const ms = String(Date.now());
      for (const extra of [[], ['--dry-run']]) {
        const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'ms', '--remote-write', `${proxy.url}/api/v1/write`, '--timestamp', ms, ...extra]);
        expect(run.code).toBe(64);
        expect(run.stderr).toMatch(/looks like Unix milliseconds, read as seconds; give seconds \(\d{10}\)/);
        expect(run.stdout).toBe('');
      }
      expect(proxy.requests).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });

  it('64 for a time a day ahead', async () => {
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'ahead', '--remote-write', 'http://127.0.0.1:9/api/v1/write', '--timestamp', String(Math.floor(Date.now() / 1000) + 86_400)]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/more than 10 minutes in the future: it is 24 hours ahead/);
  });

  it('writes a time two hours old on a dry run, with the warning', async () => {
    const at = Math.floor(Date.now() / 1000) - 7200;
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'old', '--remote-write', 'http://127.0.0.1:9/api/v1/write', '--timestamp', String(at), '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`simple{job="old"} 6 ${at * 1000}`);
    expect(run.stderr).toMatch(/warn: the timestamp .* is 2 hours old: Prometheus refuses/);
  });

  it('the library refuses alike (ConfigError, 78), and nothing reaches the receiver', async () => {
    const proxy = await startFaultProxy('http://127.0.0.1:9');
    try {
      const records = validate(SIMPLEPIPE_EXAMPLE);
      const written = remoteWrite(records, { url: `${proxy.url}/api/v1/write`, job: 'lib', timestampMs: Date.now() * 1000 });
      await expect(written).rejects.toThrow(ConfigError);
      await expect(written).rejects.toThrow(/looks like Unix milliseconds.*nothing was written/);
      expect(proxy.requests).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });
});
