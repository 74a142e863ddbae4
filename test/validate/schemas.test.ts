import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** The schema files as a user's own ajv reads them: each on its own, references resolved by $id. */
const schema = (name: string): { $id: string } => JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
for (const name of ['metric-file.schema.json', 'metric-line.schema.json', 'kfp-metrics.schema.json']) ajv.addSchema(schema(name));
const validator = (name: string) => ajv.getSchema(schema(name).$id)!;

describe('the schema of a JSON Lines line', () => {
  it('accepts a line exactly when the metric file schema accepts it as the one record of an array', () => {
    const [line, file] = [validator('metric-line.schema.json'), validator('metric-file.schema.json')];
    const recordish = fc.record(
      {
        name: fc.constantFrom('a', '9a', 'a:b'),
        description: fc.constantFrom('d', 4),
        value: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('6', 'x', '+Inf'), fc.constant([1]), fc.constant({ k: 'v' })),
        metric_type: fc.constantFrom('gauge', 'counter', 'summary', 'histogram', 'info', 'meter'),
        labels: fc.constantFrom({ a: 'b' }, { 'a-b': 'c' }),
        buckets: fc.constant([1, 2]),
        extra: fc.constant(1),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fc.oneof(recordish, fc.jsonValue({ maxDepth: 2 })), (value) => {
      expect(line(value)).toBe(file([value]));
    }), { numRuns: 500 });
  });
});

describe('the schema of a Kubeflow Pipelines metrics file', () => {
  it('accepts the example as the KFP SDK writes it, with RAW, PERCENTAGE and no format', () => {
    const example = JSON.parse(readFileSync(new URL('../../examples/mlpipeline-metrics.json', import.meta.url), 'utf8'));
    expect(validator('kfp-metrics.schema.json')(example)).toBe(true);
    expect(example.metrics.map((metric: { format?: string }) => metric.format)).toEqual(['PERCENTAGE', 'RAW', undefined]);
  });

  it('holds the metric name pattern Kubeflow Pipelines documents', () => {
    const kfp = schema('kfp-metrics.schema.json') as unknown as { definitions: { kfpMetricName: { pattern: string } } };
    expect(kfp.definitions.kfpMetricName.pattern).toBe('^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$');
  });
});
