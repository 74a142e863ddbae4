import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PROMETHEUS_CONFIG, type Manifest } from './manifests.js';
import { renderedManifest, secretValues, type RenderedOverlay } from './kustomize.js';

/**
 * Scrape configs for a real Prometheus, derived from what we ship. Kubernetes service discovery is the one
 * part a test cannot run, so a static target stands in for it, carrying the labels discovery would give.
 */
export type ScrapeConfig = Record<string, unknown>;

/** The Prometheus Operator's RelabelConfig fields, camelCase, and their prometheus.yml names. */
const RELABEL_FIELDS: Record<string, string> = {
  sourceLabels: 'source_labels',
  separator: 'separator',
  targetLabel: 'target_label',
  regex: 'regex',
  modulus: 'modulus',
  replacement: 'replacement',
  action: 'action',
};

/** One ServiceMonitor relabelling as prometheus.yml writes it; a field the Operator has that this does not know throws. */
export function relabelConfig(rule: Record<string, unknown>): ScrapeConfig {
  return Object.fromEntries(
    Object.entries(rule).map(([field, value]) => {
      const name = RELABEL_FIELDS[field];
      if (!name) throw new Error(`relabelling field ${field} is not converted: ${JSON.stringify(rule)}`);
      return [name, field === 'action' ? String(value).toLowerCase() : value];
    }),
  );
}

interface Endpoint {
  port: string;
  path?: string;
  honorLabels?: boolean;
  metricRelabelings?: Record<string, unknown>[];
  relabelings?: Record<string, unknown>[];
  basicAuth?: { username: { name: string; key: string }; password: { name: string; key: string } };
}

/**
 * The scrape job the Prometheus Operator generates for an overlay's ServiceMonitor, against `target`
 * (host:port of a real gateway). The static labels are the target labels the Operator's relabelling of the
 * discovered endpoint sets (namespace, service, endpoint, job = the Service's name); honor_labels, the path,
 * metric_relabel_configs and basic auth (from the rendered Secret) are the ServiceMonitor's own. The interval is
 * left to the test's Prometheus (1 s), not the ServiceMonitor's 30 s.
 */
export function serviceMonitorScrapeConfig(overlay: RenderedOverlay, target: string): ScrapeConfig {
  const monitor = renderedManifest(overlay, 'ServiceMonitor', 'pushgateway');
  const namespace = namespaceOf(monitor);
  const { selector, endpoints } = monitor.object.spec as { selector: { matchLabels: Record<string, string> }; endpoints: Endpoint[] };
  const service = overlay.manifests.find((m) => m.kind === 'Service' && matches(labelsOf(m), selector.matchLabels));
  if (!service) throw new Error(`overlay ${overlay.name}: the ServiceMonitor selects no Service`);
  if (endpoints.length !== 1) throw new Error(`overlay ${overlay.name}: expected one ServiceMonitor endpoint, found ${endpoints.length}`);
  const endpoint = endpoints[0]!;
  if (endpoint.relabelings?.length) throw new Error(`overlay ${overlay.name}: target relabelings are not converted`);
  const ports = (service.object.spec as { ports: { name: string }[] }).ports;
  if (!ports.some((port) => port.name === endpoint.port)) throw new Error(`overlay ${overlay.name}: the Service has no port ${endpoint.port}`);

  return {
    job_name: `serviceMonitor/${namespace}/${monitor.name}/0`,
    honor_labels: endpoint.honorLabels ?? false,
    metrics_path: endpoint.path ?? '/metrics',
    static_configs: [{ targets: [target], labels: { namespace, service: service.name, endpoint: endpoint.port, job: service.name } }],
    ...(endpoint.metricRelabelings ? { metric_relabel_configs: endpoint.metricRelabelings.map(relabelConfig) } : {}),
    ...(endpoint.basicAuth
      ? {
          basic_auth: {
            username: secretValue(overlay, endpoint.basicAuth.username),
            password: secretValue(overlay, endpoint.basicAuth.password),
          },
        }
      : {}),
  };
}

/** A discovered Kubernetes endpoint: what role `endpoints` service discovery would report for one gateway port. */
export interface DiscoveredEndpoint {
  address: string;
  namespace: string;
  service: string;
  serviceLabels: Record<string, string>;
  portName: string;
  pod: string;
}

/** The jobs of workflows/prometheus/prometheus.yml, as written. */
export function prometheusConfigJobs(): ScrapeConfig[] {
  const config = parse(readFileSync(PROMETHEUS_CONFIG, 'utf8')) as { scrape_configs: ScrapeConfig[] };
  return config.scrape_configs;
}

/** The one namespace a prometheus.yml job's Kubernetes discovery looks in; anything but role endpoints in named namespaces throws. */
export function discoveredNamespace(job: ScrapeConfig): string {
  const discovery = job.kubernetes_sd_configs as { role?: string; namespaces?: { names?: string[] } }[] | undefined;
  if (discovery?.length !== 1) throw new Error(`job ${String(job.job_name)}: expected one kubernetes_sd_configs entry`);
  const [sd] = discovery;
  if (sd!.role !== 'endpoints' || sd!.namespaces?.names?.length !== 1 || Object.keys(sd!).some((key) => key !== 'role' && key !== 'namespaces')) {
    throw new Error(`job ${String(job.job_name)}: expected role endpoints in exactly one named namespace, got ${JSON.stringify(sd)}`);
  }
  return sd!.namespaces.names[0]!;
}

/**
 * A prometheus.yml job with its Kubernetes discovery replaced by static targets that carry the
 * `__meta_kubernetes_*` labels discovery would give them, so the job's own relabel_configs, honor_labels
 * and metric_relabel_configs run unchanged. Its scrape_interval is dropped for the test's 1 s.
 */
export function withStaticDiscovery(job: ScrapeConfig, endpoints: DiscoveredEndpoint[]): ScrapeConfig {
  const rest = { ...job };
  delete rest.kubernetes_sd_configs;
  delete rest.scrape_interval;
  return {
    ...rest,
    static_configs: endpoints.map((endpoint) => ({
      targets: [endpoint.address],
      labels: {
        __meta_kubernetes_namespace: endpoint.namespace,
        __meta_kubernetes_service_name: endpoint.service,
        __meta_kubernetes_endpoint_port_name: endpoint.portName,
        __meta_kubernetes_pod_name: endpoint.pod,
        ...Object.fromEntries(Object.entries(endpoint.serviceLabels).map(([name, value]) => [`__meta_kubernetes_service_label_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`, value])),
      },
    })),
  };
}

export const namespaceOf = (manifest: Manifest): string => String((manifest.object.metadata as { namespace?: string }).namespace ?? '');

export const labelsOf = (manifest: Manifest): Record<string, string> => (manifest.object.metadata as { labels?: Record<string, string> }).labels ?? {};

export const matches = (labels: Record<string, string>, selector: Record<string, string>): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([name, value]) => labels[name] === value);

function secretValue(overlay: RenderedOverlay, reference: { name: string; key: string }): string {
  const value = secretValues(overlay, reference.name)[reference.key];
  if (value === undefined) throw new Error(`overlay ${overlay.name}: Secret ${reference.name} has no key ${reference.key}`);
  return value;
}
