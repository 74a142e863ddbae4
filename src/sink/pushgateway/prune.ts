import { withConnection, type Connection, type ConnectionOptions } from '../../net/client.js';
import type { Labels } from '../../records.js';
import { sendDelete } from './delete.js';
import { parseGatewayAddress } from './gateway.js';
import { findGroup, groupState, readGroups, type GroupState } from './groups.js';

export interface PruneOptions extends ConnectionOptions {
  /** Base URL of the Pushgateway, possibly with a route prefix and userinfo. */
  gateway: string;
  /** Only groups of these jobs (all when empty or absent). */
  jobs?: readonly string[];
  /** Only groups whose grouping key holds these labels with these values. */
  grouping?: Labels;
  /** The age after which a group that declares no TTL is deleted; without it such groups are kept. */
  olderThanMs?: number;
  /** List what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** The clock, in ms since the epoch (tests may fix it). */
  now?: () => number;
}

/** A group found past its time: how old its last push is and which limit it passed. */
export interface ExpiredGroup {
  labels: Labels;
  ageSeconds: number;
  limitSeconds: number;
  /** `ttl`: the group's own simplepipe_group_ttl_seconds; `older-than`: the prune's --older-than. */
  limit: 'ttl' | 'older-than';
}

export interface PruneResult {
  /** Deleted (or, on a dry run, to be deleted), in the gateway's order. */
  deleted: ExpiredGroup[];
  /** Expired when listed, but pushed again (or deleted by someone else) before their turn came: kept. */
  spared: ExpiredGroup[];
  /** Groups that were read and are within their time, or declare none and no --older-than applies. */
  kept: number;
  /**
   * For each deletion, the time from the re-read that found the group unchanged to the gateway's answer to
   * the DELETE: a push to the group within it is lost, as the gateway has no conditional delete.
   */
  windowsMs: number[];
}

/**
 * Deletes the groups whose last successful push is older than their TTL, or than `olderThanMs` for groups
 * without one. Each is read again right before its DELETE and spared if it was pushed since it was listed.
 */
export async function pruneGroups(options: PruneOptions): Promise<PruneResult> {
  const address = parseGatewayAddress(options.gateway);
  const now = options.now ?? Date.now;
  return withConnection(address, options, async (connection) => {
    const listed = (await readGroups(address.url, connection, 'prune')).map(groupState).filter((group) => selected(group, options));
    const expired = listed.flatMap((group) => {
      const found = expiry(group, now(), options.olderThanMs);
      return found ? [{ group, found }] : [];
    });
    const result: PruneResult = { deleted: [], spared: [], kept: listed.length - expired.length, windowsMs: [] };
    for (const { group, found } of expired) {
      if (options.dryRun) {
        result.deleted.push(found);
        continue;
      }
      const window = await deleteIfUnchanged(group, address.url, connection, now, options.olderThanMs);
      if (window === undefined) result.spared.push(found);
      else {
        result.deleted.push(found);
        result.windowsMs.push(window);
      }
    }
    return result;
  });
}

/** Reads the group again; deletes it only if its last push is the one listed and it is still past its time. Returns the window, or undefined when spared. */
async function deleteIfUnchanged(listed: GroupState, gateway: URL, connection: Connection, now: () => number, olderThanMs: number | undefined): Promise<number | undefined> {
  const current = findGroup(await readGroups(gateway, connection, 'prune'), listed.labels);
  const reread = performance.now();
  if (current === undefined) return undefined;
  const state = groupState(current);
  if (state.pushTimeSeconds !== listed.pushTimeSeconds || expiry(state, now(), olderThanMs) === undefined) return undefined;
  const { job, ...grouping } = listed.labels;
  await sendDelete(gateway, job ?? '', grouping, connection);
  return performance.now() - reread;
}

function expiry(group: GroupState, nowMs: number, olderThanMs: number | undefined): ExpiredGroup | undefined {
  const ageSeconds = nowMs / 1000 - group.pushTimeSeconds;
  const limit = group.ttlSeconds !== undefined ? { limit: 'ttl' as const, limitSeconds: group.ttlSeconds } : olderThanMs !== undefined ? { limit: 'older-than' as const, limitSeconds: olderThanMs / 1000 } : undefined;
  if (limit === undefined || ageSeconds <= limit.limitSeconds) return undefined;
  return { labels: group.labels, ageSeconds, ...limit };
}

function selected(group: GroupState, options: PruneOptions): boolean {
  if (options.jobs?.length && !options.jobs.includes(group.labels.job ?? '')) return false;
  return Object.entries(options.grouping ?? {}).every(([name, value]) => (group.labels[name] ?? '') === value);
}
