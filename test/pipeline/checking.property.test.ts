import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Checking } from '../../src/checking.js';
import { groupByName } from '../../src/convert/families.js';
import type { ValidRecord } from '../../src/records.js';

// A push sends each family once it is complete, while the rest of the input is checked (checking.ts).
// Whatever the order of the input's names and however validation's progress comes in steps, the families
// handed over are exactly those a dry run groups (groupByName of every valid record), in its order, each
// whole, and none before validation has passed all its records.

const names = fc.array(fc.constantFrom('a', 'b', 'c', 'd_info', 'e'), { minLength: 0, maxLength: 60 });

/** The input's raw records, and the valid records validation makes of them (an info record named `d` is exposed as `d_info`). */
function recordsOf(list: readonly string[]): { raw: object[]; valid: ValidRecord[] } {
  const raw = list.map((name, index) =>
    name === 'd_info'
      ? { name: 'd', description: 'x', value: { v: String(index) }, metric_type: 'info' }
      : { name, description: 'x', value: index, metric_type: 'gauge' },
  );
  const valid = list.map((name, index): ValidRecord => ({ index, name, help: 'x', type: 'gauge', labels: { i: String(index) }, value: index }));
  return { raw, valid };
}

describe('the families of an input checked while it is sent', () => {
  it('are those a dry run groups, in its order, each whole and handed over only once validation has passed it', async () => {
    await fc.assert(
      // The reader takes its time over some batches (a socket that drains slowly), so progress and the end
      // also come while it is not waiting for them.
      fc.asyncProperty(names, fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 3 })), async (list, steps, pauses) => {
        const { raw, valid } = recordsOf(list);
        const checking = new Checking(raw);
        const handed: (readonly ValidRecord[])[] = [];
        let checkedSoFar = 0;
        const reading = (async () => {
          for await (const batch of checking.families()) {
            for (const family of batch) {
              // Whole when handed over, and every record of its name already checked.
              const all = valid.filter((record) => record.name === family[0]!.name);
              expect(family).toEqual(all);
              expect(all[all.length - 1]!.index).toBeLessThan(checkedSoFar);
              handed.push(family);
            }
            for (let pause = pauses[handed.length % Math.max(1, pauses.length)] ?? 0; pause > 0; pause--) await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        // Validation's progress, in steps of the generated sizes, the valid array growing as it does.
        const records: ValidRecord[] = [];
        for (const step of steps) {
          if (records.length >= valid.length) break;
          records.push(...valid.slice(records.length, records.length + step));
          checkedSoFar = records.length;
          checking.progress(records.length, records, 0);
          await new Promise((resolve) => setImmediate(resolve));
        }
        records.push(...valid.slice(records.length));
        checkedSoFar = Infinity;
        checking.progress(list.length, records, 0);
        checking.end({ document: { records } });
        // Ended, the families end at once: a reader still waiting would be a wake-up lost.
        let timer: NodeJS.Timeout | undefined;
        const stuck = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the families never ended after validation did')), 2_000)));
        await Promise.race([reading, stuck]).finally(() => clearTimeout(timer));
        expect(handed).toEqual(groupByName(valid));
      }),
      { numRuns: 300 },
    );
  });

  it('hand over nothing more once a problem is found, and end with the refusal', async () => {
    const { raw, valid } = recordsOf(['a', 'b', 'c', 'e', 'a']);
    const checking = new Checking(raw.slice(0, 4));
    const handed: string[] = [];
    const reading = (async () => {
      for await (const batch of checking.families()) handed.push(...batch.map((family) => family[0]!.name));
    })();
    checking.progress(2, valid.slice(0, 2), 0);
    await new Promise((resolve) => setImmediate(resolve));
    checking.progress(4, valid.slice(0, 3), 1);
    await new Promise((resolve) => setImmediate(resolve));
    const refusal = new Error('record 3: a problem');
    checking.end({ error: refusal });
    await expect(reading).rejects.toBe(refusal);
    expect(handed).toEqual(['a']);
  });
});
