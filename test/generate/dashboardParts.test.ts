import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dashboardJson, jobDashboard, jobDashboardParts } from '../../src/generate/dashboard.js';
import { DataError } from '../../src/errors.js';
import { validate } from '../../src/validate/index.js';
import { manyMetrics } from './manyMetrics.js';

const records = validate(manyMetrics(60), { job: 'big' });
const isRow = (panel: Panel | RowPanel): panel is RowPanel => panel.type === 'row';
/** The metric names a dashboard's panels read, in order. */
const familiesOf = (dashboard: Dashboard): string[] => {
  const panels = (dashboard.panels ?? []).flatMap((panel) => (isRow(panel) ? panel.panels : [panel]));
  return [...new Set(panels.flatMap((panel) => /\((stage\w+)\)$/.exec(panel.title ?? '')?.[1] ?? []))];
};
const size = (dashboard: Dashboard) => dashboardJson(dashboard).length;

describe('a dashboard in parts', () => {
  const whole = jobDashboard(records, { job: 'big' });

  it('is the whole dashboard when it fits', () => {
    expect(jobDashboardParts(records, { job: 'big' }, () => true).map(dashboardJson)).toEqual([dashboardJson(whole)]);
  });

  it('for budgets down to a sixth of the whole, holds every family once, in order, each part within the budget', () => {
    fc.assert(
      fc.property(fc.integer({ min: Math.ceil(size(whole) / 6), max: size(whole) }), (budget) => {
        const parts = jobDashboardParts(records, { job: 'big' }, (dashboard) => size(dashboard) <= budget);
        expect(parts.flatMap(familiesOf)).toEqual(familiesOf(whole));
        for (const part of parts) expect(size(part)).toBeLessThanOrEqual(budget);
        expect(parts.map((part) => part.uid)).toEqual(parts.map((_, i) => (i === 0 ? whole.uid : `${whole.uid}-${i + 1}`)));
        if (budget < size(whole)) expect(parts.length).toBeGreaterThan(1);
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  it('refuses a family that fits in no part, naming it', () => {
    expect(() => jobDashboardParts(records, { job: 'big' }, () => false)).toThrow(DataError);
    expect(() => jobDashboardParts(records, { job: 'big' }, () => false)).toThrow(/"stage00_metric0_seconds"/);
  });
});
