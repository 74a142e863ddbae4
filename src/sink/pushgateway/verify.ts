import { TemporaryError } from '../../errors.js';
import type { Labels } from '../../records.js';
import type { ClientContext } from '../../net/client.js';
import { findGroup, readGroups } from './groups.js';
import { sameSampleValue, samplesFromApiGroup, type Sample } from './samples.js';

export interface VerifyTarget {
  /** The gateway's base URL (route prefix included), credentials removed. */
  gateway: URL;
  job: string;
  grouping: Labels;
  headers: Record<string, string>;
  /** The samples pushed: the expansion of the validated records (samplesOfFamilies), not text parsed back. */
  pushed: readonly Sample[];
}

/**
 * Reads the group back from /api/v1/metrics and checks that the gateway kept the push: the group exists,
 * its last push succeeded, and every sample of the pushed records is there with its value. A gateway that lost
 * the push (a restart without persistence, another pusher replacing the group) is a fault that may pass,
 * so it ends in a TemporaryError (75): running the step again is the remedy.
 */
export async function verifyPush(target: VerifyTarget, context: ClientContext): Promise<void> {
  const groupingLabels: Labels = { job: target.job, ...target.grouping };
  const group = findGroup(await readGroups(target.gateway, { context, headers: target.headers }, 'verify'), groupingLabels);
  const where = `group ${JSON.stringify(groupingLabels)}`;
  if (group === undefined) throw new TemporaryError(`verify: the gateway does not hold the ${where} after the push`);
  if (group.last_push_successful !== true) throw new TemporaryError(`verify: the gateway reports the last push to the ${where} as failed`);

  const stored = new Map(samplesFromApiGroup(group, groupingLabels).map((sample) => [sample.series, sample.value]));
  const { pushed } = target;
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
