import { compileSchemaValidators, type SchemaValidators } from './compileSchema.js';

let compiled: SchemaValidators | undefined;

/**
 * The schema validators, compiled once per process on first use. The bundles replace this module with
 * the same validators precompiled at build time (scripts/build.mjs), which spares every run ajv's
 * start-up and code generation.
 */
export function schemaValidators(): SchemaValidators {
  compiled ??= compileSchemaValidators();
  return compiled;
}
