/**
 * Prometheus durations (`30s`, `5m`, `1h30m`, `1d`), read exactly as Prometheus reads a rule's `for`:
 * units y, w, d, h, m, s, ms, largest first, each at most once; a bare `0`; nothing that overflows
 * Go's time.Duration (2^63-1 ns, about 292 years). promtool 2.42 accepts and refuses the same strings
 * (test/validate/duration.test.ts runs it).
 */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const MS_PER_UNIT = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1].map(BigInt);
const MAX_NANOSECONDS = 2n ** 63n - 1n;

export type DurationProblem = 'malformed' | 'too long';

/** The duration in milliseconds, or why Prometheus would refuse it. */
export function parsePrometheusDuration(text: string): { ms: number } | { problem: DurationProblem } {
  if (text === '0') return { ms: 0 };
  const match = text === '' ? null : DURATION.exec(text);
  if (match === null) return { problem: 'malformed' };
  // BigInt: a count of digits Go's Atoi clamps must still compare as too long, not wrap.
  let ms = 0n;
  match.slice(1).forEach((count, unit) => {
    if (count !== undefined) ms += BigInt(count) * MS_PER_UNIT[unit]!;
  });
  if (ms * 1_000_000n > MAX_NANOSECONDS) return { problem: 'too long' };
  return { ms: Number(ms) };
}

export const DURATION_MESSAGES: Record<DurationProblem, string> = {
  malformed: 'is not a Prometheus duration (such as 30s, 5m, 1h30m, 1d: units y, w, d, h, m, s, ms, largest first)',
  'too long': 'is longer than Prometheus can hold (about 292 years)',
};
