import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByName } from '../../../src/convert/families.js';
import { validate } from '../../../src/index.js';
import { buildWriteRequests, checkWriteRequests } from '../../../src/sink/remoteWrite/timeseries.js';
import { anyRecords } from '../../support/recordArbitraries.js';

// A write builds each request only as it is sent (remoteWrite), so checkWriteRequests must refuse up front
// exactly what building them all would: else a late request's refusal would come after the first were stored.

/** Records validated without a job or grouping (the library allows it), so that the write's own may repeat their labels. */
const records = anyRecords.map((file) => validate(file));
/** A grouping that may name a record's labels (`i`, `t`, an info record's `v`), `le` or `quantile`, with empty values too. */
const grouping = fc.dictionary(fc.constantFrom('i', 't', 'v', 'le', 'quantile', 'run'), fc.constantFrom('', 'x'), { maxKeys: 3 });
const job = fc.option(fc.constantFrom('train', ''), { nil: undefined });

/** What building every request throws, as class and message; undefined when it builds. */
async function buildError(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

describe('checkWriteRequests', () => {
  it('refuses exactly what building every request refuses, with the same error', async () => {
    await fc.assert(
      fc.asyncProperty(records, grouping, job, async (valid, labels, name) => {
        const target = { job: name, grouping: labels, timestampMs: 1795285800000 };
        const built = await buildError(() => buildWriteRequests(valid, target as { job: string; grouping: Record<string, string>; timestampMs: number }, 3));
        const checked = await buildError(async () => checkWriteRequests(groupByName(valid), target));
        expect(checked).toBe(built);
      }),
      { numRuns: 300 },
    );
  });
});
