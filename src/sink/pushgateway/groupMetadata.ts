import { DataError } from '../../errors.js';
import type { FileExpectation, ValidRecord } from '../../records.js';
import { parsePrometheusDuration } from '../../validate/duration.js';

/**
 * What a push tells about its own group, stored in the group as gauges so that any tool reading the
 * gateway (prune, the namespace's alerting rules, a person with curl) sees it: how long the group stays
 * meaningful after its last push, and how often its job means to push. Each gauge carries the grouping
 * labels only, the same as the gateway's own push_time_seconds, so PromQL compares the two one to one.
 */
export const GROUP_TTL_METRIC = 'simplepipe_group_ttl_seconds';
export const GROUP_EVERY_METRIC = 'simplepipe_group_every_seconds';

const HELP = {
  ttl: 'Seconds this group stays meaningful after its last push; simplepipe prune deletes it after that.',
  every: 'Longest gap in seconds the job means to leave between two pushes of this group.',
} as const;

/** The gauges a push of a file with this expectation adds to its group: none, one or both. */
export function groupMetadataRecords(expect: FileExpectation | undefined, records: readonly ValidRecord[]): ValidRecord[] {
  const metadata: ValidRecord[] = [];
  for (const [field, name] of [['ttl', GROUP_TTL_METRIC], ['every', GROUP_EVERY_METRIC]] as const) {
    const duration = expect?.[field];
    if (duration === undefined) continue;
    const clash = records.find((record) => record.name === name);
    if (clash) {
      throw new DataError(`record ${clash.index}: "${name}" is the gauge simplepipe writes from the file's "expect"/"${field}" (or --${field}); name the metric otherwise`);
    }
    metadata.push({ index: records.length + metadata.length, name, help: HELP[field], type: 'gauge', labels: {}, value: durationSeconds(duration) });
  }
  return metadata;
}

function durationSeconds(duration: string): number {
  const parsed = parsePrometheusDuration(duration);
  if (!('ms' in parsed)) throw new Error(`"${duration}" passed validation but is not a duration`);
  return parsed.ms / 1000;
}
