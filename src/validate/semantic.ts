import type { Labels, MetricRecord, MetricType, SampleValue, ValidRecord } from '../records.js';
import { checkRecordExpectation } from './expect.js';
import { RESERVED_LABEL_NAME } from './labelNames.js';
import { lintLabelNames, lintName, type NamingProblem } from './lint.js';
import type { Problem } from './places.js';
import { checkText, type Report } from './report.js';
import { RESERVED_LABEL_BY_TYPE } from './reservedLabels.js';
import { escapePointer } from './schema.js';
import { SeriesIndex } from './seriesIndex.js';
import { RECORDS_PER_STEP, type Steps } from './steps.js';
import { OUT_OF_RANGE, parseSampleValue, UNDERFLOW, underflows } from './values.js';

export interface SemanticContext {
  /** The push's grouping key, `job` included: record labels may not name these. */
  groupingKey: Labels;
  /** Labels added to every record (object-form `labels`, `--label`); a record's own label of the same name wins. */
  commonLabels: Labels;
  /** Where each common label was given (`/labels/env`, `--label env`), for messages. */
  commonLabelOrigins: ReadonlyMap<string, string>;
}

/**
 * A family of more than one record. A family's first record makes no object: `families` holds its index until a second record
 * comes (100,000 distinct names are 100,000 map entries, not as many objects besides, live until validation ends).
 */
interface Family {
  /** The family's name and HELP as its first record gives them: every valid record of the family shares these strings rather than keep its own copy. */
  name: string;
  type: MetricType;
  help: string;
  /** A histogram's buckets or a summary's quantiles, as JSON: one family has one layout. */
  layout: string;
  /** The record that declared the family. */
  index: number;
  /** The family's series seen so far (a duplicate series is one of the same family); made with the Family, at its second record. */
  series: SeriesIndex;
  /** Label names the naming lints have seen on the family's series; null until one. */
  lintedLabels: Set<string> | null;
}

const NO_LABELS: Labels = Object.freeze({});

const suffixesByType: Partial<Record<MetricType, readonly string[]>> = {
  summary: ['_sum', '_count'],
  histogram: ['_sum', '_count', '_bucket'],
};

/** The records to check: the document's list, where it is (`''` or `/metrics`), and which records the schema refused. */
export interface SemanticCandidates {
  list: readonly MetricRecord[];
  prefix: string;
  /** Asked in record order, once for each record (so a schema check may reach each chunk of records as it is needed). */
  schemaBroken: { has(index: number): boolean };
}

/**
 * Told, between steps and at the end, that the records before `checked` have had the per-record checks:
 * `records` holds those that passed, in input order (the array goes on growing), and `problems` counts
 * what was found so far. What the whole input decides (suffix clashes, naming with `strict`, unknown
 * fields, push limits) is not yet said: only the end of validation says the input is valid.
 */
export type CheckProgress = (checked: number, records: readonly ValidRecord[], problems: number) => void;
export interface SemanticResult {
  records: ValidRecord[];
  issues: Problem[];
  naming: NamingProblem[];
}

/**
 * The checks a JSON schema cannot express: numbers in range, one type and one HELP per name, no
 * duplicate series, no reserved or grouping-key label names. Every issue is collected, none stops the scan.
 * Also collects the naming problems (promtool's lints), which are the caller's to report or refuse.
 * A step per RECORDS_PER_STEP records (steps.ts).
 */
