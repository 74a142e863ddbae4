import { countSeries, EXPOSITION_CONTENT_TYPE } from '../../convert/exposition.js';
import type { Labels } from '../../records.js';
import { sendWithRetries, withConnection, type ConnectionOptions } from '../../net/client.js';
import { redactUrl } from '../../net/redact.js';
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
  return sendToGroup(options.method ?? 'PUT', body, options);
}

/** Deletes a whole group (job plus grouping labels) from the gateway. */
export function deleteGroup(options: GatewayOptions): Promise<PushResult> {
  return sendToGroup('DELETE', undefined, options);
}

async function sendToGroup(method: 'PUT' | 'POST' | 'DELETE', body: string | undefined, options: PushOptions): Promise<PushResult> {
  const address = parseGatewayAddress(options.gateway);
  const url = groupUrl(address.url, options.job, options.grouping);
  const target = redactUrl(url);
  return withConnection(address, options, async ({ context, headers }) => {
    const contentType: Record<string, string> = body === undefined ? {} : { 'content-type': EXPOSITION_CONTENT_TYPE };
    const request = { method, url, target, headers: { ...headers, ...contentType }, body, responses: GATEWAY_RESPONSES };
    const reply = await sendWithRetries(request, context);
    if (body !== undefined) {
      context.logger.info(`pushed ${countSeries(body)} series to ${target}`, {
        method,
        status: reply.status,
        attempts: reply.attempts,
        ms: Math.round(reply.durationMs),
      });
    }
    if (options.verify && body !== undefined) {
      await verifyPush({ gateway: address.url, job: options.job, grouping: options.grouping ?? {}, headers, exposition: body }, context);
    }
    return { url: target, status: reply.status, attempts: reply.attempts, durationMs: reply.durationMs };
  });
}
