import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteGroup, pushToGateway, type Labels } from '../../../src/index.js';
import { groupingLabels, jobName } from '../../support/groupingKeys.js';
import { startPushgateway, type GatewayGroup, type Pushgateway } from '../../support/pushgateway.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway({ adminApi: true });
});
afterAll(() => gateway?.stop());

const keyOf = (labels: Labels): string => JSON.stringify(Object.entries(labels).sort());
const byLabels = (groups: GatewayGroup[]): Map<string, GatewayGroup> => new Map(groups.map((group) => [keyOf(group.labels), group]));

/** Every group the gateway holds, keyed by its labels in a canonical order, with its whole content. */
const snapshot = async (): Promise<Map<string, GatewayGroup>> => byLabels(await gateway.groups());

/**
 * The groups a wrong URL would hit: the job alone, and the job with each shorter prefix of the grouping key
 * (what removing a `.` or `..` segment leaves). Each holds a metric of its own name, so that the gateway's
 * consistency check across groups never refuses a push for reasons of its own.
 */
function neighbours(job: string, grouping: Labels): Labels[] {
  const pairs = Object.entries(grouping);
  return pairs.map((_, length) => ({ job, ...Object.fromEntries(pairs.slice(0, length)) }));
}

const pushGroup = (labels: Labels, metric: string): Promise<unknown> => {
  const { job, ...grouping } = labels;
  return pushToGateway(`# TYPE ${metric} gauge\n${metric} 1\n`, { gateway: gateway.url, job: job!, grouping });
};

describe('a push and a delete against the real Pushgateway, for any job and grouping key', () => {
  it('touch exactly the group they name: the push creates it with the labels given, the delete removes it, no other group changes', async () => {
    await fc.assert(
      fc.asyncProperty(jobName, groupingLabels, async (job, grouping) => {
        // A case starts on an empty gateway, whatever a failed case before it left.
        await gateway.wipe();
        const target = { job, ...grouping };
        const others = neighbours(job, grouping);
        for (const [i, labels] of others.entries()) await pushGroup(labels, `neighbour_${i}`);
        const before = await snapshot();
        expect([...before.keys()].sort()).toEqual(others.map(keyOf).sort());

        await pushGroup(target, 'target');
        const afterPush = await snapshot();
        expect([...afterPush.keys()].sort()).toEqual([...before.keys(), keyOf(target)].sort());
        expect(afterPush.get(keyOf(target))!.labels).toEqual(target);
        expect(afterPush.get(keyOf(target))).toHaveProperty('target');
        for (const [key, group] of before) expect(afterPush.get(key)).toEqual(group);

        await deleteGroup({ gateway: gateway.url, job, grouping });
        const afterDelete = byLabels(await gateway.groupsWhen((groups) => !byLabels(groups).has(keyOf(target))));
        expect(afterDelete).toEqual(before);
      }),
      {
        numRuns: 80,
        examples: [
          ['train', { instance: '..' }],
          ['train', { shard: '..' }],
          ['train', { instance: '.' }],
          ['train', { a: 'x', b: '%2e%2E', c: '' }],
          ['..', { instance: '.' }],
          ['a/b', { p: '/', q: '@', r: '+', s: ' ', t: '日本 🎉' }],
        ],
      },
    );
  });
});
