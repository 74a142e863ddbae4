import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OVERLAYS_DIR, overlayNames } from './kustomize.js';
import { parseManifests } from './manifests.js';
import { discoveredNamespace, prometheusConfigJobs, type ScrapeConfig } from './scrapeConfigs.js';
import { tenantLabelProblems } from './tenantLabel.js';

/**
 * workflows/prometheus/prometheus.yml as written. Debian's Prometheus is built without Kubernetes discovery,
 * so neither promtool nor the server can load the file as it is: its discovery is checked here, and everything
 * else runs in a real Prometheus in tenancy.test.ts, behind static targets that stand in for the discovery.
 */
const jobs = prometheusConfigJobs();
const overlayNamespaces = [...new Set(overlayNames().map((overlay) => String(parseManifests(join(OVERLAYS_DIR, overlay, 'kustomization.yaml'))[0]!.object.namespace)))].sort();
const relabels = (job: ScrapeConfig, key: string) => (job[key] ?? []) as { source_labels?: string[]; target_label?: string; regex?: string; action?: string }[];

describe('workflows/prometheus/prometheus.yml', () => {
  it('has one job per namespace an overlay installs a gateway in, each discovering endpoints in that namespace only', () => {
    expect(jobs.map(discoveredNamespace).sort()).toEqual(overlayNamespaces);
    expect(new Set(jobs.map((job) => job.job_name)).size).toBe(jobs.length);
  });

  it.each(jobs.map((job) => [String(job.job_name), job]))('%s keeps only its namespace’s gateway endpoints', (_, job) => {
    const namespace = discoveredNamespace(job);
    const keep = relabels(job, 'relabel_configs').filter((rule) => rule.action === 'keep');
    expect(keep).toHaveLength(1);
    const sources = keep[0]!.source_labels!;
    const regex = new RegExp(`^(?:${keep[0]!.regex})$`);
    const endpoint = (labels: Record<string, string>) => sources.map((name) => labels[name] ?? '').join(';');
    const gateway = {
      __meta_kubernetes_namespace: namespace,
      __meta_kubernetes_service_label_app_kubernetes_io_name: 'pushgateway',
      __meta_kubernetes_endpoint_port_name: 'http',
    };
    expect(regex.test(endpoint(gateway))).toBe(true);
    expect(regex.test(endpoint({ ...gateway, __meta_kubernetes_namespace: `${namespace}-other` }))).toBe(false);
    expect(regex.test(endpoint({ ...gateway, __meta_kubernetes_service_label_app_kubernetes_io_name: 'model-server' }))).toBe(false);
    expect(regex.test(endpoint({ ...gateway, __meta_kubernetes_endpoint_port_name: 'metrics' }))).toBe(false);
  });

  it.each(jobs.map((job) => [String(job.job_name), job]))('%s honours the pushed labels, then stamps namespace with its own and drops exported_namespace', (_, job) => {
    expect(tenantLabelProblems(job.honor_labels as boolean | undefined, relabels(job, 'metric_relabel_configs'), discoveredNamespace(job))).toEqual([]);
  });

  it.each(jobs.map((job) => [String(job.job_name), job]))('%s labels its target (and so `up`) with the discovered namespace', (_, job) => {
    expect(relabels(job, 'relabel_configs')).toContainEqual({ source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' });
  });
});
