import type { ValidateFunction } from 'ajv';
import type { MetricFile } from '../records.js';
import { compileSchemaValidator } from './compileSchema.js';

let compiled: ValidateFunction<MetricFile> | undefined;

/**
 * The schema validator, compiled once per process on first use. The bundles replace this module with
 * the same validator precompiled at build time (scripts/build.mjs), which spares every run ajv's
 * start-up and code generation.
 */
export function schemaValidator(): ValidateFunction<MetricFile> {
  compiled ??= compileSchemaValidator();
  return compiled;
}
