import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * How a dashboard lays out many metric families: the first few on the first screen, under the health
 * row, the rest in collapsed rows of ten. Grafana queries a collapsed row's panels only once it is
 * opened, so a file of 500 metrics opens as fast as one of three, and each row's title names its metrics.
 */

/** Families shown open: with the health row above them, about one screen of 1080 pixels. */
export const FIRST_SCREEN = 3;
/** Families per collapsed row. */
export const ROW_FAMILIES = 10;

/** A run of families, numbered from 1 in the order of the file, and the names of the first and last. */
export interface FamilySpan {
  from: number;
  names: readonly string[];
}

/** A row of the first FIRST_SCREEN families of `span` (open), then rows of ROW_FAMILIES (collapsed). */
export function rowSpans(span: FamilySpan): { span: FamilySpan; collapsed: boolean }[] {
  const rows = [{ span: sub(span, 0, FIRST_SCREEN), collapsed: false }];
  for (let start = FIRST_SCREEN; start < span.names.length; start += ROW_FAMILIES) rows.push({ span: sub(span, start, start + ROW_FAMILIES), collapsed: true });
  return rows;
}

const sub = (span: FamilySpan, start: number, end: number): FamilySpan => ({ from: span.from + start, names: span.names.slice(start, end) });

/** `Metrics 4 to 13: first_name to last_name`; a lone row of the whole file is just `Metrics`. */
export function rowTitle(span: FamilySpan, whole: boolean): string {
  if (whole) return 'Metrics';
  const to = span.from + span.names.length - 1;
  const first = span.names[0]!;
  const last = span.names.at(-1)!;
  return to === span.from ? `Metric ${span.from}: ${first}` : `Metrics ${span.from} to ${to}: ${first} to ${last}`;
}

/** A row holding `panels`: an open row is followed by its panels on the dashboard; a collapsed one holds them. */
export function metricRow(title: string, collapsed: boolean, panels: readonly cog.Builder<Panel>[]): { row: RowBuilder; after: readonly cog.Builder<Panel>[] } {
  const row = new RowBuilder(title);
  if (!collapsed) return { row, after: panels };
  for (const panel of panels) row.withPanel(panel);
  return { row, after: [] };
}
