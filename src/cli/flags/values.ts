import { InvalidArgumentError, Option } from 'commander';
import { headerProblem } from '../../net/headers.js';
import { flagOf } from './libraryOptions.js';
import { DURATION_MESSAGES, parsePrometheusDuration } from '../../validate/duration.js';
import { PROTOCOL_HEADERS } from '../../sink/remoteWrite/receiver.js';
import { parseTimestamp, timestampProblem } from '../../sink/remoteWrite/timestamp.js';
import type { Labels } from '../../records.js';
import { parseInlineMetric, type InlineMetric } from '../../source/inline.js';
import { namePrefixProblem } from '../../source/kfp.js';

/**
 * Commander's collector for repeatable `key=value` flags such as --grouping and --label. A value that starts
 * with `{` is a JSON object of several pairs (`{"step":"a","shard":"1"}`, `{}` for none): no label name starts
 * so, and a template can pass a whole set of labels in one argument.
 */
export function collectKeyValue(text: string, previous: Labels = {}): Labels {
  if (text.startsWith('{')) return collectJsonLabels(text, previous);
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${text}"`);
  const key = text.slice(0, at);
  if (Object.hasOwn(previous, key)) throw new InvalidArgumentError(`"${key}" is given twice`);
  return { ...previous, [key]: text.slice(at + 1) };
}

function collectJsonLabels(text: string, previous: Labels): Labels {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError(`expected key=value or a JSON object of them, got "${text.slice(0, 60)}"`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidArgumentError(`expected a JSON object of label values, got "${text.slice(0, 60)}"`);
  let labels = previous;
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new InvalidArgumentError(`the value of "${key}" must be a string, got ${JSON.stringify(value)}`);
    labels = collectKeyValue(`${key}=${value}`, labels);
  }
  return labels;
}

/** Commander's collector for a repeatable flag that takes a plain value. */
export function collectValue(text: string, previous: string[] = []): string[] {
  return [...previous, text];
}

/** Commander's collector for the repeatable --metric flag. */
export function collectInlineMetric(text: string, previous: InlineMetric[] = []): InlineMetric[] {
  try {
    return [...previous, parseInlineMetric(text)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** The longest wait a Node timer holds: a longer one fires at once (TimeoutOverflowWarning), so --interval 30d would push nonstop. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A number with at most one unit, read as seconds without one: `5`, `0.5`, `1.5s`, `2.5m`, `0.5h`, `250ms`. */
const DECIMAL_DURATION = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?\s*$/;
const MS_PER_UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A timer's duration flag (--timeout, --deadline, watch's --interval, --debounce, --poll) in milliseconds: a
 * Prometheus duration (`500ms`, `30s`, `5m`, `1h`, `1h30m`, `1d`, as --ttl and --every read them), or a number
 * of seconds, plain or with one unit (`5`, `0.5`, `1.5s`). Above zero, and no longer than a timer can wait.
 */
export function durationArgument(text: string): number {
  const prometheus = parsePrometheusDuration(text.trim());
  const decimal = DECIMAL_DURATION.exec(text);
  let ms: number;
  if ('ms' in prometheus) ms = prometheus.ms;
  else if (decimal) ms = Math.round(Number(decimal[1]) * MS_PER_UNIT[decimal[2] ?? 's']!);
  else if (prometheus.problem === 'too long') ms = Infinity;
  else throw new InvalidArgumentError(`expected a duration such as 500ms, 30s, 5m, 1h or 1h30m, or plain seconds, got "${text}"`);
  if (!(ms > 0)) throw new InvalidArgumentError(`must be longer than 0, got "${text}"`);
  if (ms > MAX_TIMER_MS) throw new InvalidArgumentError(`"${text}" is longer than a timer can wait (about 24.8 days)`);
  return ms;
}

/** A duration flag whose default --help shows as a duration ("10s"): the flag reads a bare number as seconds. */
export function durationOption(flags: string, description: string, defaultMs: number): Option {
  return new Option(flags, description).argParser(durationArgument).default(defaultMs, formatDuration(defaultMs));
}

/** Milliseconds as the shortest duration the duration flags read back: 10000 → "10s", 1500 → "1500ms", 7200000 → "2h". */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function countArgument(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`expected a whole number, got "${text}"`);
  return Number(text);
}

/** A byte count: plain bytes, or with a KiB/MiB/GiB suffix (also k, M, G as binary units). */
export function byteSizeArgument(text: string): number {
  const match = /^(\d+)\s*(k|kib|m|mib|g|gib)?$/i.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`expected a size such as 1048576, 512KiB or 64MiB, got "${text}"`);
  const unit = (match[2] ?? '').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Number(match[1]) * factor;
  if (bytes <= 0) throw new InvalidArgumentError('the size must be above zero');
  return bytes;
}

