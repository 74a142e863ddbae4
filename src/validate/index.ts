import { countProblems, DataError, type DataIssue, type OptionNamer } from '../errors.js';
import type { Labels, MetricDocument, MetricRecord, ValidDocument, ValidRecord } from '../records.js';
import { MAX_SCHEMA_ISSUES, SchemaChunks, SchemaSearchStopped } from './chunkedSchema.js';
import { checkFileExpectation } from './expect.js';
import { labelNameProblem, RESERVED_LABEL_NAME } from './labelNames.js';
import { checkGroupingKey } from './groupingKey.js';
import { checkTenantGrouping, tenantLabelIssues } from './tenantLabel.js';
import { documentPlaces, placeProblems, sortProblems, type Problem, type RecordPlaces } from './places.js';
import type { NamingProblem } from './lint.js';
import { checkLabelsReservedByType, commonLabelSources } from './reservedLabels.js';
import { escapePointer } from './schema.js';
import { semanticSteps, type CheckProgress, type SemanticResult } from './semantic.js';
import { runSteps, type Steps } from './steps.js';
import { setAsideUnknownFields } from './unknownFields.js';

export interface ValidateOptions {
  /** The job name; `job` is part of every grouping key. */
  job?: string;
  /** Further grouping labels (a command line's `--grouping`). */
  grouping?: Labels;
  /** Labels added to every series (a command line's `--label`); the file's own common labels and record labels win over them. */
  labels?: Labels;
  /** What the document was read from, for messages ("metrics.json: 2 problems"); default "the metric file". */
  origin?: string;
  /** Names that break Prometheus naming conventions (promtool’s lints), and unknown record fields, are problems, not warnings (`--strict`). */
  strict?: boolean;
  /** Receives those naming problems when not `strict` and the file is otherwise valid; names are never rewritten. */
  warn?: (warnings: readonly DataIssue[]) => void;
  /**
   * Receives the record fields the format does not know, which are ignored (as the Python Simplepipe
   * ignored them), when not `strict` and the file is otherwise valid. With `strict` they are problems, and
   * so are those of a record with other problems, where a misspelt field explains a missing one.
   */
  warnUnknownFields?: (warnings: readonly DataIssue[]) => void;
  /** The label the target gateway's tenancy stamp sets (`namespace`): no series or grouping key may set it (tenantLabel.ts). */
  tenantLabel?: string;
  /**
   * How problems and warnings name an option (`labels x`, `strict`): a command line passes its flags
   * (`--label x`). A thrown ConfigError names options as its messageNaming is asked to.
   */
  nameOption?: OptionNamer;
}

/**
 * Validates a parsed metric file: the grouping key it will be pushed with, the JSON schema, the semantic
 * checks on every record the schema accepted, then the naming lints (warnings, or problems when
 * `strict`). Throws a ConfigError for a bad grouping key, else one DataError listing every issue;
 * returns records ready to convert.
 */
export function validate(document: unknown, options: ValidateOptions = {}): ValidRecord[] {
  return validateDocument(document, options).records;
}

/** validate(), also returning what the object form's `expect` says of the job as a whole (for the generators). */
export function validateDocument(input: unknown, options: ValidateOptions = {}): ValidDocument {
  return runSteps(validateDocumentSteps(input, options));
}

/**
 * validateDocument, in steps (see steps.ts). Every problem and warning is placed by `places` (default:
 * the document's own pointers), given the index of its record: a line of a JSON Lines file, a --metric flag.
 */
