import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardJson, jobDashboard, jobDashboardParts, overviewDashboard } from '../../src/generate/dashboard.js';
import { MINIMUM_GRAFANA } from '../../src/generate/dashboard/frame.js';
import { validate } from '../../src/validate/index.js';
import { REPO_ROOT } from '../workflows/manifests.js';
import { manyMetrics } from './manyMetrics.js';
import { checkedDashboardTypes, typecheckJson } from './typecheckJson.js';

/**
 * The generated JSON against the schema of the oldest Grafana it is made for: `@grafana/schema` at that
 * version (a dev dependency pinned to it), which Grafana generates from its CUE schema. The dashboard by
 * its Dashboard type, each panel's options and custom field config by its plugin's own types, each query
 * by the schema's DataQuery. The foundation SDK's types (sdkTypes.test.ts) follow Grafana's main branch.
 */
const composable = (plugin: string, file: string) => `@grafana/schema/dist/types/raw/composable/${plugin}/panelcfg/x/${file}_types.gen.js`;
const CHECKED_TYPES = checkedDashboardTypes(
  `import type * as dashboard from '@grafana/schema';
import type * as common from '@grafana/schema/dist/types/common/common.gen.js';
import type * as bargauge from '${composable('bargauge', 'BarGaugePanelCfg')}';
import type * as stat from '${composable('stat', 'StatPanelCfg')}';
import type * as statetimeline from '${composable('statetimeline', 'StateTimelinePanelCfg')}';
import type * as table from '${composable('table', 'TablePanelCfg')}';
import type * as timeseries from '${composable('timeseries', 'TimeSeriesPanelCfg')}';`,
  // The schema has no Prometheus query: a query is its DataQuery, and whatever the data source adds.
  'AsJson<common.DataQuery> & Record<string, unknown>',
);

const example = (path: string) => validate(JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')), { job: 'j' });
const schemaPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@grafana/schema/package.json'), 'utf8')) as { version: string };
/** The schemaVersion of the dashboards Grafana writes at that version, from the package's own defaults. */
const schemaVersionOfPackage = (): number =>
  Number(/schemaVersion: (\d+)/.exec(readFileSync(join(REPO_ROOT, 'node_modules/@grafana/schema/dist/esm/raw/dashboard/x/dashboard_types.gen.mjs'), 'utf8'))?.[1]);

describe(`generated dashboards against @grafana/schema ${MINIMUM_GRAFANA.version}, the oldest Grafana they are made for`, () => {
  it('is the version installed, and its dashboards have the schemaVersion the generator writes', () => {
    expect(schemaPackage.version).toBe(MINIMUM_GRAFANA.version);
    expect(schemaVersionOfPackage()).toBe(MINIMUM_GRAFANA.schemaVersion);
    expect(jobDashboard(example('examples/timed-job.json'), { job: 't' }).schemaVersion).toBe(MINIMUM_GRAFANA.schemaVersion);
  });

  it('type-check: every kind of panel, collapsed rows, a split dashboard, the overview; a broken copy does not', () => {
    const training = dashboardJson(
      jobDashboard(example('examples/training-run.json'), { job: 'train', grouping: { instance: 'a' }, expectedRanges: new Map([['model_accuracy_ratio', { min: 0.9 }]]), maxPushAgeSeconds: 86_400 }),
    );
    const big = validate(manyMetrics(40), { job: 'big' });
    const half = dashboardJson(jobDashboard(big, { job: 'big' })).length / 2;
    const [, secondPart] = jobDashboardParts(big, { job: 'big' }, (dashboard) => dashboardJson(dashboard).length <= half);
    const broken = JSON.parse(training) as { panels: { options?: Record<string, unknown>; fieldConfig?: { defaults: { thresholds: { mode: string } } } }[] };
    broken.panels[1]!.options!.colourMode = 'value';
    broken.panels[3]!.fieldConfig!.defaults.thresholds.mode = 'absolut';
    const messages = typecheckJson(
      CHECKED_TYPES,
      { training, part: dashboardJson(secondPart!), overview: dashboardJson(overviewDashboard()), broken: JSON.stringify(broken, null, 2) },
      'grafana-schema-typecheck',
    );
    expect(messages.training).toEqual([]);
    expect(messages.part).toEqual([]);
    expect(messages.overview).toEqual([]);
    expect(messages.broken!.join('\n')).toMatch(/colourMode/);
    expect(messages.broken!.join('\n')).toMatch(/"absolut"/);
  }, 120_000);
});
