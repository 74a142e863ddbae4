import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { runMain } from '../support/runMain.js';
import { kubernetesModel } from '../workflows/kubernetesModels.js';
import { kustomize } from '../workflows/kustomize.js';
import type { Manifest } from '../workflows/manifests.js';
import { manyMetrics } from './manyMetrics.js';

/**
 * A file of 500 metrics, its dashboard as ConfigMaps rendered by the real `kubectl kustomize` into a
 * namespace as `kubectl apply -n` would place them, and measured as the API server measures them.
 */

/** Kubernetes refuses an object whose annotations pass this many bytes in all (keys and values). */
const ANNOTATIONS_LIMIT = 262_144;
/** ... and a ConfigMap whose data passes 1 MiB. */
const CONFIGMAP_DATA_LIMIT = 1_048_576;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const METRICS = 500;

/**
 * The annotation `kubectl apply` would add, in bytes: the object as Go's encoding/json writes it, which
 * escapes `<`, `>` and `&` as \u003c and friends; the text is printable ASCII otherwise. Written here
 * apart from the generator's own estimate, which it checks.
 */
function lastAppliedBytes(object: Record<string, unknown>): number {
  return Buffer.byteLength(`${JSON.stringify(object).replace(/[<>&]/g, (char) => `\\u00${char.charCodeAt(0).toString(16)}`)}\n`);
}

const isRow = (panel: Panel | RowPanel): panel is RowPanel => panel.type === 'row';
const rows = (dashboard: Dashboard) => (dashboard.panels ?? []).filter(isRow);
/** The metric families a dashboard shows, by the name in its titles: the panels of a family share one. */
const familiesOf = (dashboard: Dashboard): string[] => {
  const panels = (dashboard.panels ?? []).flatMap((panel) => (isRow(panel) ? panel.panels : [panel]));
  return [...new Set(panels.flatMap((panel) => /\((stage\w+)\)$/.exec(panel.title ?? '')?.[1] ?? []))];
};

let manifests: Manifest[];
let dashboards: Dashboard[];
const file = tempFile(manyMetrics(METRICS));

beforeAll(async () => {
  const run = await runMain(['dashboard', file, 'train', '--format', 'configmap']);
  expect(run.code, run.stderr).toBe(0);
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-dashboards-'));
  try {
    writeFileSync(join(dir, 'dashboards.yaml'), run.stdout);
    // The longest namespace there is: its name goes into the annotation too.
    writeFileSync(join(dir, 'kustomization.yaml'), `namespace: ${'n'.repeat(63)}\nresources:\n  - dashboards.yaml\n`);
    manifests = kustomize(dir, `the ConfigMaps of ${METRICS} metrics`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  dashboards = manifests.map((manifest) => {
    const data = manifest.object.data as Record<string, string>;
    return JSON.parse(data[`${manifest.name}.json`]!) as Dashboard;
  });
}, 120_000);

afterAll(() => rmSync(file, { force: true }));

describe(`the dashboard of ${METRICS} metrics as ConfigMaps`, () => {
  it('comes as several valid ConfigMaps, each within what kubectl apply can annotate and a ConfigMap can hold', () => {
    expect(manifests.length).toBeGreaterThan(1);
    const Model = kubernetesModel('v1', 'ConfigMap')!;
    for (const manifest of manifests) {
      expect(manifest.kind).toBe('ConfigMap');
      expect(() => new Model(manifest.object).validate()).not.toThrow();
      expect(LAST_APPLIED.length + lastAppliedBytes(manifest.object), manifest.name).toBeLessThanOrEqual(ANNOTATIONS_LIMIT);
      const data = Object.values(manifest.object.data as Record<string, string>).join('');
      expect(Buffer.byteLength(data), manifest.name).toBeLessThanOrEqual(CONFIGMAP_DATA_LIMIT);
    }
    expect(manifests.map((m) => m.name)).toEqual(manifests.map((_, i) => (i === 0 ? 'simplepipe-job-train' : `simplepipe-job-train-${i + 1}`)));
  });

  it('shows every metric once across the parts, in the order of the file', () => {
    const names = manyMetrics(METRICS).metrics.map((metric) => metric.name);
    expect(dashboards.flatMap(familiesOf)).toEqual(names);
  });

  it('gives each part its own uid and a drop-down of the others; the first is the whole dashboard’s, with the health row', () => {
    const uids = dashboards.map((dashboard) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(dashboards[0]!.title).toBe('train (simplepipe)');
    expect(rows(dashboards[0]!)[0]!.title).toBe('Pipeline health');
    const tag = dashboards[0]!.tags!.find((t) => t !== 'simplepipe')!;
    for (const dashboard of dashboards) {
      expect(dashboard.tags).toEqual(['simplepipe', tag]);
      expect(dashboard.links).toContainEqual(expect.objectContaining({ type: 'dashboards', tags: [tag], includeVars: true, keepTime: true }));
    }
    for (const dashboard of dashboards.slice(1)) expect(rows(dashboard).map((row) => row.title)).not.toContain('Pipeline health');
  });

  it('opens three metrics in each part and collapses the rest in rows of ten that name their metrics', () => {
    for (const dashboard of dashboards) {
      const metricRows = rows(dashboard).filter((row) => row.title !== 'Pipeline health');
      expect(metricRows[0]!.collapsed).toBe(false);
      expect(metricRows[0]!.panels).toEqual([]);
      for (const row of metricRows.slice(1)) {
        expect(row.collapsed, row.title).toBe(true);
        expect(row.title).toMatch(/^Metrics? \d+( to \d+)?: stage\w+( to stage\w+)?$/);
        expect(new Set(row.panels.map((panel) => /\((stage\w+)\)$/.exec(panel.title ?? '')?.[1])).size).toBeLessThanOrEqual(10);
      }
    }
  });
});

describe(`the dashboard of ${METRICS} metrics as JSON`, () => {
  it('is one dashboard of every metric: a file, the HTTP API and provisioning have no size limit', async () => {
    const run = await runMain(['dashboard', file, 'train']);
    expect(run.code, run.stderr).toBe(0);
    const dashboard = JSON.parse(run.stdout) as Dashboard;
    expect(familiesOf(dashboard)).toHaveLength(METRICS);
    expect(rows(dashboard).filter((row) => !row.collapsed).map((row) => row.title)).toEqual(['Pipeline health', 'Metrics 1 to 3: stage00_metric0_seconds to stage00_metric2_ratio']);
  });
});