export function* semanticSteps({ list, schemaBroken }: SemanticCandidates, context: SemanticContext, progress?: CheckProgress): Steps<SemanticResult> {
  const issues: Problem[] = [];
  const naming: NamingProblem[] = [];
  const valid: ValidRecord[] = [];
  // A family by name: its Family, or while it has one record that record's index (`~index` when the record was refused).
  const families = new Map<string, Family | number>();
  const hasCommonLabels = Object.keys(context.commonLabels).length > 0;
  // The labels of each record's series, by index, for a family's SeriesIndex to compare with.
  const seriesLabelsAt: Labels[] = [];
  const labelsAt = (index: number): Labels => seriesLabelsAt[index]!;
  // One reporter for every record, of the record at `index`: a problem is built only when there is one.
  let index = 0;
  const report: Report = (field, message) => void issues.push(field === '' ? { record: index, message } : { record: index, field: `/${field}`, message });

  for (; index < list.length; index++) {
    if (index % RECORDS_PER_STEP === RECORDS_PER_STEP - 1) {
      progress?.(index, valid, issues.length);
      yield;
    }
    const record = list[index]!;
    const before = issues.length;
    if (schemaBroken.has(index)) {
      checkWellTypedFields(record, context, report);
      continue;
    }

    const familyName = record.metric_type === 'info' ? infoFamilyName(record.name) : record.name;
    // The exposed name, not the given one: an info record named `_` would be exposed as the reserved `__info`.
    checkName(familyName, report);
    const family = checkFamily(familyName, record, index, { families, list, labelsAt }, report);
    // The naming lints ride on this pass and its family map: a second pass over 100,000 names cost more than the rules.
    if (family === undefined) lintName(familyName, record.metric_type, index, naming);
    checkText(record.description, 'description', report);

    // One object for every record without labels: it is never written to (frozen).
    const ownLabels = record.labels ?? NO_LABELS;
    checkLabels(ownLabels, 'labels', record.metric_type, context, report);
    // Without common labels the record's own object serves: no copy per record.
    const labels: Labels = hasCommonLabels ? { ...context.commonLabels, ...ownLabels } : ownLabels;

    const parsed = parseValue(record, report);
    if (record.metric_type === 'info' && parsed.info) {
      checkLabels(parsed.info, 'value', 'info', context, report);
      // An info fact is a label of the series: one that a label of any origin also sets would silently replace it.
      for (const key of Object.keys(parsed.info)) {
        if (Object.hasOwn(ownLabels, key)) report(`value/${escapePointer(key)}`, `"${key}" is also one of the record's labels`);
        else if (Object.hasOwn(context.commonLabels, key)) {
          report(`value/${escapePointer(key)}`, `"${key}" is also a label of every series (${context.commonLabelOrigins.get(key)})`);
        }
      }
    }

    checkRecordExpectation(record, context.groupingKey, report);

    const seriesLabels = record.metric_type === 'info' ? { ...labels, ...parsed.info } : labels;
    seriesLabelsAt[index] = seriesLabels;
    const earlier = family?.series.add(seriesLabels, index);
    // The name is said because it may not be written in the input: a Kubeflow Pipelines name is mapped to it.
    if (earlier !== undefined) report('', { record: earlier, say: (place) => `duplicate series: same name and labels as ${place} (both named ${familyName})` });

    if (issues.length === before) {
      // A family's first record gives it its strings (the Family, when there is one, has the same).
      valid.push(toValidRecord(record, index, family?.name ?? familyName, family?.help ?? record.description, labels, parsed));
      const linted = lintLabelNames(familyName, record.metric_type, seriesLabels, index, family?.lintedLabels ?? null, naming);
      if (family !== undefined) family.lintedLabels = linted;
    } else if (family === undefined) {
      families.set(familyName, ~index);
    }
  }
  progress?.(list.length, valid, issues.length);
  checkSuffixClashes(families, list, issues);
  return { records: valid, issues, naming };
}

/** An info record is exposed as `<name>_info`; a name that already ends in `_info` keeps it once, as in the Python client. */
export function infoFamilyName(name: string): string {
  return name.endsWith('_info') ? name : `${name}_info`;
}

/**
 * A record the schema rejected still gets the checks its well-typed fields allow, so that one run
 * lists a reserved label beside a bad value instead of revealing it only after the value is fixed.
 */