export function positiveCountArgument(text: string): number {
  const count = countArgument(text);
  if (count === 0 || !Number.isSafeInteger(count)) throw new InvalidArgumentError(`expected a whole number above zero, got "${text}"`);
  return count;
}

/** --timestamp: RFC 3339 or Unix seconds, as milliseconds since the epoch. */
export function timestampArgument(text: string): number {
  const ms = parseTimestamp(text);
  if (ms === undefined) throw new InvalidArgumentError(`expected RFC 3339 (2026-11-21T18:30:00Z) or Unix seconds (1795285800), got "${text}"`);
  // The future bound here too: a usage error (64) before anything is read, as the flag is what is wrong.
  const problem = timestampProblem(ms, Date.now());
  if (problem !== undefined && 'refuse' in problem) throw new InvalidArgumentError(problem.refuse);
  return ms;
}

/** Commander's collector for the repeatable --header 'Name: value'. */
export function collectHeader(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new InvalidArgumentError(`expected 'Name: value', got "${text.slice(0, 40)}"`);
  const name = text.slice(0, colon).trim();
  // Leading and trailing blanks are no part of a header's value (RFC 9110, 5.5).
  const value = text.slice(colon + 1).trim();
  const problem = headerProblem(name, value, PROTOCOL_HEADERS);
  if (problem) throw new InvalidArgumentError(problem(flagOf));
  if (Object.keys(previous).some((given) => given.toLowerCase() === name.toLowerCase())) throw new InvalidArgumentError(`the header ${name} is given twice`);
  return { ...previous, [name]: value };
}

/** A --name-prefix must itself start a valid metric name, whatever name follows it. */
export function namePrefixArgument(text: string): string {
  const problem = namePrefixProblem(text);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return text;
}

const labelNamePart = '[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const kubernetesLabelKey = new RegExp(`^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?${labelNamePart}$`);
const kubernetesLabelValue = new RegExp(`^(?:${labelNamePart})?$`);

/** A Kubernetes label `name=value`, checked as the API server would check it (value may be empty). */
export function kubernetesLabelArgument(text: string): { name: string; value: string } {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected name=value, got "${text}"`);
  const name = text.slice(0, at);
  const value = text.slice(at + 1);
  const prefix = name.includes('/') ? name.slice(0, name.indexOf('/')) : '';
  if (!kubernetesLabelKey.test(name) || prefix.length > 253) {
    throw new InvalidArgumentError(`"${name}" is not a Kubernetes label name: [prefix/]name, name at most 63 letters, digits, "-", "_" or "." beginning and ending with a letter or digit`);
  }
  if (!kubernetesLabelValue.test(value)) {
    throw new InvalidArgumentError(`"${value}" is not a Kubernetes label value: at most 63 letters, digits, "-", "_" or "." beginning and ending with a letter or digit`);
  }
  return { name, value };
}

/** A Prometheus duration (`30s`, `5m`, `24h`, `1d`) longer than nothing, kept as written: it goes into rules as is. */
/** --ttl: a Prometheus duration longer than nothing. */
export function ttlArgument(text: string): string {
  return positivePrometheusDuration(text, 'the group would expire as it is pushed');
}

/** prune --older-than: a Prometheus duration longer than nothing. */
export function olderThanArgument(text: string): string {
  return positivePrometheusDuration(text, 'every group would be older than that');
}

function positivePrometheusDuration(text: string, whyNotZero: string): string {
  const parsed = parsePrometheusDuration(text);
  if ('problem' in parsed) throw new InvalidArgumentError(`"${text}" ${DURATION_MESSAGES[parsed.problem]}`);
  if (parsed.ms === 0) throw new InvalidArgumentError(`must be longer than 0: ${whyNotZero}`);
  return text;
}

export function prometheusDurationArgument(text: string): string {
  return positivePrometheusDuration(text, 'it is the longest allowed gap between two pushes');
}
