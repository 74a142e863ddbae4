import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { startPrometheus, type InstantSample, type Prometheus } from '../support/prometheus.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { renderedManifest, renderOverlay } from './kustomize.js';
import {
  discoveredNamespace,
  labelsOf,
  prometheusConfigJobs,
  serviceMonitorScrapeConfig,
  withStaticDiscovery,
  type DiscoveredEndpoint,
} from './scrapeConfigs.js';

/**
 * Two real Pushgateways stand for the gateways of namespaces team-a and team-b; real Prometheus servers scrape
 * them with exactly the relabelling we ship: one with the jobs the Prometheus Operator makes of each overlay's
 * rendered ServiceMonitor, one with the jobs of workflows/prometheus/prometheus.yml. Team A then tries to pass
 * its metrics off as team B's.
 */
const TEAMS = ['team-a', 'team-b'] as const;
type Team = (typeof TEAMS)[number];

let gateways: Record<Team, Pushgateway>;
let viaServiceMonitor: Prometheus;
let viaPrometheusYml: Prometheus;
let viaCarriedLabel: Prometheus;
const target = (team: Team): string => `127.0.0.1:${gateways[team].port}`;

/** What role-endpoints discovery would find in a namespace: its gateway's port, and another Service's beside it. */
function discovered(namespace: string): DiscoveredEndpoint[] {
  if (!TEAMS.includes(namespace as Team)) throw new Error(`prometheus.yml scrapes namespace ${namespace}, which has no gateway in this test`);
  const overlay = renderOverlay(namespace);
  const service = renderedManifest(overlay, 'Service', 'pushgateway');
  const [port] = (service.object.spec as { ports: { name: string }[] }).ports;
  const address = target(namespace as Team);
  return [
    { address, namespace, service: service.name, serviceLabels: labelsOf(service), portName: port!.name, pod: 'pushgateway-5d4f8-x2x9q' },
    // Same address, so a job that kept it would scrape every series twice, under service="model-server".
    { address, namespace, service: 'model-server', serviceLabels: { 'app.kubernetes.io/name': 'model-server' }, portName: port!.name, pod: 'model-server-0' },
  ];
}

async function push(args: string[]): Promise<void> {
  const run = await runApp(args);
  if (run.code !== 0) throw new Error(`push ${args.join(' ')} exited ${String(run.code)}:\n${run.stderr}`);
}

beforeAll(async () => {
  const [a, b] = await Promise.all([startPushgateway(), startPushgateway()]);
  gateways = { 'team-a': a, 'team-b': b };
  [viaServiceMonitor, viaPrometheusYml, viaCarriedLabel] = await Promise.all([
    startPrometheus({ scrapeConfigs: TEAMS.map((team) => serviceMonitorScrapeConfig(renderOverlay(team), target(team))) }),
    startPrometheus({ scrapeConfigs: prometheusConfigJobs().map((job) => withStaticDiscovery(job, discovered(discoveredNamespace(job)))) }),
    // The single job for every namespace that prometheus.yml does NOT use: the namespace travels from
    // discovery to metric relabelling in a target label, which honor_labels lets a push overwrite.
    startPrometheus({
      scrapeConfigs: [
        {
          job_name: 'carried-namespace',
          honor_labels: true,
          static_configs: [{ targets: [target('team-a')], labels: { __meta_kubernetes_namespace: 'team-a' } }],
          relabel_configs: [{ source_labels: ['__meta_kubernetes_namespace'], target_label: 'kubernetes_namespace' }],
          metric_relabel_configs: [{ source_labels: ['kubernetes_namespace'], target_label: 'namespace' }],
        },
      ],
    }),
  ]);

  const forged = tempFile({
    labels: { namespace: 'team-b', exported_namespace: 'team-b', exported_exported_namespace: 'team-b', kubernetes_namespace: 'team-b', model: 'churn-classifier' },
    metrics: [{ name: 'tenancy_forged_value', description: 'pushed into team A’s gateway as team B’s', value: 1, metric_type: 'gauge' }],
  });
  await Promise.all([
    push([forged, 'forger', '--grouping', 'instance=trainer-1', '--gateway', gateways['team-a'].url]),
    push(['--job', 'grouped-forger', '--grouping', 'namespace=team-b', '--metric', 'tenancy_grouped_value=2', '--gateway', gateways['team-a'].url]),
    push(['--job', 'honest', '--metric', 'tenancy_honest_value=3', '--gateway', gateways['team-b'].url]),
  ]);
});

afterAll(async () => {
  await Promise.all([viaServiceMonitor?.stop(), viaPrometheusYml?.stop(), viaCarriedLabel?.stop()]);
  await Promise.all(Object.values(gateways ?? {}).map((gateway) => gateway.stop()));
});

const only = (samples: InstantSample[]): Record<string, string> => {
  expect(samples, JSON.stringify(samples)).toHaveLength(1);
  return samples[0]!.metric;
};

describe.each([
  ['the ServiceMonitor of each overlay, as the Prometheus Operator scrapes it', () => viaServiceMonitor],
  ['workflows/prometheus/prometheus.yml, its Kubernetes discovery stood in for by static targets', () => viaPrometheusYml],
])('Scraped with %s', (_, prometheus) => {
  it('a push into team A’s gateway that says namespace="team-b" is stored as team A’s, its job, instance and other labels kept', async () => {
    const metric = only(await prometheus().eventually('tenancy_forged_value'));
    expect(metric).toMatchObject({ job: 'forger', instance: 'trainer-1', namespace: 'team-a', model: 'churn-classifier', kubernetes_namespace: 'team-b' });
    expect(Object.keys(metric).filter((name) => name.startsWith('exported_'))).toEqual([]);
    expect(await prometheus().query('{namespace="team-b", job="forger"}')).toEqual([]);
  });

  it('a namespace in the grouping key is overwritten too, on the gateway’s own push_time_seconds as on the pushed series', async () => {
    const series = await prometheus().eventually('{job="grouped-forger"}', { until: (result) => result.length >= 3 });
    expect(series.map((s) => s.metric.__name__).sort()).toEqual(['push_failure_time_seconds', 'push_time_seconds', 'tenancy_grouped_value']);
    for (const { metric } of series) expect(metric.namespace, metric.__name__).toBe('team-a');
  });

  it('team B’s own push into its own gateway is team B’s', async () => {
    expect(only(await prometheus().eventually('tenancy_honest_value'))).toMatchObject({ job: 'honest', namespace: 'team-b' });
  });

  it('scrapes one target per namespace, the gateway, and its up and own series name the gateway’s namespace', async () => {
    const up = await prometheus().eventually('up', { until: (result) => result.length >= 2 });
    expect(up.map((s) => [s.metric.namespace, s.metric.service, s.value[1]]).sort()).toEqual([
      ['team-a', 'pushgateway', '1'],
      ['team-b', 'pushgateway', '1'],
    ]);
    const own = await prometheus().eventually('pushgateway_build_info', { until: (result) => result.length >= 2 });
    expect(own.map((s) => s.metric.namespace).sort()).toEqual(['team-a', 'team-b']);
  });
});

describe('why prometheus.yml writes each namespace out, one job per namespace', () => {
  it('a namespace carried from discovery in a target label is forged by pushing that label: team A’s push lands as team B’s', async () => {
    expect(only(await viaCarriedLabel.eventually('tenancy_forged_value'))).toMatchObject({ job: 'forger', namespace: 'team-b' });
    // The same push, scraped by the job we ship, stays team A's.
    expect(only(await viaPrometheusYml.eventually('tenancy_forged_value')).namespace).toBe('team-a');
  });
});