function checkWellTypedFields(record: MetricRecord, context: SemanticContext, report: Report): void {
  // A record may be any JSON value here, null included: the schema has said it is not an object.
  if (typeof record !== 'object' || record === null) return;
  const { name, description, labels, value, metric_type: type } = record as Partial<Record<keyof MetricRecord, unknown>>;
  if (typeof name === 'string') checkName(name, report);
  if (typeof description === 'string') checkText(description, 'description', report);
  const checkObject = (object: unknown, field: string, as: MetricType): void => {
    if (typeof object !== 'object' || object === null || Array.isArray(object)) return;
    const stringLabels = Object.fromEntries(Object.entries(object).filter(([, text]) => typeof text === 'string'));
    checkLabels(stringLabels, field, as, context, report);
  };
  checkObject(labels, 'labels', type as MetricType);
  // An info record's value is labels too.
  if (type === 'info') checkObject(value, 'value', 'info');
}

function checkName(name: string, report: Report): void {
  if (name.startsWith('__')) report('name', 'names starting with "__" are reserved for Prometheus');
}

/** What checkFamily needs of the scan: the families so far, the records, and the series labels of the records seen. */
interface FamilyScan {
  families: Map<string, Family | number>;
  list: readonly MetricRecord[];
  labelsAt: (index: number) => Labels;
}

/**
 * The record's family, checked against it (one type, HELP and layout per name); undefined when the record is the first
 * of its name. The Family is made at a family's second record, from its first: that record's series filed in its
 * SeriesIndex, and the label names the lints saw on it (a refused record's were not linted).
 */
function checkFamily(familyName: string, record: MetricRecord, index: number, { families, list, labelsAt }: FamilyScan, report: Report): Family | undefined {
  const entry = families.get(familyName);
  if (entry === undefined) {
    families.set(familyName, index);
    return undefined;
  }
  let family: Family;
  if (typeof entry === 'number') {
    const first = entry < 0 ? ~entry : entry;
    const declared = list[first]!;
    const firstLabels = labelsAt(first);
    family = { name: familyName, type: declared.metric_type, help: declared.description, layout: layoutOf(declared), index: first, series: new SeriesIndex(labelsAt), lintedLabels: null };
    family.series.add(firstLabels, first);
    if (entry >= 0) for (const label in firstLabels) (family.lintedLabels ??= new Set()).add(label);
    families.set(familyName, family);
  } else {
    family = entry;
  }
  const layoutField = record.metric_type === 'summary' ? 'quantiles' : 'buckets';
  if (family.type !== record.metric_type) {
    report('metric_type', { record: family.index, say: (place) => `"${familyName}" is declared as ${family.type} at ${place}; one name has one type` });
  } else if (family.help !== record.description) {
    report('description', { record: family.index, say: (place) => `"${familyName}" has another description at ${place}; one name has one HELP text` });
  } else if (family.layout !== layoutOf(record)) {
    const what = layoutField === 'quantiles' ? 'one summary has one list of quantiles' : 'one histogram has one set of buckets';
    report(layoutField, { record: family.index, say: (place) => `"${familyName}" has other ${layoutField} at ${place}; ${what}` });
  }
  return family;
}

/** A histogram's buckets or a summary's quantiles, as JSON; only those have any (the schema says so), the others need no JSON. */
function layoutOf(record: MetricRecord): string {
  const layout = record.metric_type === 'summary' ? record.quantiles : record.buckets;
  return layout === undefined ? 'null' : JSON.stringify(layout);
}

function checkLabels(labels: Labels, field: string, type: MetricType, context: SemanticContext, report: Report): void {
  const reserved = RESERVED_LABEL_BY_TYPE[type];
  for (const name in labels) {
    // The pointer is built only for a problem: most labels have none, and a large file has 100,000s.
    if (name.startsWith('__')) report(`${field}/${escapePointer(name)}`, RESERVED_LABEL_NAME);
    else if (Object.hasOwn(context.groupingKey, name)) {
      report(`${field}/${escapePointer(name)}`, `"${name}" is part of the grouping key; set it there, not on the series`);
    } else if (name === reserved) report(`${field}/${escapePointer(name)}`, `"${name}" is reserved for ${type} samples`);
    if (!labels[name]!.isWellFormed()) checkText(labels[name]!, `${field}/${escapePointer(name)}`, report);
  }
}

