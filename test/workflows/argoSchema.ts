import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { REPO_ROOT } from './manifests.js';

/** Argo's published schema, shared by the team beside the repository and never copied into it. */
export const ARGO_SCHEMA_PATH = join(REPO_ROOT, '..', 'shared', 'argo', 'workflow.schema.json');

export function argoSchemaAvailable(): boolean {
  return existsSync(ARGO_SCHEMA_PATH);
}

interface JsonSchema {
  $id: string;
  definitions: Record<string, { type?: string; properties?: object; additionalProperties?: unknown }>;
}

let ajv: Ajv2020 | undefined;
let schemaId = '';

/**
 * The validator of one definition (`io.argoproj.workflow.v1alpha1.WorkflowTemplate`,
 * `io.k8s.api.core.v1.Container`, ...). The published schema leaves objects open; every object
 * definition is closed here, as the API server's strict field validation is, so a misspelt field fails.
 */
export function argoValidator(definition: string): ValidateFunction {
  if (!ajv) {
    const schema = JSON.parse(readFileSync(ARGO_SCHEMA_PATH, 'utf8')) as JsonSchema;
    for (const entry of Object.values(schema.definitions)) {
      if (entry.type === 'object' && entry.properties && entry.additionalProperties === undefined) entry.additionalProperties = false;
    }
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(schema);
    schemaId = schema.$id;
  }
  const validate = ajv.getSchema(`${schemaId}#/definitions/${definition}`);
  if (!validate) throw new Error(`${ARGO_SCHEMA_PATH} has no definition ${definition}`);
  return validate;
}

/** ajv's errors as one line each: `/spec/templates/0/retryStrategy/limit must be string`. */
export function describeErrors(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.keyword === 'additionalProperties' ? `: ${String(e.params.additionalProperty)}` : ''}`);
}
