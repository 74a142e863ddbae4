import { Ajv, type Options, type ValidateFunction } from 'ajv';
import schema from '../../schemas/metric-file.schema.json' with { type: 'json' };
import type { MetricFile } from '../records.js';

/**
 * The one ajv set-up for the metric file's schema. The build calls it too, with `code.source`, to
 * precompile the same validator into the bundle, so the JSON schema stays the only source of truth.
 */
export function createSchemaAjv(extra: Options = {}): Ajv {
  // verbose: errors carry the failing data and the schema object, which the messages need.
  return new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true, ...extra });
}

export function compileSchemaValidator(ajv: Ajv = createSchemaAjv()): ValidateFunction<MetricFile> {
  return ajv.compile<MetricFile>(schema);
}
