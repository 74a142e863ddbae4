import { countSeries, EXPOSITION_CONTENT_TYPE } from '../../convert/exposition.js';
import { DELIMITED_PROTOBUF_CONTENT_TYPE, metricFamilyPieces } from '../../convert/metricFamilies.js';
import { countRecordSeries } from '../../convert/series.js';
import { ConfigError, DataError, StoppedAfterSendingError } from '../../errors.js';
import type { Labels, ValidRecord } from '../../records.js';
import { RESERVED_LABEL_BY_TYPE } from '../../validate/reservedLabels.js';
import { sendWithRetries, withConnection, type ConnectionOptions } from '../../net/client.js';
import { redactUrl } from '../../net/redact.js';
import type { StreamedBody } from '../../net/transport/index.js';
import { parseGatewayAddress } from './gateway.js';
import { groupUrl } from './groupingKey.js';
import { GATEWAY_RESPONSES } from './responses.js';
import { samplesOfFamilies, type Sample } from './samples.js';
import { verifyPush } from './verify.js';

export interface GatewayOptions extends ConnectionOptions {
  /** Base URL of the Pushgateway, possibly with a route prefix and userinfo. */
  gateway: string;
  job: string;
  /** Grouping labels after `job`, in path order. */
  grouping?: Labels;
}

export interface PushOptions extends GatewayOptions {
  /** PUT replaces the whole group; POST replaces only the metrics of the same names. */
  method?: 'PUT' | 'POST';
  /** Read the group back from /api/v1/metrics after the push and check the gateway kept every sample of the records (pushFamilies only). */
  verify?: boolean;
}

export interface PushResult {
  /** The group's URL, credentials redacted. */
  url: string;
  status: number;
  attempts: number;
  durationMs: number;
}

/**
 * Pushes exposition text to the gateway, retrying faults that may pass. `verify` is refused: it compares the
 * group with the samples of validated records, and text made elsewhere has none (runPipeline verifies).
 */
export function pushToGateway(body: string, options: Omit<PushOptions, 'verify'>): Promise<PushResult> {
  if ((options as PushOptions).verify) {
    return Promise.reject(new ConfigError('pushToGateway cannot verify text it did not make: push the records with runPipeline({ ..., verify: true }) instead'));
  }
  return sendToGroup(options.method ?? 'PUT', { body, contentType: EXPOSITION_CONTENT_TYPE, series: countSeries(body) }, options);
}

/**
 * Pushes validated records grouped into families (groupByName) as delimited protobuf, encoding while it
 * is sent: the gateway parses the first families while the next are encoded, and the whole body is never
 * held (bench/README.md). A retry encodes again. All or nothing: the gateway refuses such a body cut
 * off at any byte (a kill, an OOM, a reset), so the group holds the old push or the new one, never a part
 * (convert/metricFamilies.ts says why text could not promise that).
 */
export async function pushFamilies(families: readonly (readonly ValidRecord[])[], options: PushOptions): Promise<PushResult> {
  refuseReservedGrouping(families, options.grouping);
  let series = 0;
  for (const family of families) series += countRecordSeries(family);
  const body: StreamedBody = { streamed: true, pieces: metricFamilyPieces(families) };
  return sendToGroup(options.method ?? 'PUT', { body, contentType: DELIMITED_PROTOBUF_CONTENT_TYPE, series, samples: () => samplesOfFamilies(families) }, options);
}

/**
 * validate() refuses a grouping label a family's type reserves (`le`, `quantile`); records validated
 * without the grouping they are pushed with reach here, and the gateway would put it on every bucket.
 */
function refuseReservedGrouping(families: readonly (readonly ValidRecord[])[], grouping: Labels = {}): void {
  for (const family of families) {
    const { type, name } = family[0]!;
    const label = RESERVED_LABEL_BY_TYPE[type];
    if (label !== undefined && Object.hasOwn(grouping, label)) {
      throw new DataError((option) => `${option('grouping')} ${label}: "${label}" is reserved for ${type} samples, and ${name} is a ${type}; nothing was pushed`);
    }
  }
}

/** Deletes a whole group (job plus grouping labels) from the gateway. */
export function deleteGroup(options: GatewayOptions): Promise<PushResult> {
  return sendToGroup('DELETE', undefined, options);
}

/** What a push sends: the body and its type, the series it holds, and for --verify its samples (expanded only then). */
interface PushContent {
  body: string | StreamedBody;
  contentType: string;
  series: number;
  samples?: () => Sample[];
}

async function sendToGroup(method: 'PUT' | 'POST' | 'DELETE', content: PushContent | undefined, options: PushOptions): Promise<PushResult> {
  const address = parseGatewayAddress(options.gateway);
  const url = groupUrl(address.url, options.job, options.grouping);
  const target = redactUrl(url);
  return withConnection(address, options, async ({ context, headers }) => {
    const contentType: Record<string, string> = content === undefined ? {} : { 'content-type': content.contentType };
    const request = { method, url, target, headers: { ...headers, ...contentType }, body: content?.body, responses: GATEWAY_RESPONSES };
    const reply = await sendWithRetries(request, context);
    if (content !== undefined) {
      context.logger.info(`pushed ${content.series} series to ${target}`, {
        method,
        status: reply.status,
        attempts: reply.attempts,
        ms: Math.round(reply.durationMs),
      });
    }
    if (options.verify && content?.samples !== undefined) {
      const pushed = content.samples();
      await verifyPush({ gateway: address.url, job: options.job, grouping: options.grouping ?? {}, headers, pushed }, context).catch((error: unknown) => {
        // The gateway has answered the push: a stop now must not say the push did not succeed.
        if (!options.signal?.aborted) throw error;
        throw new StoppedAfterSendingError((name) => `the gateway stored the push (HTTP ${reply.status}); stopped before ${name('verify')} had read it back`);
      });
    }
    return { url: target, status: reply.status, attempts: reply.attempts, durationMs: reply.durationMs };
  });
}
