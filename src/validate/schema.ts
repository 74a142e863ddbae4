import type { ErrorObject } from 'ajv';
import kfpSchema from '../../schemas/kfp-metrics.schema.json' with { type: 'json' };
import schema from '../../schemas/metric-file.schema.json' with { type: 'json' };
import type { DataIssue } from '../errors.js';
import { INVALID_LABEL_NAME } from './labelNames.js';
import { DURATION_MESSAGES } from './duration.js';
import { schemaValidators } from './schemaValidator.js';

/** Checks `document` against `schemas/metric-file.schema.json`; returns every issue, empty when valid. */
export function checkSchema(document: unknown): DataIssue[] {
  const validate = schemaValidators().metricFile;
  if (validate(document)) return [];
  return toIssues(validate.errors ?? [], metricFileHints);
}

/** Checks `document` against `schemas/kfp-metrics.schema.json`, the Kubeflow Pipelines v1 metrics file. */
export function checkKfpSchema(document: unknown): DataIssue[] {
  const validate = schemaValidators().kfpMetrics;
  if (validate(document)) return [];
  return toIssues(validate.errors ?? [], kfpHints);
}

/**
 * Messages for the schema's value definitions, keyed by the text of the definition ajv reports as
 * parentSchema: a precompiled validator carries its own copy of the schema, so identity cannot match.
 */
const anyOfMessages = new Map<string, string>([
  [JSON.stringify(schema.definitions.sampleValue), 'must be a number or a numeric string ("6", "NaN", "+Inf", "-Inf")'],
  [JSON.stringify(schema.definitions.counterValue), 'a counter value must be a finite number ≥ 0, or such a number as a string'],
  [JSON.stringify(schema.definitions.observations), 'must be a number, a numeric string, or a non-empty array of them'],
  [JSON.stringify(kfpSchema.definitions.kfpValue), 'must be a number, or "NaN", "Infinity" or "-Infinity"'],
]);

/** A KFP entry's `anyOf` only says that neither spelling of the value is there. */
const KFP_METRIC = JSON.stringify(kfpSchema.definitions.metric);

/** Messages for a failed `pattern`, keyed by the definition the pattern belongs to. */
const patternMessages: Record<string, string> = {
  metricName: 'is not a valid metric name (letters, digits, _ and :; not starting with a digit)',
  kfpMetricName:
    'is not a valid Kubeflow Pipelines metric name (a letter, then letters, digits, - and _; at most 64 characters; not ending in - or _)',
  duration: DURATION_MESSAGES.malformed,
};

function patternMessage(schemaPath: string): string | undefined {
  const definition = /#\/definitions\/(\w+)\/pattern$/.exec(schemaPath)?.[1];
  return definition !== undefined && Object.hasOwn(patternMessages, definition) ? patternMessages[definition] : undefined;
}

/**
 * Turns ajv's errors into one readable issue per problem. Errors inside a failed `anyOf` say the same
 * thing several ways, so only the `anyOf` itself is kept; `if` errors only repeat their `then`.
 */
function toIssues(errors: ErrorObject[], hints: Hints): DataIssue[] {
  // A KFP entry's anyOf holds only `required` rules (one of two spellings): it says one thing, and hides nothing.
  const isKfpEntryRule = (e: ErrorObject): boolean => e.keyword === 'required' && /\/anyOf\/\d+\/required$/.test(e.schemaPath);
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf' && JSON.stringify(e.parentSchema) !== KFP_METRIC);
  const issues: DataIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'propertyNames' || isKfpEntryRule(error)) continue;
    // The buckets and quantiles rules (`not: required`) hold vacuously for a non-object, so their failure there says nothing.
    if (error.keyword === 'not' && (typeof error.data !== 'object' || error.data === null || Array.isArray(error.data))) continue;
    // ajv reports an inner anyOf before the one enclosing it; only the outermost at a path speaks.
    const outer = anyOfs.findLast((e) => isWithin(error.instancePath, e.instancePath));
    if (outer !== undefined && outer !== error) continue;
    const issue = toIssue(error, hints);
    const key = `${issue.pointer}\0${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function toIssue(error: ErrorObject, hints: Hints): DataIssue {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { pointer: `${path}/${escapePointer(String(params.missingProperty))}`, message: 'is required' };
    case 'additionalProperties':
      return {
        pointer: `${path}/${escapePointer(String(params.additionalProperty))}`,
        message: unknownFieldMessage(String(params.additionalProperty), hints),
      };
    case 'enum':
      return { pointer: path, message: `must be one of ${(params.allowedValues as string[]).join(', ')}` };
    case 'not': {
      const required = (error.schema as { required: string[] }).required;
      if (required.length === 2) return { pointer: `${path}/${required[1]}`, message: `is ${required[0]} by its proto name: give one of the two` };
      // The other `not` rules forbid a field on the wrong type: buckets beyond histograms, quantiles beyond summaries.
      const field = required[0];
      return { pointer: `${path}/${field}`, message: `is only allowed for a ${field === 'quantiles' ? 'summary' : 'histogram'}` };
    }
    case 'anyOf': {
      if (JSON.stringify(error.parentSchema) === KFP_METRIC) return { pointer: `${path}/numberValue`, message: 'is required' };
      const message = anyOfMessages.get(JSON.stringify(error.parentSchema));
      return { pointer: path, message: message ?? error.message ?? 'is invalid' };
    }
    case 'pattern':
      if (error.propertyName !== undefined) {
        return {
          pointer: `${path}/${escapePointer(error.propertyName)}`,
          message: `"${error.propertyName}" ${INVALID_LABEL_NAME}`,
        };
      }
      return { pointer: path, message: patternMessage(error.schemaPath) ?? error.message ?? 'is invalid' };
    default:
      return { pointer: path, message: error.message ?? 'is invalid' };
  }
}

/** An unknown field → the field its writer probably meant, per format. */
type Hints = Readonly<Record<string, string>>;

const metricFileHints: Hints = {
  type: 'metric_type',
  metricType: 'metric_type',
  help: 'description',
  label: 'labels',
  bucket: 'buckets',
  quantile: 'quantiles',
  percentiles: 'quantiles',
  objectives: 'quantiles',
  numberValue: 'value',
  expected: 'expect',
  expectation: 'expect',
  minimum: 'min',
  maximum: 'max',
};

const kfpHints: Hints = { value: 'numberValue', numbervalue: 'numberValue', number: 'numberValue' };

/** "is not a known field", and the field its writer probably meant when there is one. */
export function unknownFieldMessage(field: string, hints: Hints = metricFileHints): string {
  return `is not a known field${hintFor(field, hints)}`;
}

function hintFor(field: string, hints: Hints): string {
  // hasOwn: a field named "__proto__" or "constructor" must not find Object.prototype's members.
  const hint = Object.hasOwn(hints, field) ? hints[field] : undefined;
  return hint === undefined ? '' : ` (did you mean "${hint}"?)`;
}

/** RFC 6901: `~` and `/` inside a key are escaped. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
