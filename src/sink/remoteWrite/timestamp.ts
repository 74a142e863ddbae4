import { ConfigError } from '../../errors.js';
import type { Logger } from '../../log.js';

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * Reads `--timestamp`: RFC 3339 (`2026-11-21T18:30:00Z`, `2026-11-21T19:30:00.250+01:00`) or Unix
 * seconds (`1795285800`, `1795285800.25`), as milliseconds since the epoch (what remote write sends;
 * finer digits are rounded). Undefined for anything else, a date that does not exist included. Whether a
 * store would keep the instant is timestampProblem's to say.
 */
export function parseTimestamp(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Math.round(Number(trimmed) * 1000);
    // Finite, not only safe: a value in nanoseconds is then refused by timestampProblem, naming its unit.
    return Number.isFinite(ms) ? ms : undefined;
  }
  const match = rfc3339.exec(trimmed);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone, sign, zoneHours, zoneMinutes] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = fields;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2026-02-30 over into March; a date that does not exist is refused instead.
  const check = new Date(local);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  if (zone !== 'Z' && zone !== 'z' && (Number(zoneHours) > 23 || Number(zoneMinutes) > 59)) return undefined;
  const offsetMs = zone === 'Z' || zone === 'z' ? 0 : (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes)) * 60_000;
  return local - offsetMs + Math.round(Number(`0${fraction ?? ''}`) * 1000);
}

/**
 * How far ahead of the local clock a timestamp may be: clocks of two hosts differ by seconds, so ten
 * minutes forgives any honest skew. Further ahead is a mistake that harms more than the run: Prometheus
 * accepts it, moves its head block forward, and then refuses every real-time write by anyone as
 * `out of bounds` (and may drop the block holding other jobs' series); VictoriaMetrics drops a sample more
 * than two days ahead while answering success.
 */
export const MAX_FUTURE_MS = 10 * 60_000;

/**
 * Older than this is accepted with a warning: Prometheus refuses a sample older than its head block
 * (about an hour behind its newest sample) as `out of bounds` unless out-of-order ingestion is on, and
 * VictoriaMetrics silently drops one older than its retention (default a month).
 */
export const OLD_AFTER_MS = 60 * 60_000;

/** The units a number read as Unix seconds may really be in, by how many times too large it is. */
const UNITS = [
  ['milliseconds', 1e3],
  ['microseconds', 1e6],
  ['nanoseconds', 1e9],
] as const;

/**
 * What is wrong with a timestamp (ms since the epoch) for a write at `nowMs`: a refusal for one too far in
 * the future (naming the unit a number of seconds looks like, when it is milliseconds, microseconds or
 * nanoseconds of a time near now), a warning for one older than stores keep, or nothing.
 */
export function timestampProblem(timestampMs: number, nowMs: number): { refuse: string } | { warn: string } | undefined {
  if (timestampMs > nowMs + MAX_FUTURE_MS) {
    const asSeconds = timestampMs / 1000;
    const unit = UNITS.find(([, factor]) => Math.abs(asSeconds / factor - nowMs / 1000) < 50 * 365 * 86_400);
    const said = unit
      ? `it looks like Unix ${unit[0]}, read as seconds; give seconds (${wholeSeconds(asSeconds / unit[1])}) or RFC 3339`
      : `it is ${describeAhead(timestampMs - nowMs)} ahead of this host's clock`;
    return {
      refuse:
        `the timestamp ${describeInstant(timestampMs)} is more than ${MAX_FUTURE_MS / 60_000} minutes in the future: ${said}. ` +
        'A store would keep it where no query looks, and Prometheus would then refuse every later write as out of bounds',
    };
  }
  if (timestampMs < nowMs - OLD_AFTER_MS) {
    return {
      warn:
        `the timestamp ${describeInstant(timestampMs)} is ${describeAhead(nowMs - timestampMs)} old: Prometheus refuses samples older ` +
        'than its head block (about an hour) as out of bounds, and VictoriaMetrics drops those older than its retention (default one month) while answering success',
    };
  }
  return undefined;
}

/** Seconds down to the whole second, as `date +%s` prints them: microseconds and nanoseconds are past a double's exact integers, so 1795285799.9999998 is 1795285800. */
function wholeSeconds(seconds: number): number {
  return Math.floor(seconds + seconds * 1e-12);
}

function describeInstant(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms / 1000} (Unix seconds)` : date.toISOString();
}

function describeAhead(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 120) return `${Math.round(minutes)} minutes`;
  const hours = minutes / 60;
  if (hours < 48) return `${Math.round(hours)} hours`;
  const days = hours / 24;
  return days < 730 ? `${Math.round(days)} days` : `${Math.round(days / 365.25)} years`;
}

/** timestampProblem() for a write: a refusal is a ConfigError, a warning goes to `logger`. */
export function checkTimestamp(timestampMs: number, nowMs: number, logger: Logger): void {
  const problem = timestampProblem(timestampMs, nowMs);
  if (problem === undefined) return;
  if ('refuse' in problem) throw new ConfigError(`${problem.refuse}; nothing was written`);
  logger.warn(problem.warn);
}
