import { groupByName } from '../../convert/families.js';
import { expositionPieces } from '../../convert/render.js';
import { countRecordSeries } from '../../convert/series.js';
import { DataError } from '../../errors.js';
import { DEFAULT_PUSH_LIMITS, type PushLimits } from '../../limits.js';
import type { ValidDocument, ValidRecord } from '../../records.js';
import type { CheckingDocument, SentResult, Sink } from '../types.js';
import { groupMetadataRecords } from './groupMetadata.js';
import { deleteGroup, pushFamilyBatches, type PushResult } from './push.js';

/** Where and how a run is pushed to a Pushgateway. */
export interface PushgatewayTarget {
  /** Base URL of the Pushgateway, possibly with a route prefix and userinfo. */
  gateway: string;
  /** PUT (default) replaces the whole group; POST replaces only the metrics of the same names. */
  method?: 'PUT' | 'POST';
  /** Read the group back from /api/v1/metrics after the push and check the gateway kept every sample. */
  verify?: boolean;
  /**
   * How long the pushed group stays meaningful (a Prometheus duration), over the file's `expect.ttl`: stored in
   * the group as simplepipe_group_ttl_seconds for `prune`.
   */
  ttl?: string;
  /** The label the gateway's tenancy stamp sets (`namespace`): refused on every series and in the grouping key. */
  tenantLabel?: string;
  /** What one push may ask of the gateway (default DEFAULT_PUSH_LIMITS). */
  limits?: Partial<PushLimits>;
}

/** A push: the gateway's answer, and the series of the group as pushed (its own gauges included). */
export interface PushgatewayResult extends PushResult, SentResult {}

/**
 * The Pushgateway: the records become the group of `job` and the grouping labels, beside the group's own
 * gauges (its ttl and push interval, groupMetadata.ts), pushed as streamed protobuf (pushFamilies).
 */
export const pushgatewaySink = {
  name: 'pushgateway',

  checks: (target) => ({ tenantLabel: target.tenantLabel, limits: { ...DEFAULT_PUSH_LIMITS, ...target.limits } }),

  async preview(document, target) {
    const families = groupFamilies(document, target);
    return { pieces: expositionPieces(families), series: seriesOf(families) };
  },

  async send(document, target, run) {
    run.logger.debug('pushing', {
      job: run.job,
      grouping: JSON.stringify(run.grouping ?? {}),
      timeout_ms: run.retry?.timeoutMs,
      retries: run.retry?.retries,
      deadline_ms: run.retry?.deadlineMs,
    });
    // Encoded while it is sent, each family once its records are checked, and ended only once the whole input
    // has passed; a body cut off is refused whole (see pushFamilyBatches). No request for an input refused before.
    await document.ready;
    return pushFamilyBatches(() => groupFamilyBatches(document, target), { ...run, ...target });
  },

  async end(target, run) {
    return { ...(await deleteGroup({ ...run, gateway: target.gateway })), series: 0 };
  },
} as const satisfies Sink<PushgatewayTarget, PushgatewayResult>;

/** The records as the group's families: the file's, then the group's own gauges, a family each. */
function groupFamilies(document: ValidDocument, target: PushgatewayTarget): (readonly ValidRecord[])[] {
  return [...groupByName(document.records), ...metadataFamilies(document, target)];
}

/** groupFamilies() as the records are checked: the file's families as each is complete, the group's gauges once all have passed. */
async function* groupFamilyBatches(document: CheckingDocument, target: PushgatewayTarget): AsyncGenerator<readonly (readonly ValidRecord[])[]> {
  yield* document.families();
  const whole = await document.whole;
  try {
    yield metadataFamilies(whole, target);
  } catch (error) {
    throw error instanceof DataError ? error.withSummary((summary) => `${summary}; nothing was pushed`) : error;
  }
}

function metadataFamilies(document: ValidDocument, target: PushgatewayTarget): (readonly ValidRecord[])[] {
  const expect = target.ttl === undefined ? document.expect : { ...document.expect, ttl: target.ttl };
  return groupMetadataRecords(expect, document.records).map((record) => [record]);
}

function seriesOf(families: readonly (readonly ValidRecord[])[]): number {
  let series = 0;
  for (const family of families) series += countRecordSeries(family);
  return series;
}
