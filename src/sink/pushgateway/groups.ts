import { TemporaryError } from '../../errors.js';
import { sendWithRetries, type Connection } from '../../net/client.js';
import type { Labels } from '../../records.js';
import { GROUP_EVERY_METRIC, GROUP_TTL_METRIC } from './groupMetadata.js';
import { GATEWAY_RESPONSES } from './responses.js';
import { parseSampleNumber, sortedNonEmpty } from './samples.js';

/** A group as the Pushgateway's /api/v1/metrics reports it: its grouping labels, and a family per metric name. */
export interface ApiGroup extends Record<string, unknown> {
  labels: Record<string, string>;
  last_push_successful?: boolean;
}

/** What prune and delete need of a group: who it is, when it was last pushed, and what its push said of itself. */
export interface GroupState {
  /** `job` and the grouping labels, empty values dropped (the gateway treats them as absent). */
  labels: Labels;
  /** The gateway's push_time_seconds: the last successful push, 0 if none succeeded. */
  pushTimeSeconds: number;
  ttlSeconds?: number;
  everySeconds?: number;
}

/** Every group the gateway holds, read from /api/v1/metrics. `what` names the caller in the error of a reply that is not the API. */
export async function readGroups(gateway: URL, { context, headers }: Connection, what: string): Promise<ApiGroup[]> {
  const url = new URL(gateway.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/metrics`;
  const reply = await sendWithRetries({ method: 'GET', url, target: url.href, headers, responses: GATEWAY_RESPONSES }, context);
  try {
    const parsed = JSON.parse(reply.body) as { data?: unknown };
    if (Array.isArray(parsed.data)) return parsed.data as ApiGroup[];
  } catch {
    // fall through: not the Pushgateway's API
  }
  throw new TemporaryError(`${what}: /api/v1/metrics did not answer with the Pushgateway API`);
}

/** The group of exactly these grouping labels (job included), if the gateway holds it. */
export function findGroup<G extends { labels: Record<string, string> }>(groups: readonly G[], labels: Labels): G | undefined {
  const wanted = JSON.stringify(sortedNonEmpty(labels));
  return groups.find((group) => JSON.stringify(sortedNonEmpty(group.labels)) === wanted);
}

export function groupState(group: ApiGroup): GroupState {
  return {
    labels: Object.fromEntries(sortedNonEmpty(group.labels)),
    pushTimeSeconds: gaugeValue(group, 'push_time_seconds') ?? 0,
    ttlSeconds: gaugeValue(group, GROUP_TTL_METRIC),
    everySeconds: gaugeValue(group, GROUP_EVERY_METRIC),
  };
}

/** The value of a group's one-series gauge; undefined when absent or not a positive finite number. */
function gaugeValue(group: ApiGroup, name: string): number | undefined {
  const family = group[name] as { metrics?: { value?: string }[] } | undefined;
  const text = family?.metrics?.[0]?.value;
  if (text === undefined) return undefined;
  const value = parseSampleNumber(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** `{job="train",instance="a"}`: a group as people and PromQL write it, job first. */
export function describeGroup(labels: Labels): string {
  const { job, ...rest } = labels;
  const pairs = [...(job === undefined ? [] : [['job', job]]), ...Object.entries(rest)];
  return `{${pairs.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(',')}}`;
}
