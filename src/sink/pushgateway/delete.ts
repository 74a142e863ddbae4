import { MissingGroupError } from '../../errors.js';
import { sendWithRetries, withConnection, type Connection } from '../../net/client.js';
import { redactUrl } from '../../net/redact.js';
import type { Labels } from '../../records.js';
import { parseGatewayAddress } from './gateway.js';
import { groupUrl } from './groupingKey.js';
import { describeGroup, findGroup, readGroups } from './groups.js';
import type { GatewayOptions, PushResult } from './push.js';
import { GATEWAY_RESPONSES } from './responses.js';

export interface DeleteOptions extends GatewayOptions {
  /** A group the gateway does not hold is no error: the DELETE is sent all the same (it changes nothing). */
  missingOk?: boolean;
}

export interface DeleteResult extends PushResult {
  /** Whether the gateway held the group when it was read, just before the DELETE. */
  existed: boolean;
}

/**
 * Deletes a group, first reading whether the gateway holds it: the gateway answers 202 to a DELETE of any
 * group, so a misspelt job would otherwise pass as deleted. A missing group is a MissingGroupError (66)
 * and nothing is sent, unless `missingOk`.
 */
export async function deleteHeldGroup(options: DeleteOptions): Promise<DeleteResult> {
  const address = parseGatewayAddress(options.gateway);
  const labels: Labels = { job: options.job, ...options.grouping };
  groupUrl(address.url, options.job, options.grouping); // the grouping key's checks, before any request
  return withConnection(address, options, async (connection) => {
    const existed = findGroup(await readGroups(address.url, connection, 'delete'), labels) !== undefined;
    if (!existed && !options.missingOk) {
      throw new MissingGroupError((name) => `the gateway holds no group ${describeGroup(labels)}: nothing was deleted (${name('missingOk')} accepts a missing group)`);
    }
    return { ...(await sendDelete(address.url, options.job, options.grouping, connection)), existed };
  });
}

/** One DELETE of a group on an open connection. The gateway answers 202 and applies it right after. */
export async function sendDelete(gateway: URL, job: string, grouping: Labels | undefined, { context, headers }: Connection): Promise<PushResult> {
  const url = groupUrl(gateway, job, grouping);
  const target = redactUrl(url);
  const reply = await sendWithRetries({ method: 'DELETE', url, target, headers, responses: GATEWAY_RESPONSES }, context);
  return { url: target, status: reply.status, attempts: reply.attempts, durationMs: reply.durationMs };
}