interface ParsedValue {
  value?: number;
  observations?: number[];
  info?: Labels;
}

function parseValue(record: MetricRecord, report: Report): ParsedValue {
  switch (record.metric_type) {
    case 'gauge':
    case 'counter': {
      const value = parseSampleValue(record.value as SampleValue);
      if (value === undefined) report('value', OUT_OF_RANGE);
      else if (underflows(record.value as SampleValue)) report('value', UNDERFLOW);
      // The schema's minimum lets an infinity through; NaN it refuses.
      else if (record.metric_type === 'counter' && !Number.isFinite(value)) report('value', 'a counter value must be a finite number ≥ 0');
      return { value };
    }
    case 'summary':
    case 'histogram': {
      const raw = Array.isArray(record.value) ? record.value : [record.value as SampleValue];
      const observations: number[] = [];
      raw.forEach((item, i) => {
        const at = Array.isArray(record.value) ? `value/${i}` : 'value';
        const value = parseSampleValue(item);
        if (value === undefined) report(at, OUT_OF_RANGE);
        else if (underflows(item)) report(at, UNDERFLOW);
        else if (!Number.isFinite(value)) report(at, 'an observation must be a finite number');
        else observations.push(value);
      });
      if (record.buckets) {
        // +Inf is always the last bucket; a NaN bound would hold nothing.
        record.buckets.forEach((bound, i) => Number.isFinite(bound) || report(`buckets/${i}`, 'a bucket bound must be a finite number (+Inf is always added)'));
        checkIncreasing(record.buckets, 'buckets', 'bucket bounds', report);
      }
      if (record.quantiles) checkIncreasing(record.quantiles, 'quantiles', 'quantiles', report);
      return { observations };
    }
    case 'info':
      return { info: record.value as Labels };
  }
}

function checkIncreasing(list: number[], field: string, what: string, report: Report): void {
  list.forEach((item, i) => {
    if (i > 0 && !(item > list[i - 1]!)) report(`${field}/${i}`, `${what} must be strictly increasing`);
  });
}

function checkSuffixClashes(families: Map<string, Family | number>, list: readonly MetricRecord[], issues: Problem[]): void {
  const indexOf = (entry: Family | number): number => (typeof entry === 'number' ? (entry < 0 ? ~entry : entry) : entry.index);
  for (const [name, entry] of families) {
    const index = indexOf(entry);
    const type = typeof entry === 'number' ? list[index]!.metric_type : entry.type;
    for (const suffix of suffixesByType[type] ?? []) {
      const clash = families.get(name + suffix);
      if (clash !== undefined) {
        issues.push({
          record: indexOf(clash),
          field: '/name',
          message: { record: index, say: (place) => `"${name}${suffix}" is also a sample name of the ${type} "${name}" at ${place}` },
        });
      }
    }
  }
}

function toValidRecord(record: MetricRecord, index: number, familyName: string, help: string, labels: Labels, parsed: ParsedValue): ValidRecord {
  // Literal objects, not spreads of a common base: this runs once per record, 100,000 times for a large push.
  // The family's strings, equal to the record's (checkFamily): 100,000 records of one family then hold one copy.
  switch (record.metric_type) {
    case 'gauge':
    case 'counter':
      return { index, name: familyName, help, labels, type: record.metric_type, value: parsed.value!, expect: record.expect };
    case 'summary':
      return { index, name: familyName, help, labels, type: 'summary', observations: parsed.observations!, quantiles: record.quantiles };
    case 'histogram':
      return { index, name: familyName, help, labels, type: 'histogram', observations: parsed.observations!, buckets: record.buckets };
    case 'info':
      return { index, name: familyName, help, labels, type: 'info', info: parsed.info! };
  }
}
