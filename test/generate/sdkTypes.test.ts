import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardJson, jobDashboard, overviewDashboard } from '../../src/generate/dashboard.js';
import { validate } from '../../src/validate/index.js';
import { REPO_ROOT } from '../workflows/manifests.js';
import { checkedDashboardTypes, typecheckJson } from './typecheckJson.js';

/**
 * The generated JSON, pasted into TypeScript as an object literal, must satisfy the foundation SDK's
 * types: the Dashboard, each panel's `options` and `fieldConfig.defaults.custom` by its plugin's own
 * types, each query as the SDK's Prometheus query. Object literals get excess-property checks, so a
 * misspelt or unknown field fails too. JSON holds plain strings where the SDK declares string enums,
 * so the check reads each enum as the union of its values.
 */
const CHECKED_TYPES = checkedDashboardTypes(
  `import type * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';`,
  "AsJson<Omit<prometheus.Dataquery, '_implementsDataqueryVariant'>>",
);

const typecheck = (dashboards: Record<string, string>) => typecheckJson(CHECKED_TYPES, dashboards, 'sdk-typecheck');

const example = (path: string) => validate(JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')), { job: 'j' });

describe('generated dashboards against the Grafana foundation SDK’s types', () => {
  it('type-check as the SDK’s Dashboard, each panel by its plugin’s types, and a broken copy does not', () => {
    const training = dashboardJson(
      jobDashboard(example('examples/training-run.json'), {
        job: 'train',
        grouping: { instance: 'a' },
        expectedRanges: new Map([['model_accuracy_ratio', { min: 0.9 }]]),
        maxPushAgeSeconds: 86_400,
      }),
    );
    const broken = JSON.parse(training) as {
      panels: { options?: Record<string, unknown>; repeatDirection?: string; fieldConfig?: { defaults: { thresholds: { mode: string } } } }[];
    };
    broken.panels[1]!.options!.colourMode = 'value';
    broken.panels[2]!.repeatDirection = 'diagonal';
    broken.panels[3]!.fieldConfig!.defaults.thresholds.mode = 'absolut';
    const messages = typecheck({
      training,
      timedJob: dashboardJson(jobDashboard(example('examples/timed-job.json'), { job: 'timed-job' })),
      overview: dashboardJson(overviewDashboard()),
      broken: JSON.stringify(broken, null, 2),
    });
    expect(messages.training).toEqual([]);
    expect(messages.timedJob).toEqual([]);
    expect(messages.overview).toEqual([]);
    expect(messages.broken!.join('\n')).toMatch(/colourMode/);
    expect(messages.broken!.join('\n')).toMatch(/diagonal/);
    expect(messages.broken!.join('\n')).toMatch(/"absolut"/);
  }, 120_000);
});
