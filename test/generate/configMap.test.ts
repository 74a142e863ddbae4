import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { dashboardConfigMap, dashboardJson, jobConfigMapName, jobDashboard, overviewDashboard } from '../../src/generate/dashboard.js';
import type { MetricRecord } from '../../src/records.js';
import { validate } from '../../src/validate/index.js';
import { kubernetesModel } from '../workflows/kubernetesModels.js';

interface ConfigMap {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  data: Record<string, string>;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

function configMapOf(json: string, options: Parameters<typeof dashboardConfigMap>[1]): ConfigMap {
  const configMap = parse(dashboardConfigMap(json, options)) as ConfigMap;
  const Model = kubernetesModel('v1', 'ConfigMap')!;
  expect(() => new Model(configMap).validate()).not.toThrow();
  return configMap;
}

describe('the dashboard as a ConfigMap', () => {
  const json = dashboardJson(overviewDashboard());

  it('holds the dashboard JSON unchanged under <name>.json, with the label kube-prometheus-stack’s Grafana sidecar selects', () => {
    const configMap = configMapOf(json, { name: 'simplepipe-overview' });
    expect(configMap).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'simplepipe-overview' } });
    expect(configMap.metadata.labels).toEqual({ grafana_dashboard: '1', 'app.kubernetes.io/name': 'simplepipe' });
    expect(configMap.data).toEqual({ 'simplepipe-overview.json': json });
  });

  it('carries another label when asked, its value kept a string', () => {
    const configMap = configMapOf(json, { name: 'n', label: { name: 'example.com/dashboard', value: 'true' } });
    expect(configMap.metadata.labels['example.com/dashboard']).toBe('true');
    expect(configMap.metadata.labels.grafana_dashboard).toBeUndefined();
    const numeric = configMapOf(json, { name: '1', label: { name: 'grafana_dashboard', value: '' } });
    expect(numeric.metadata.name).toBe('1');
    expect(numeric.metadata.labels.grafana_dashboard).toBe('');
  });

  it('round-trips any file’s dashboard exactly, whatever Unicode its HELP texts and labels hold', () => {
    const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 16 });
    fc.assert(
      fc.property(text, text, text, (help, label, job) => {
        const records: MetricRecord[] = [
          { name: 'm', description: help, value: 1, metric_type: 'gauge', labels: { l: label } },
          { name: 'facts', description: help, value: { v: label }, metric_type: 'info' },
        ];
        const dashboardText = dashboardJson(jobDashboard(validate(records, { job }), { job }));
        const name = jobConfigMapName(job);
        const yaml = dashboardConfigMap(dashboardText, { name });
        // kubectl reads YAML 1.1, where U+0085, U+2028 and U+2029 break lines and C1 controls are refused:
        // printable ASCII means every YAML parser reads the same text.
        expect(yaml).toMatch(/^[\x20-\x7e\n]+$/);
        expect(parse(yaml).data[`${name}.json`]).toBe(dashboardText);
      }),
      { numRuns: 100 },
    );
  });
});

describe('a job’s ConfigMap name', () => {
  it('is the job itself when the job is a valid name', () => {
    expect(jobConfigMapName('timed-job')).toBe('simplepipe-job-timed-job');
    expect(jobConfigMapName('overview')).not.toBe('simplepipe-overview');
  });

  it('is a valid name and data key for any job, and distinct jobs get distinct names', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), fc.string({ unit: 'binary', minLength: 1 }), (a, b) => {
        const name = jobConfigMapName(a);
        expect(name).toMatch(DNS_SUBDOMAIN);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(`${name}.json`).toMatch(CONFIGMAP_KEY);
        if (a !== b) expect(jobConfigMapName(b)).not.toBe(name);
      }),
    );
    expect(jobConfigMapName('Train')).not.toBe(jobConfigMapName('train'));
    expect(jobConfigMapName('a_b')).not.toBe(jobConfigMapName('a.b'));
  });
});