export function* validateDocumentSteps(input: unknown, options: ValidateOptions = {}, places?: RecordPlaces, progress?: CheckProgress): Steps<ValidDocument> {
  const origin = options.origin ?? 'the metric file';
  const option = options.nameOption ?? ((name: string) => name);
  // The push's own check, so that `validate` refuses what `push` would (a ConfigError: the key is configuration, not data).
  checkGroupingKey(options.job, options.grouping);
  checkTenantGrouping(options.tenantLabel, options.grouping);
  const { document, unknown } = setAsideUnknownFields(input);
  // A long list's records are checked against the schema a chunk at a time, as the semantic checks reach them.
  const schema = new SchemaChunks(document);
  // `job` is in every grouping key, so a series may never carry it, whether or not the job is known yet.
  const groupingKey: Labels = { ...options.grouping, job: options.job ?? '' };

  const isDocument = !Array.isArray(document) && typeof document === 'object' && document !== null;
  const list: unknown = isDocument ? (document as MetricDocument).metrics : document;
  const prefix = isDocument ? '/metrics' : '';
  const place = (problems: readonly Problem[]): DataIssue[] => placeProblems(problems, places ?? documentPlaces(prefix));
  const stopped = (): DataError => problemsError(origin, place(schema.issues), true);
  const fileLabels = isDocument ? ((document as MetricDocument).labels ?? {}) : {};

  // Problems beside the schema's, which come first (the order problems of one record are listed in).
  const issues: Problem[] = [];
  const commonLabels: Labels = { ...options.labels, ...fileLabels };
  const commonLabelOrigins = new Map<string, string>();
  const labelsOption = option('labels');
  for (const name of Object.keys(options.labels ?? {})) commonLabelOrigins.set(name, `${labelsOption} ${name}`);
  for (const name of Object.keys(fileLabels)) commonLabelOrigins.set(name, `/labels/${escapePointer(name)}`);
  issues.push(...checkCommonLabels(options.labels ?? {}, { option: labelsOption }, groupingKey));
  if (isDocument) issues.push(...checkCommonLabels(fileLabels, { file: true }, groupingKey));
  issues.push(...tenantLabelIssues(options.tenantLabel, { flagLabels: options.labels ?? {}, fileLabels, records: list }, option));
  const fileExpect = isDocument ? (document as MetricDocument).expect : undefined;
  issues.push(...checkFileExpectation(fileExpect, '/expect'));

  if (!Array.isArray(list)) throw problemsError(origin, place([...schema.issues, ...issues]));
  issues.push(...checkLabelsReservedByType(commonLabelSources(options.grouping, options.labels, isDocument ? fileLabels : undefined, option), list));
  if (list.length === 0 && issues.length === 0 && schema.issues.length === 0) {
    issues.push({ pointer: prefix, message: 'holds no metrics; to remove a group from the gateway use "delete"' });
  }

  const brokenBefore = recordsWithProblems(issues);
  const schemaBroken = { has: (index: number): boolean => schema.broken(index) || brokenBefore.has(index) };
  const problemsBefore = issues.length;
  // The problems told are every one found so far, not only the semantic pass's own.
  const told: CheckProgress | undefined =
    progress === undefined ? undefined : (checked, records, problems) => progress(checked, records, problems + problemsBefore + schema.issues.length);
  let checked: SemanticResult;
  try {
    checked = yield* semanticSteps({ list: list as MetricRecord[], prefix, schemaBroken }, { groupingKey, commonLabels, commonLabelOrigins }, told);
    schema.checkAll();
  } catch (error) {
    throw error instanceof SchemaSearchStopped ? stopped() : error;
  }
  issues.unshift(...schema.issues);
  issues.push(...checked.issues);
  const naming = checked.naming.map((problem): Problem => ({
    ...namingPlace(problem, list as MetricRecord[], commonLabelOrigins),
    message: `"${problem.metric}": ${problem.text}`,
  }));
  if (options.strict) issues.push(...naming);
  const broken = options.strict ? undefined : recordsWithProblems(issues);
  const ignored: Problem[] = [];
  for (const { record, field, message } of unknown) {
    if (broken === undefined || broken.has(record)) issues.push({ record, field, message });
    else ignored.push({ record, field, message: `${message}; ignored` });
  }

  if (issues.length > 0) throw problemsError(origin, place(sortProblems(issues)));
  if (naming.length > 0) options.warn?.(place(naming));
  if (ignored.length > 0) options.warnUnknownFields?.(place(ignored));
  return fileExpect === undefined ? { records: checked.records } : { records: checked.records, expect: fileExpect };
}

/** Where a naming problem was written: the record's name, or the label where it was given (record, info fact, file, flag). */
function namingPlace(problem: NamingProblem, list: readonly MetricRecord[], commonLabelOrigins: ReadonlyMap<string, string>): Omit<Problem, 'message'> {
  const record = problem.index;
  if (problem.label === undefined) return { record, field: '/name' };
  const raw = list[record]!;
  const label = escapePointer(problem.label);
  if (raw.labels !== undefined && Object.hasOwn(raw.labels, problem.label)) return { record, field: `/labels/${label}` };
  if (raw.metric_type === 'info' && Object.hasOwn(raw.value as Labels, problem.label)) return { record, field: `/value/${label}` };
  const origin = commonLabelOrigins.get(problem.label);
  return origin === undefined ? { record } : { pointer: origin };
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
function checkCommonLabels(labels: Labels, where: { file: true } | { option: string }, groupingKey: Labels): DataIssue[] {
  const inFile = 'file' in where;
  return Object.keys(labels).flatMap((name): DataIssue[] => {
    const pointer = inFile ? `/labels/${escapePointer(name)}` : `${where.option} ${name}`;
    const problem = labelNameProblem(name);
    if (problem !== undefined) return inFile && problem !== RESERVED_LABEL_NAME ? [] : [{ pointer, message: problem }];
    if (Object.hasOwn(groupingKey, name)) {
      return [{ pointer, message: `"${name}" is part of the grouping key; set it there, not on the series` }];
    }
    return [];
  });
}

/** The indices of the records a problem is in. */
function recordsWithProblems(problems: readonly Problem[]): Set<number> {
  const indices = new Set<number>();
  for (const problem of problems) if (problem.record !== undefined) indices.add(problem.record);
  return indices;
}

/**
 * Issues in file order: by record index, then as found. Those outside every record come first, those of
 * --metric flags (appended after a file's records) last.
 */
export function sortByPointer(issues: DataIssue[]): DataIssue[] {
  const key = (pointer: string): number =>
    pointer.startsWith('--metric ') ? Infinity : Number((/^line (\d+)/.exec(pointer) ?? /\/(\d+)/.exec(pointer))?.[1] ?? -1);
  return issues
    .map((issue, position) => ({ issue, position }))
    .sort((a, b) => key(a.issue.pointer) - key(b.issue.pointer) || a.position - b.position)
    .map(({ issue }) => issue);
}
