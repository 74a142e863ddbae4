import type { Labels, MetricType } from '../records.js';

/**
 * A name that breaks a Prometheus naming convention, as `promtool check metrics` reports it: `metric`
 * and `text` are promtool's own words. Names are never rewritten: the pushed name is the name written.
 */
export interface NamingProblem {
  /** The exposed family name (an info record's with `_info`). */
  metric: string;
  /** promtool's text, e.g. `counter metrics should have "_total" suffix`. */
  text: string;
  /** The record (its index in the file's list) whose name or label is at fault. */
  index: number;
  /** The label at fault, for a problem with a label name. */
  label?: string;
}

// The rules of client_golang's promlint (prometheus/testutil/promlint, v1.14, which promtool 2.42 runs),
// in its order, with its texts.
const TYPE_NAMES = ['counter', 'gauge', 'summary', 'histogram'];
const ABBREVIATIONS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];
const BASE_UNIT_OF: Record<string, string> = {
  amperes: 'amperes', bytes: 'bytes', celsius: 'celsius', grams: 'grams', joules: 'joules', kelvin: 'kelvin',
  meters: 'meters', metres: 'metres', seconds: 'seconds', volts: 'volts',
  minutes: 'seconds', hours: 'seconds', days: 'seconds', weeks: 'seconds',
  kelvins: 'kelvin', fahrenheit: 'celsius', rankine: 'celsius',
  inches: 'meters', yards: 'meters', miles: 'meters',
  bits: 'bytes', calories: 'joules', pounds: 'grams', ounces: 'grams',
};
const PREFIXES = ['', 'pico', 'nano', 'micro', 'milli', 'centi', 'deci', 'deca', 'hecto', 'kilo', 'kibi', 'mega', 'mibi', 'giga', 'gibi', 'tera', 'tebi', 'peta', 'pebi'];
/** Every name part that is a unit, prefixed or not, and its base unit. */
const UNIT_PARTS = new Map(PREFIXES.flatMap((prefix) => Object.entries(BASE_UNIT_OF).map(([unit, base]) => [prefix + unit, base] as const)));
const CAMEL_CASE = /[a-z][A-Z]/;
/**
 * A first look that clean names pass in one regular expression each (100,000 distinct names cost a
 * few ms, where the full rules below cost some 100 ms): a part after the first that is a type name or
 * an abbreviation, a reserved suffix, a colon, camelCase, or a unit that is not a base unit.
 */
const MAY_BREAK_A_RULE = new RegExp(
  [
    `_(?:${[...TYPE_NAMES, ...ABBREVIATIONS].join('|')})(?:_|$)`,
    '_(?:total|bucket|count|sum)$',
    ':',
    `(?:^|_)(?:(?:${PREFIXES.slice(1).join('|')})[a-z]+|${Object.keys(BASE_UNIT_OF).filter((unit) => BASE_UNIT_OF[unit] !== unit).join('|')})(?:_|$)`,
  ].join('|'),
  'i',
);

/**
 * The naming problems of a family's name, as promtool reports them on the exposition (an info family
 * is a gauge there). Where promtool's choice is random (a name with two unit words: it looks them up in
 * a Go map), the first unit in the name that is not a base unit is named. Run once per family.
 */
export function lintName(name: string, metricType: MetricType, index: number, problems: NamingProblem[]): void {
  const type = metricType === 'info' ? 'gauge' : metricType;
  const add = (text: string): void => {
    problems.push({ metric: name, text, index });
  };
  if (!MAY_BREAK_A_RULE.test(name) && !CAMEL_CASE.test(name)) {
    if (type === 'counter') add('counter metrics should have "_total" suffix');
    return;
  }

  const parts = name.split('_');
  const unit = parts.find((part) => UNIT_PARTS.has(part) && UNIT_PARTS.get(part) !== part);
  if (unit !== undefined) add(`use base unit "${UNIT_PARTS.get(unit)}" instead of "${unit}"`);

  const hasTotal = name.endsWith('_total');
  if (type === 'counter' && !hasTotal) add('counter metrics should have "_total" suffix');
  if (type !== 'counter' && hasTotal) add('non-counter metrics should not have "_total" suffix');

  const histogram = type === 'histogram';
  const summary = type === 'summary';
  if (!histogram && name.endsWith('_bucket')) add('non-histogram metrics should not have "_bucket" suffix');
  if (!histogram && !summary && name.endsWith('_count')) add('non-histogram and non-summary metrics should not have "_count" suffix');
  if (!histogram && !summary && name.endsWith('_sum')) add('non-histogram and non-summary metrics should not have "_sum" suffix');

  // promlint looks for `_<part>_` or a final `_<part>` in the lower-cased name, i.e. a part after the first.
  const lower = /[A-Z]/.test(name) ? name.toLowerCase().split('_') : parts;
  const hasPart = (part: string): boolean => lower.indexOf(part, 1) !== -1;
  for (const typeName of TYPE_NAMES) if (hasPart(typeName)) add(`metric name should not include type '${typeName}'`);
  if (lower.some((part, i) => i > 0 && part === 'gauge' && lower[i + 1] === 'histogram')) add("metric name should not include type 'gauge_histogram'");
  if (name.includes(':')) add("metric names should not contain ':'");
  if (CAMEL_CASE.test(name)) add("metric names should be written in 'snake_case' not 'camelCase'");
  if (ABBREVIATIONS.some(hasPart)) add('metric names should not contain abbreviated units');
}

/**
 * The naming problems of one series' label names, each label once per family (`seen`, null until the
 * family's first label): `le` beyond histograms, `quantile` beyond summaries, camelCase.
 * Returns the labels seen so far.
 */
export function lintLabelNames(
  name: string,
  metricType: MetricType,
  labels: Labels,
  index: number,
  seen: Set<string> | null,
  problems: NamingProblem[],
): Set<string> | null {
  let known = seen;
  for (const label in labels) {
    known ??= new Set<string>();
    if (known.has(label)) continue;
    known.add(label);
    const add = (text: string): void => {
      problems.push({ metric: name, text, index, label });
    };
    if (metricType !== 'histogram' && label === 'le') add('non-histogram metrics should not have "le" label');
    if (metricType !== 'summary' && label === 'quantile') add('non-summary metrics should not have "quantile" label');
    if (CAMEL_CASE.test(label)) add("label names should be written in 'snake_case' not 'camelCase'");
  }
  return known;
}
