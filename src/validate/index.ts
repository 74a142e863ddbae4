import { countProblems, DataError, type DataIssue } from '../errors.js';
import type { Labels, MetricDocument, MetricRecord, ValidDocument, ValidRecord } from '../records.js';
import { checkSchemaInChunks, MAX_SCHEMA_ISSUES } from './chunkedSchema.js';
import { checkFileExpectation } from './expect.js';
import { labelNameProblem, RESERVED_LABEL_NAME } from './labelNames.js';
import { escapePointer } from './schema.js';
import { checkSemantics } from './semantic.js';

export interface ValidateOptions {
  /** The job name; `job` is part of every grouping key. */
  job?: string;
  /** Further grouping labels (`--grouping`). */
  grouping?: Labels;
  /** Labels added to every series (`--label`); the file's own common labels and record labels win over them. */
  labels?: Labels;
  /** What the document was read from, for messages ("metrics.json: 2 problems"); default "the metric file". */
  origin?: string;
}

/**
 * Validates a parsed metric file: the JSON schema first, then the semantic checks on every record the
 * schema accepted. Throws one DataError listing every issue; returns records ready to convert.
 */
export function validate(document: unknown, options: ValidateOptions = {}): ValidRecord[] {
  return validateDocument(document, options).records;
}

/** validate(), also returning what the object form's `expect` says of the job as a whole (for the generators). */
export function validateDocument(document: unknown, options: ValidateOptions = {}): ValidDocument {
  const origin = options.origin ?? 'the metric file';
  const { issues, truncated } = checkSchemaInChunks(document);
  if (truncated) throw problemsError(origin, issues, true);
  // `job` is in every grouping key, so a series may never carry it, whether or not the job is known yet.
  const groupingKey: Labels = { ...options.grouping, job: options.job ?? '' };

  const isDocument = !Array.isArray(document) && typeof document === 'object' && document !== null;
  const list: unknown = isDocument ? (document as MetricDocument).metrics : document;
  const prefix = isDocument ? '/metrics' : '';
  const fileLabels = isDocument ? ((document as MetricDocument).labels ?? {}) : {};

  const commonLabels: Labels = { ...options.labels, ...fileLabels };
  issues.push(...checkCommonLabels(options.labels ?? {}, '--label', groupingKey));
  if (isDocument) issues.push(...checkCommonLabels(fileLabels, '/labels', groupingKey));
  const fileExpect = isDocument ? (document as MetricDocument).expect : undefined;
  issues.push(...checkFileExpectation(fileExpect, '/expect'));

  if (!Array.isArray(list)) throw problemsError(origin, issues);
  if (list.length === 0 && issues.length === 0) {
    issues.push({ pointer: prefix, message: 'holds no metrics; to remove a group from the gateway use "delete"' });
  }

  const schemaBroken = recordsWithIssues(issues, prefix);
  const candidates = (list as MetricRecord[]).map((record, index) => ({
    record,
    index,
    pointer: `${prefix}/${index}`,
    schemaValid: !schemaBroken.has(index),
  }));
  const checked = checkSemantics(candidates, { groupingKey, commonLabels });
  issues.push(...checked.issues);

  if (issues.length > 0) throw problemsError(origin, sortByPointer(issues));
  return fileExpect === undefined ? { records: checked.records } : { records: checked.records, expect: fileExpect };
}

/** The DataError listing the problems found in `origin`; `truncated` when the search stopped at MAX_SCHEMA_ISSUES. */
export function problemsError(origin: string, issues: readonly DataIssue[], truncated = false): DataError {
  const count = truncated ? `more than ${MAX_SCHEMA_ISSUES} problems (the first ${MAX_SCHEMA_ISSUES} below)` : countProblems(issues.length);
  return new DataError(`${origin}: ${count}`, issues, { truncated });
}

/**
 * Checks labels given for every series. A file's common labels are also under the schema, which already
 * reports a malformed name there; only the `__` prefix, which the pattern allows, is left to say.
 */
function checkCommonLabels(labels: Labels, where: string, groupingKey: Labels): DataIssue[] {
  const inFile = where.startsWith('/');
  return Object.keys(labels).flatMap((name): DataIssue[] => {
    const pointer = inFile ? `${where}/${escapePointer(name)}` : `${where} ${name}`;
    const problem = labelNameProblem(name);
    if (problem !== undefined) return inFile && problem !== RESERVED_LABEL_NAME ? [] : [{ pointer, message: problem }];
    if (Object.hasOwn(groupingKey, name)) {
      return [{ pointer, message: `"${name}" is part of the grouping key; set it there, not on the series` }];
    }
    return [];
  });
}

function recordsWithIssues(issues: readonly DataIssue[], prefix: string): Set<number> {
  const indices = new Set<number>();
  const pattern = new RegExp(`^${prefix}/(\\d+)(?:/|$)`);
  for (const issue of issues) {
    const match = pattern.exec(issue.pointer);
    if (match) indices.add(Number(match[1]));
  }
  return indices;
}

/**
 * Issues in file order: by record index, then as found. Those outside every record come first, those of
 * --metric flags (appended after a file's records) last.
 */
export function sortByPointer(issues: DataIssue[]): DataIssue[] {
  const key = (pointer: string): number => (pointer.startsWith('--metric ') ? Infinity : Number(/\/(\d+)/.exec(pointer)?.[1] ?? -1));
  return issues
    .map((issue, position) => ({ issue, position }))
    .sort((a, b) => key(a.issue.pointer) - key(b.issue.pointer) || a.position - b.position)
    .map(({ issue }) => issue);
}
