import { countSeries, EXPOSITION_CONTENT_TYPE } from '../../convert/exposition.js';
import { expositionPieces, renderFamilies } from '../../convert/render.js';
import { countRecordSeries } from '../../convert/series.js';
import type { Labels, ValidRecord } from '../../records.js';
import { StoppedAfterSendingError } from '../../errors.js';
import { sendWithRetries, withConnection, type ConnectionOptions } from '../../net/client.js';
import { redactUrl } from '../../net/redact.js';
import type { StreamedBody } from '../../net/transport/index.js';
import { parseGatewayAddress } from './gateway.js';
import { groupUrl } from './groupingKey.js';
import { GATEWAY_RESPONSES } from './responses.js';
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
  /** Read the group back from /api/v1/metrics after the push and check the gateway kept it. */
  verify?: boolean;
}

export interface PushResult {
  /** The group's URL, credentials redacted. */
  url: string;
  status: number;
  attempts: number;
  durationMs: number;
}

/** Pushes exposition text to the gateway, retrying faults that may pass. */
export function pushToGateway(body: string, options: PushOptions): Promise<PushResult> {
  return sendToGroup(options.method ?? 'PUT', { body, series: countSeries(body), exposition: () => body }, options);
}

/**
 * Pushes validated records grouped into families (groupByName), rendering the exposition while it is sent:
 * the gateway parses the first families while the next are rendered, and the whole text is never held
 * (README, Performance). A retry renders again. Only records that passed validation may be pushed so:
 * the gateway applies a body cut off half-way (test/sink/pushgateway/truncatedBody.test.ts), so nothing
 * may turn out wrong once the first byte is sent.
 */
export function pushFamilies(families: readonly (readonly ValidRecord[])[], options: PushOptions): Promise<PushResult> {
  let series = 0;
  for (const family of families) series += countRecordSeries(family);
  const body: StreamedBody = { streamed: true, pieces: expositionPieces(families) };
  return sendToGroup(options.method ?? 'PUT', { body, series, exposition: () => renderFamilies(families) }, options);
}

/** Deletes a whole group (job plus grouping labels) from the gateway. */
export function deleteGroup(options: GatewayOptions): Promise<PushResult> {
  return sendToGroup('DELETE', undefined, options);
}

/** What a push sends: the body, the series it holds, and its text for --verify (rendered only then). */
interface PushContent {
  body: string | StreamedBody;
  series: number;
  exposition: () => string;
}

async function sendToGroup(method: 'PUT' | 'POST' | 'DELETE', content: PushContent | undefined, options: PushOptions): Promise<PushResult> {
  const address = parseGatewayAddress(options.gateway);
  const url = groupUrl(address.url, options.job, options.grouping);
  const target = redactUrl(url);
  return withConnection(address, options, async ({ context, headers }) => {
    const contentType: Record<string, string> = content === undefined ? {} : { 'content-type': EXPOSITION_CONTENT_TYPE };
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
    if (options.verify && content !== undefined) {
      const exposition = content.exposition();
      await verifyPush({ gateway: address.url, job: options.job, grouping: options.grouping ?? {}, headers, exposition }, context).catch((error: unknown) => {
        // The gateway has answered the push: a stop now must not say the push did not succeed.
        if (!options.signal?.aborted) throw error;
        throw new StoppedAfterSendingError(`the gateway stored the push (HTTP ${reply.status}); stopped before --verify had read it back`);
      });
    }
    return { url: target, status: reply.status, attempts: reply.attempts, durationMs: reply.durationMs };
  });
}
