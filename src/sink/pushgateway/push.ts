import { countSeries, EXPOSITION_CONTENT_TYPE } from '../../convert/exposition.js';
import { DELIMITED_PROTOBUF_CONTENT_TYPE, metricFamilyPiecesOf } from '../../convert/metricFamilies.js';
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
  const series = countSeries(body);
  return sendToGroup(options.method ?? 'PUT', { body, contentType: EXPOSITION_CONTENT_TYPE, series: () => series }, options);
}

/**
 * Pushes validated records grouped into families (groupByName) as delimited protobuf, encoding while it
 * is sent: the gateway parses the first families while the next are encoded, and the whole body is never
 * held (bench/README.md). A retry encodes again. All or nothing: the gateway refuses such a body cut
 * off at any byte (a kill, an OOM, a reset), so the group holds the old push or the new one, never a part
 * (convert/metricFamilies.ts says why text could not promise that).
 */
export async function pushFamilies(families: readonly (readonly ValidRecord[])[], options: PushOptions): Promise<PushResult & { series: number }> {
  refuseReservedGrouping(families, options.grouping);
  return pushFamilyBatches(async function* () {
    yield families;
  }, options);
}

/**
 * pushFamilies() of families that come in batches, as an input is checked while it is sent: each batch
 * is encoded and sent as it comes, and the body is ended (its terminating chunk sent) only when the batches
 * end. When they throw (the input refused), the request is cut off there: the gateway refuses the body
 * whole, nothing is stored, and the error is the push's. `batches` is called again for each attempt.
 */
export async function pushFamilyBatches(batches: () => AsyncIterable<readonly (readonly ValidRecord[])[]>, options: PushOptions): Promise<PushResult & { series: number }> {
  // What the last attempt sent: its series, and for --verify its families (kept only then).
  let series = 0;
  let sent: (readonly ValidRecord[])[] = [];
  async function* checked(): AsyncGenerator<readonly (readonly ValidRecord[])[]> {
    series = 0;
    sent = [];
    for await (const batch of batches()) {
      refuseReservedGrouping(batch, options.grouping);
      for (const family of batch) {
        series += countRecordSeries(family);
        if (options.verify) sent.push(family);
      }
      yield batch;
    }
  }
  const body: StreamedBody = { streamed: true, pieces: { [Symbol.asyncIterator]: () => metricFamilyPiecesOf(checked()) } };
  const content = { body, contentType: DELIMITED_PROTOBUF_CONTENT_TYPE, series: () => series, samples: () => samplesOfFamilies(sent) };
  return { ...(await sendToGroup(options.method ?? 'PUT', content, options)), series };
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
  /** Counted as it is sent: asked once the gateway has answered. */
  series: () => number;
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
      context.logger.info(`pushed ${content.series()} series to ${target}`, {
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
