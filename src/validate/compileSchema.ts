import { Ajv, type Options, type ValidateFunction } from 'ajv';
import kfpSchema from '../../schemas/kfp-metrics.schema.json' with { type: 'json' };
import lineSchema from '../../schemas/metric-line.schema.json' with { type: 'json' };
import metricFileSchema from '../../schemas/metric-file.schema.json' with { type: 'json' };
import type { MetricFile } from '../records.js';

/** The schemas the validators are compiled from, by the name each validator is exported under. */
export const SCHEMA_IDS = { metricFile: metricFileSchema.$id, kfpMetrics: kfpSchema.$id } as const;

/**
 * The one ajv set-up for the schemas in schemas/. The build calls it too, with `code.source`, to
 * precompile the same validators into the bundles, so the JSON schemas stay the only source of truth.
 */
export function createSchemaAjv(extra: Options = {}): Ajv {
  // verbose: errors carry the failing data and the schema object, which the messages need.
  // strictNumbers off: Python's NaN and Infinity are numbers where a number may stand; the semantic checks
  // refuse them where a finite one is needed (a counter, a bucket, a bound), and say why.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictNumbers: false, allowUnionTypes: true, ...extra });
  // The line schema only documents JSON Lines (its records are validated as the array form's items);
  // added here so that a broken reference in it fails every build and test.
  return ajv.addSchema(metricFileSchema).addSchema(kfpSchema).addSchema(lineSchema);
}

export interface SchemaValidators {
  metricFile: ValidateFunction<MetricFile>;
  /** A Kubeflow Pipelines v1 metrics file (mlpipeline-metrics.json). */
  kfpMetrics: ValidateFunction;
}

export function compileSchemaValidators(ajv: Ajv = createSchemaAjv()): SchemaValidators {
  const compiled = (id: string): ValidateFunction => {
    const validate = ajv.getSchema(id);
    if (validate === undefined) throw new Error(`schema ${id} is not registered`);
    return validate;
  };
  return { metricFile: compiled(SCHEMA_IDS.metricFile) as ValidateFunction<MetricFile>, kfpMetrics: compiled(SCHEMA_IDS.kfpMetrics) };
}
