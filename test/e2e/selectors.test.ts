import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/index.js';
import { seriesSelector, type RuleTarget } from '../../src/generate/selector.js';
import { tempFile } from '../support/files.js';
import { runApp } from '../support/runApp.js';
import { startScrapedGateway, type ScrapedGateway } from '../support/scrapedGateway.js';

/**
 * The generated rules must watch exactly the series a push creates: pushed by the built app to a real
 * Pushgateway, scraped by a real Prometheus with honor_labels, each record's selector finds its own
 * series and nothing else, whatever its label values, while a second group of the same job holds the
 * same series under another instance.
 */
const tricky = fc.constantFrom('', '\uFFFD', '"', "'", '\\', '\n', '\\n', '{{ $value }}', '}', ',', '=', '😀', ' a ', '\u2028');
const labelValue = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.array(tricky, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')));
const labelName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/).filter((name) => !name.startsWith('__') && !['job', 'instance', 'run'].includes(name));
const records = fc.uniqueArray(
  fc.record({ name: fc.stringMatching(/^[a-z_:][a-z0-9_:]{0,10}$/).filter((name) => !name.startsWith('__')), labels: fc.dictionary(labelName, labelValue, { maxKeys: 3 }) }),
  { minLength: 8, maxLength: 8, selector: (record) => record.name },
);

let servers: ScrapedGateway;
beforeAll(async () => {
  servers = await startScrapedGateway();
});
afterAll(() => servers?.stop());

describe('rule selectors against what Prometheus scraped', () => {
  it('select each pushed series exactly, for any label values and grouping key', async () => {
    const targets: RuleTarget[] = [{ job: 'sel-a' }, { job: 'sel-b', grouping: { instance: 'node-1' } }, { job: 'sel-c/x', grouping: { run: 'r 1' } }];
    const samples = fc.sample(records, { numRuns: targets.length, seed: 3 });
    const pushes = targets.map((target, i) => {
      // Besides the sample, always the characters PromQL or the exposition format treat specially.
      const fixed = { name: 'tricky_labels', labels: { a: '\uFFFD', b: '"\\\n', c: '', d: '\u2028{{' } };
      const chosen = [...samples[i]!.filter((record) => record.name !== fixed.name), fixed];
      const metrics = chosen.map(({ name, labels }, index) => ({ name, description: 'generated', value: index + 1, metric_type: 'gauge', labels }));
      return { target, metrics };
    });

    const flags = (grouping: Record<string, string>) => Object.entries(grouping).flatMap(([key, value]) => ['--grouping', `${key}=${value}`]);
    for (const { target, metrics } of pushes) {
      const run = await runApp([tempFile(metrics), target.job, '--gateway', servers.gateway.url, ...flags(target.grouping ?? {})]);
      expect(run.code, run.stderr).toBe(0);
      // The same series in another group of the same job: a selector that ignored the grouping key would find two.
      const decoy = await runApp([tempFile(metrics), target.job, '--gateway', servers.gateway.url, ...flags({ ...target.grouping, instance: 'decoy' })]);
      expect(decoy.code, decoy.stderr).toBe(0);
    }
    await servers.prometheus.eventually('count(push_time_seconds)', { until: (result) => Number(result[0]?.value[1]) === 2 * pushes.length });

    const mismatches: string[] = [];
    for (const { target, metrics } of pushes) {
      for (const record of validate(metrics, { job: target.job, grouping: target.grouping })) {
        const selector = seriesSelector(record.name, record.labels, target);
        const found = await servers.prometheus.query(selector);
        const values = found.map((sample) => sample.value[1]);
        if (values.length !== 1 || values[0] !== String(record.type === 'gauge' ? record.value : NaN)) mismatches.push(`${selector} → ${JSON.stringify(found)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
