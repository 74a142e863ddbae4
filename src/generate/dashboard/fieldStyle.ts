import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  MappingType,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type Threshold,
  type ThresholdsConfig,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';

/** Values that stand for an outcome: value → the text shown instead, and its colour. */
export type Outcomes = Readonly<Record<string, { text: string; color: string }>>;

/** How a panel shows its values, whatever kind of panel it is. */
export interface FieldStyle {
  unit?: string;
  min?: number;
  max?: number;
  /** Value → text shown instead, and its colour (1 → Succeeded in green). */
  outcomes?: Outcomes;
  /** Colour steps, lowest first; without them every value is drawn in the theme's text colour. */
  steps?: readonly Threshold[];
}

/** The setters every panel builder of the SDK has for its field defaults. */
export interface FieldSetters {
  unit(unit: string): unknown;
  min(min: number): unknown;
  max(max: number): unknown;
  mappings(mappings: ValueMapping[]): unknown;
  thresholds(thresholds: cog.Builder<ThresholdsConfig>): unknown;
}

// Grafana gives a panel without thresholds its plugin's default, red from 80 up: a row count would be red.
const NEUTRAL: readonly Threshold[] = [{ value: null, color: 'text' }];

export function styleField<Panel extends FieldSetters>(panel: Panel, style: FieldStyle): Panel {
  if (style.unit !== undefined) panel.unit(style.unit);
  if (style.min !== undefined) panel.min(style.min);
  if (style.max !== undefined) panel.max(style.max);
  if (style.outcomes) panel.mappings(outcomeMappings(style.outcomes));
  panel.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([...(style.steps ?? NEUTRAL)]));
  return panel;
}

export function outcomeMappings(outcomes: Outcomes): ValueMapping[] {
  const options = Object.fromEntries(Object.entries(outcomes).map(([value, result], index) => [value, { ...result, index }]));
  return [{ type: MappingType.ValueToText, options }];
}

/** Inclusive bounds a value is expected within: a metric file's `expect: {min, max}`. */
export interface ExpectedRange {
  min?: number;
  max?: number;
}

/**
 * Colour steps for an expected range: red below `min`, green from `min`, red from `max`. The bounds are
 * the numbers the file wrote, so that the panel's editor shows them as written. Grafana gives a value the
 * colour of the highest step at or below it, so a value exactly at `max` is drawn red, though the alert
 * rules count it in range: a float one step above `max` would print as 86400.00000000001.
 */
export function rangeSteps(range: ExpectedRange): Threshold[] {
  const steps: Threshold[] = [{ value: null, color: range.min === undefined ? 'green' : 'red' }];
  if (range.min !== undefined) steps.push({ value: range.min, color: 'green' });
  if (range.max !== undefined) steps.push({ value: range.max, color: 'red' });
  return steps;
}
