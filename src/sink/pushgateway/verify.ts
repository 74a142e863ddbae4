import { TemporaryError } from '../../errors.js';
import type { Labels } from '../../records.js';
import { sendWithRetries, type ClientContext } from '../../net/client.js';
import { GATEWAY_RESPONSES } from './responses.js';
import { sameSampleValue, samplesFromApiGroup, samplesFromExposition, sortedNonEmpty } from './samples.js';

export interface VerifyTarget {
  /** The gateway's base URL (route prefix included), credentials removed. */
  gateway: URL;
  job: string;
  grouping: Labels;
  headers: Record<string, string>;
  /** The exposition text that was pushed. */
  exposition: string;
}

/**
 * Reads the group back from /api/v1/metrics and checks that the gateway kept the push: the group exists,
 * its last push succeeded, and every pushed sample is there with the pushed value. A gateway that lost
 * the push (a restart without persistence, another pusher replacing the group) is a fault that may pass,
 * so it ends in a TemporaryError (75): running the step again is the remedy.
 */
export async function verifyPush(target: VerifyTarget, context: ClientContext): Promise<void> {
  const url = new URL(target.gateway.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/metrics`;
  const reply = await sendWithRetries({ method: 'GET', url, target: url.href, headers: target.headers, responses: GATEWAY_RESPONSES }, context);

  const groupingLabels: Labels = { job: target.job, ...target.grouping };
  const wanted = JSON.stringify(sortedNonEmpty(groupingLabels));
  const groups = parseGroups(reply.body);
  const group = groups.find((candidate) => JSON.stringify(sortedNonEmpty(candidate.labels)) === wanted);
  const where = `group ${JSON.stringify(groupingLabels)}`;
  if (group === undefined) throw new TemporaryError(`verify: the gateway does not hold the ${where} after the push`);
  if (group.last_push_successful !== true) throw new TemporaryError(`verify: the gateway reports the last push to the ${where} as failed`);

  const stored = new Map(samplesFromApiGroup(group, groupingLabels).map((sample) => [sample.series, sample.value]));
  const pushed = samplesFromExposition(target.exposition);
  const missing = pushed.filter((sample) => !stored.has(sample.series));
  const differing = pushed.filter((sample) => stored.has(sample.series) && !sameSampleValue(stored.get(sample.series)!, sample.value));
  if (missing.length > 0 || differing.length > 0) {
    throw new TemporaryError(
      `verify: the ${where} does not hold what was pushed: ${missing.length} series missing, ${differing.length} with another value` +
        ` (first: ${[...missing, ...differing][0]!.series})`,
    );
  }
  context.logger.info('verified the push by reading it back', { samples: pushed.length });
}

interface ApiGroup extends Record<string, unknown> {
  labels: Record<string, string>;
  last_push_successful?: boolean;
}

function parseGroups(body: string): ApiGroup[] {
  try {
    const parsed = JSON.parse(body) as { data?: unknown };
    if (Array.isArray(parsed.data)) return parsed.data as ApiGroup[];
  } catch {
    // fall through: not the Pushgateway's API
  }
  throw new TemporaryError('verify: /api/v1/metrics did not answer with the Pushgateway API');
}
